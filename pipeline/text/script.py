"""Which language a document is, for picking a tokenizer: its ``language`` column, else its script.

The ``language`` column is set by the language-ID annotator (an ISO 639 code, or ``unknown``).
When it is missing, the filters still have to count words sensibly, so the script of the text
decides: enough Kana means Japanese, enough Han means Chinese, and so on. This is a script check,
not language identification: it only chooses between segmenters.
"""

from __future__ import annotations

import re

# Codes a language-ID model may emit for the languages whose segmentation differs from
# whitespace splitting, mapped to the two-letter code the text utilities use.
_ALIASES = {
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "yue": "zh",
    "wuu": "zh",
    "jpn": "ja",
    "kor": "ko",
    "tha": "th",
    "lao": "lo",
    "khm": "km",
    "mya": "my",
    "bur": "my",
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "pol": "pl",
}
_UNKNOWN = {"", "un", "und", "unk", "unknown", "none", "null", "xx", "zxx", "mul"}

# Code point ranges of the East Asian scripts, for building character classes (``f"[{HAN}{KANA}]"``).
# Written once here: the segmenters, line rules, dedup normalisation, n-gram units and extraction
# fix-ups each pick the ranges they need from these.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # extension A, unified ideographs, compatibility
HAN_SUPPLEMENT = "\U00020000-\U0002fa1f"  # extensions B-F and the compatibility supplement
KANA = "\u3040-\u30ff"  # hiragana and katakana
KANA_EXTENSION = "\u31f0-\u31ff"  # katakana phonetic extensions (small ㇰ ㇱ ...)
HALFWIDTH_KATAKANA = "\uff66-\uff9f"
CJK_PUNCTUATION = "\u3000-\u303f"  # ideographic space, 。、「」 and other CJK symbols
FULLWIDTH = "\uff00-\uffef"  # half-width and full-width forms (，！？ Ａ１ ...)
HANGUL_SYLLABLES = "\uac00-\ud7af"
HANGUL_JAMO = "\u1100-\u11ff\u3130-\u318f"
# Chinese and Japanese characters, the ones written next to each other without spaces.
ZH_JA = KANA + HAN

_HAN = re.compile(f"[{HAN}{HAN_SUPPLEMENT}]")
_KANA = re.compile(f"[{KANA}{KANA_EXTENSION}{HALFWIDTH_KATAKANA}]")
_HANGUL = re.compile(f"[{HANGUL_SYLLABLES}{HANGUL_JAMO}]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")

# How much of the text the script check reads: the start is representative and the check must
# stay cheap on long documents.
SCRIPT_SAMPLE_CHARS = 4000
# Share of letters that must be in a script for it to decide the segmenter.
SCRIPT_SHARE = 0.3
# Japanese mixes Kana into Han text; Chinese has essentially none. This Kana share of the
# CJK characters separates the two.
KANA_SHARE_FOR_JAPANESE = 0.1


def normalize_language(code: str | None) -> str | None:
    """A language code as a lowercase two-letter base code ("zh-Hans" -> "zh"), or None if unknown."""
    if not code:
        return None
    base = code.strip().lower().removeprefix("__label__").replace("_", "-").split("-", 1)[0]
    if base in _UNKNOWN:
        return None
    return _ALIASES.get(base, base)


def guess_language_from_script(text: str) -> str | None:
    """zh / ja / ko / th when the text is mostly in that script, else None (whitespace languages)."""
    sample = text[:SCRIPT_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters == 0:
        return None
    han = len(_HAN.findall(sample))
    kana = len(_KANA.findall(sample))
    if han + kana >= SCRIPT_SHARE * letters:
        return "ja" if kana >= KANA_SHARE_FOR_JAPANESE * (han + kana) else "zh"
    if len(_HANGUL.findall(sample)) >= SCRIPT_SHARE * letters:
        return "ko"
    if len(_THAI.findall(sample)) >= SCRIPT_SHARE * letters:
        return "th"
    return None


def resolve_language(code: str | None, text: str) -> str | None:
    """The document's language: the annotator's code when known, else the script check."""
    return normalize_language(code) or guess_language_from_script(text)


def is_cjk_language(lang: str | None) -> bool:
    """Languages written without spaces between words whose words are a few characters long."""
    return lang in ("zh", "ja")
