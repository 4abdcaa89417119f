"""Token units for the n-gram language models and the quality classifier, in every script.

Both models read space-separated tokens. Text without spaces (Chinese, Japanese) would otherwise be
one token per line, a "word" seen once, and the model would learn nothing from it. The units:

=============  =====================================================================================
unit           tokens
=============  =====================================================================================
words          whitespace tokens (KenLM's own convention; a plain ``lmplz`` word model)
chars          every Han, kana and CJK-punctuation character on its own, other text as whitespace
               words: script-aware, needs no dictionary and no language code, ~1 µs per character
segmented      jieba words for zh, MeCab (unidic-lite) words for ja, ``chars`` for other CJK text
               without a language code, whitespace words elsewhere
sentencepiece  pieces of a unigram sentencepiece model trained on the reference (cc_net's choice)
=============  =====================================================================================

``bench/quality_models`` measures them side by side on real text (RESULTS.md there): ``chars`` is
the default for both models, because it is as discriminative as the segmenters at a small fraction
of their cost, and never depends on a dictionary being installed on the workers.
"""

from __future__ import annotations

import re

from pipeline.text.script import CJK_PUNCTUATION, FULLWIDTH, KANA_EXTENSION, ZH_JA
from pipeline.text.segment import jieba_tokenizer, mecab_tagger

UNITS = ("words", "chars", "segmented", "sentencepiece")
# Han (unified, extension A, compatibility), kana (full and half width), CJK symbols and punctuation,
# full-width forms: the characters that written Chinese and Japanese put next to each other without spaces.
_CJK_CHAR = re.compile(f"([{CJK_PUNCTUATION}{ZH_JA}{KANA_EXTENSION}{FULLWIDTH}])")


def has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


def cjk_chars(text: str) -> list[str]:
    """Whitespace tokens, with every CJK character (see ``_CJK_CHAR``) a token of its own."""
    if text.isascii():
        return text.split()
    return _CJK_CHAR.sub(r" \1 ", text).split()


def segmented_words(text: str, lang: str | None) -> list[str]:
    """Dictionary words for zh (jieba) and ja (MeCab); ``cjk_chars`` for other text (punctuation kept)."""
    if lang == "zh":
        return [t for t in jieba_tokenizer().lcut(text) if not t.isspace()]
    if lang == "ja":
        tagger = mecab_tagger()
        if tagger is not None:
            return [node.surface for node in tagger(text)]
    return cjk_chars(text)


def split_units(text: str, unit: str, lang: str | None = None) -> list[str]:
    """Tokens of one (normalised) line for ``unit`` in ``words``, ``chars``, ``segmented``."""
    if unit == "words":
        return text.split()
    if unit == "chars":
        return cjk_chars(text)
    if unit == "segmented":
        return segmented_words(text, lang)
    raise ValueError(f"unit must be one of {list(UNITS[:3])} here (sentencepiece needs its model), got {unit!r}")
