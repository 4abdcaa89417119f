"""The extraction engines ``extract.engine`` names, and which options each one takes.

Kept free of heavy imports: the extract stage checks its config with it before Spark starts.
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
