"""Second opinion for hard language-ID cases: lingua (``lingua-language-detector``, Peter M. Stahl).

fastText's lid.176 is a bag of character n-grams averaged over the text: on a handful of words the
average is dominated by a few n-grams, so it confuses close languages (ms/id, hr/bs/sr, nb/nn/da,
ca/es) or falls back to its prior. lingua scores every n-gram order from 1 to 5 with per-language
models and a script filter and is markedly better on short text, but it is ~20-50x slower and knows
only 75 languages (lid.176 knows 176). So ``LanguageAnnotator`` asks it only on hard documents and
mixes the two opinions (rules and weights measured on bench/langid; see its RESULTS.md).

Memory: lingua keeps one model set per language (about 50 MB each in high-accuracy mode, measured:
English + German = 100 MB of resident memory). Models are loaded lazily, the first time a text whose
script needs them arrives, and live in a process-wide store shared by every detector of the process, so
a Spark worker process loads each at most once. ``languages`` restricts the detector to a list (only
those models can ever load); ``low_accuracy`` uses trigram models only (about 1/6 of the memory).
lingua's models are packaged inside its wheel; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.annotate.language_codes import normalize_languages
from pipeline.step import process_cached

ALL = "all"


def lingua_codes() -> tuple[str, ...]:
    """Our codes of every language lingua knows (they are all ISO 639-1 codes)."""
    from lingua import Language

    return tuple(sorted(lang.iso_code_639_1.name.lower() for lang in Language.all()))


def resolve_languages(languages: Sequence[str] | str) -> tuple[str, ...]:
    """The lingua languages of a recipe's ``cascade_languages``: ``"all"`` or a list of codes in any
    spelling (normalised; a code lingua does not know raises ValueError naming the valid ones)."""
    known = lingua_codes()
    if languages == ALL:
        return known
    codes = [code for code in normalize_languages(languages, "cascade_languages") if code != "sh"]
    missing = sorted(set(codes) - set(known))
    if missing:
        raise ValueError(f"cascade_languages: lingua does not know {missing}; it knows {', '.join(known)}")
    return tuple(codes)


def _build_detector(languages: tuple[str, ...], low_accuracy: bool) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    members = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
    builder = LanguageDetectorBuilder.from_languages(*members)
    # No with_preloaded_language_models(): a model loads the first time a text of its script needs it.
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def cascade_detector(languages: tuple[str, ...], low_accuracy: bool = False) -> Any:
    """The lingua detector for ``languages``, built once per process."""
    key = ("lingua", tuple(languages), bool(low_accuracy))
    return process_cached(key, lambda: _build_detector(tuple(languages), bool(low_accuracy)))


def lingua_confidences(detector: Any, text: str) -> dict[str, float]:
    """lingua's confidence per language code for ``text`` (relative: they sum to 1 over its languages);
    empty when it has no idea (no letter of a script it knows)."""
    out = {}
    for item in detector.compute_language_confidence_values(text):
        if item.value > 0.0:
            out[item.language.iso_code_639_1.name.lower()] = min(max(float(item.value), 0.0), 1.0)
    return out


def mix(fasttext: Sequence[tuple[str, float]], lingua: dict[str, float], weight: float) -> list[tuple[str, float]]:
    """The two best languages of ``weight * fastText + (1 - weight) * lingua`` (both probabilities in [0, 1],
    so the mix is too). A language one detector does not know gets 0 from it."""
    scores = {code: (1.0 - weight) * p for code, p in lingua.items()}
    for code, p in fasttext:
        scores[code] = scores.get(code, 0.0) + weight * p
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(code, min(score, 1.0)) for code, score in ranked[:2]]
