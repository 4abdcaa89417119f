"""One code system for languages: what the annotator writes, what stats group by, what recipes name.

The code of a language is its **ISO 639-1** code where one exists, else its **ISO 639-3** code
(``language_codes.txt`` lists every language the annotator can emit: lid.176's 176 and lingua's 75,
with their 639-3 and 639-2/B codes and names; ``scripts/make_language_codes.py`` writes it).

Detector labels that are not ISO codes are renamed once, here (``LID176_RENAMES``): lid.176 was trained on
Wikipedia and uses Wikipedia's codes, where ``no`` is Bokmål (no.wikipedia is written in Bokmål), ``als`` is
Alemannic (in ISO 639-3 ``als`` is Tosk Albanian), ``bh`` is Bhojpuri (ISO ``bh`` is the retired
"Bihari languages" group) and ``eml`` (retired in 2009) is Emilian.

Macro-languages:

- Norwegian: labels are ``nb`` (Bokmål) and ``nn`` (Nynorsk). A recipe's ``no`` / ``nor`` means both.
- Serbo-Croatian: labels are ``hr``, ``bs``, ``sr``; ``sh`` only where a detector cannot tell them
  apart (lid.176 alone has an ``sh`` class; the cascade asks lingua to decide it). A recipe's ``sh`` /
  ``hbs`` means all four.
- Malay: ``ms`` is Standard Malay (``zsm``, ``msa``, ``may`` name it too); Indonesian is ``id`` (``ind``),
  never merged with ``ms`` although ISO lists it under the Malay macro-language: every detector and
  every corpus (FineWeb-2: ``zsm`` vs ``ind``) treats them as two languages.
- Chinese: ``zh`` is written Standard Chinese (``zho``, ``chi``, ``cmn`` name it too); Cantonese ``yue`` and
  Wu ``wuu`` keep their own labels as lid.176 gives them.

Recipes may use any of these spellings (and a region or script subtag: ``pt-BR``, ``zh_Hant``,
``sr@latin``); :func:`normalize_languages` turns them into labels when the recipe loads and rejects a
code no detector can emit, since a filter on it would silently match nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CODES_FILE = Path(__file__).with_name("language_codes.txt")
UNKNOWN = "unknown"

LID176_RENAMES = {"no": "nb", "als": "gsw", "bh": "bho", "eml": "egl"}
# A recipe code that stands for several labels.
MACROLANGUAGES = {"no": ("nb", "nn"), "sh": ("sh", "hr", "bs", "sr")}
# Spellings that the table's 639-3 / 639-2/B columns do not cover: individual-language codes of a
# language we label by its macro code, and the 639-1 codes withdrawn in 1989 that old data still uses.
_EXTRA_ALIASES = {"zsm": "ms", "cmn": "zh", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_SUBTAG = re.compile(r"[-_@.]")


@dataclass(frozen=True)
class LanguageCode:
    code: str
    iso639_3: str
    iso639_2b: str | None
    detectors: tuple[str, ...]
    name: str


@functools.cache
def table() -> dict[str, LanguageCode]:
    """code -> its row of ``language_codes.txt``."""
    rows = {}
    for line in CODES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, iso3, iso2b, detectors, name = line.split("\t")
        rows[code] = LanguageCode(code, iso3, None if iso2b == "-" else iso2b, tuple(detectors.split(",")), name)
    return rows


@functools.cache
def _aliases() -> dict[str, str]:
    out = {"nor": "no", "hbs": "sh"}
    for row in table().values():
        out[row.iso639_3] = row.code
        if row.iso639_2b:
            out[row.iso639_2b] = row.code
    out.update(LID176_RENAMES)
    out.update(_EXTRA_ALIASES)
    for code in table():
        out[code] = code
    out["no"], out["sh"] = "no", "sh"  # macro codes: expanded by normalize_language
    return out


def lid176_label(label: str) -> str:
    """Our code for a lid.176 label (``__label__no`` -> ``nb``); ``unknown`` for anything else."""
    code = label.removeprefix("__label__")
    code = LID176_RENAMES.get(code, code)
    return code if code in table() else UNKNOWN


def normalize_language(code: str | bool) -> tuple[str, ...]:
    """The labels a recipe's language code stands for: ``zho`` -> ``(zh,)``, ``no`` -> ``(nb, nn)``.

    Raises ValueError for a code that no detector can emit."""
    if code is False:  # YAML 1.1 reads a bare ``no`` (Norwegian) as false: take it back
        code = "no"
    base = _SUBTAG.split(str(code).strip().lower(), maxsplit=1)[0]
    found = _aliases().get(base)
    if found is None:
        raise ValueError(
            f"unknown language code {code!r}: use an ISO 639-1 or 639-3 code of a language the annotator can emit "
            f"(lid.176 or lingua); valid codes: {', '.join(sorted(table()))}"
        )
    return MACROLANGUAGES.get(found, (found,))


def normalize_languages(codes: Iterable[str] | str, key: str = "languages") -> list[str]:
    """Recipe language codes as de-duplicated labels in the order given; ValueError names ``key`` and the code."""
    if isinstance(codes, str):
        codes = [codes]
    out: dict[str, None] = {}
    for code in codes:
        try:
            out.update(dict.fromkeys(normalize_language(code)))
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return list(out)


def hint_label(code: str | None) -> str | None:
    """The label a page's declared language (``<html lang>``, Content-Language) stands for, in the same
    code system as ``language``: ``zh-Hans`` -> ``zh``, ``no`` -> ``nb``, ``zsm`` -> ``ms``; None when the
    declaration is missing or names no language the annotators know (``x-default``, ``*``)."""
    if not code:
        return None
    first = str(code).split(",", 1)[0].split(";", 1)[0].strip()
    try:
        return normalize_language(first)[0] if first else None
    except ValueError:
        return None
