"""Second opinion for hard language-ID cases: lingua, restricted to a fixed set of languages.

fastText's lid.176 is a bag of character n-grams averaged over the text: on a handful of words
the average is dominated by a few n-grams and it confuses close languages (da/no, hr/sr/bs,
es/gl/pt, ru/uk/bg, id/ms) or falls back to its prior. lingua (``lingua-language-detector``,
Peter M. Stahl) scores every n-gram order from 1 to 5 with per-language models and a script
filter, and is markedly better on short text, but it is ~20-50x slower and knows only 75
languages. So it is only asked when fastText is unsure (see ``LanguageAnnotator``).

The language set below is chosen independently of any benchmark: the ~40 most frequent languages
of Common Crawl (its published per-crawl language statistics) that lingua supports, plus the
neighbours lid.176 confuses them with (bs, mk, be, nn, af). Restricting lingua matters for speed
and memory: it loads one model per language it compares, lazily, about 25 MB each in its
high-accuracy mode (on the order of 1 GB per process for all 45 once every script was seen). The
low-accuracy mode (trigrams only) is not offered: in a trial on the bench/langid set it did not beat
fastText on short text.

lingua's models are packaged inside its wheel; nothing is downloaded.
"""

from __future__ import annotations

from typing import Any

from pipeline.step import process_cached

# ISO 639-1 codes as lingua names them ("nb" is Norwegian Bokmal; fastText calls it "no").
CASCADE_LANGUAGES: tuple[str, ...] = (
    "en", "ru", "de", "zh", "ja", "fr", "es", "it", "pt", "pl", "nl", "id", "tr", "vi", "cs",
    "fa", "ko", "sv", "hu", "ar", "el", "ro", "da", "uk", "fi", "sk", "th", "nb", "bg", "he",
    "hr", "ca", "hi", "lt", "sr", "sl", "et", "lv", "bn", "ms",
    "bs", "mk", "be", "nn", "af",
)  # fmt: skip

# lingua code -> the code fastText's lid.176 uses for the same language
_TO_FASTTEXT = {"nb": "no"}


def fasttext_codes(languages: tuple[str, ...]) -> frozenset[str]:
    """The lid.176 labels of a lingua language set (what fastText must guess for lingua to be asked)."""
    return frozenset(_TO_FASTTEXT.get(code, code) for code in languages)


def _build_detector(languages: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    unknown = [code for code in languages if not hasattr(IsoCode639_1, code.upper())]
    if unknown:
        raise ValueError(f"lingua does not know languages {unknown}; see lingua.Language.all()")
    members = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
    # No preloading: a model is read the first time a text of its script needs it.
    return LanguageDetectorBuilder.from_languages(*members).build()


def cascade_detector(languages: tuple[str, ...] = CASCADE_LANGUAGES) -> Any:
    """The lingua detector for ``languages``, built once per process."""
    return process_cached(("lingua", tuple(languages)), lambda: _build_detector(tuple(languages)))


def second_opinion(detector: Any, text: str) -> list[tuple[str, float]]:
    """lingua's two best (fastText-style code, confidence in [0, 1]) for ``text``; [] if it has no idea.

    lingua's confidences are relative: they sum to 1 over the restricted language set.
    """
    ranked = detector.compute_language_confidence_values(text)
    out = []
    for item in ranked[:2]:
        code = item.language.iso_code_639_1.name.lower()
        out.append((_TO_FASTTEXT.get(code, code), min(max(float(item.value), 0.0), 1.0)))
    return [pair for pair in out if pair[1] > 0.0]
