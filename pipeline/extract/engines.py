"""The extraction engines ``extract.engine`` names, and which options each one takes.

Kept free of heavy imports: the extract stage checks its config with it before Spark starts, and the
datatrove side of ``bench/compare_datatrove`` runs :func:`resiliparse_text` from it in datatrove's venv
(equal settings by construction).
"""

from __future__ import annotations

ENGINES = ("trafilatura", "resiliparse")
RESCUE_BELOW_CHARS = 1000  # resiliparse text shorter than this goes to trafilatura (engines.py: 10 % of wceb)


def check_engine_options(engine: str, *, fast: bool, favor_precision: bool, deduplicate: bool) -> None:
    """ValueError naming the option when ``engine`` is unknown or is given a trafilatura-only option."""
    if engine not in ENGINES:
        raise ValueError(f"unknown extraction engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if engine != "trafilatura":
        given = [
            name
            for name, on in (("fast", fast), ("favor_precision", favor_precision), ("deduplicate", deduplicate))
            if on
        ]
        if given:
            what = "a trafilatura option" if len(given) == 1 else "trafilatura options"
            raise ValueError(f"{', '.join(given)}: {what} that the {engine} engine does not have")


def resiliparse_text(html: str, *, include_comments: bool = False, include_tables: bool = True) -> str:
    """resiliparse's main-content text: block-level breaks kept, one non-empty stripped line per block
    (the shape trafilatura's text has), no list bullets, alt texts, link targets, form fields or
    ``<noscript>`` text."""
    from resiliparse.extract.html2text import extract_plain_text  # imported on first use: trafilatura runs need none

    text = extract_plain_text(
        html,
        preserve_formatting=True,
        main_content=True,
        list_bullets=False,
        alt_texts=False,
        links=False,
        form_fields=False,
        noscript=False,
        comments=include_comments,
        skip_elements=None if include_tables else ["table"],
    )
    return "\n".join(line for line in (raw.strip() for raw in text.split("\n")) if line)
