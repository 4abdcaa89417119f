"""Word segmentation per language: what "a word" means for the rules that count words.

=============  ==========================================================================
language       segmentation
=============  ==========================================================================
zh             jieba's algorithm and dictionary (prefix dictionary + HMM for unknown words),
               run by rjieba 0.2.2 (jieba-rs, compiled; 11.6x faster than jieba 0.42.1 on
               zh-news), or by pure-Python jieba 0.42.1 when rjieba is missing or chosen with
               ``use_chinese_segmenter``; punctuation dropped. The two agree on every Chinese
               word; rjieba keeps Latin/digit runs joined by "-" or "." whole ("F-16",
               "1993-2003"), as whitespace splitting does (``bench/filter_stage/RESULTS.md``).
ja             MeCab through fugashi with the unidic-lite dictionary (short-unit words, read
               from MeCab's word-split output: the same words as its nodes, 1.1-1.4x faster);
               if fugashi is not installed, runs of one character class (kanji, hiragana,
               katakana, Latin/digits), a documented approximation.
th lo km my    whitespace splitting, then each run of the script cut into pseudo-words of
               ``SCRIPT_CHUNK_CHARS`` characters. No dictionary segmenter is installed for
               these; the chunks only keep word counts of the right magnitude, so rules on
               word *length* are skipped for them (see the filters).
everything     whitespace splitting; leading and trailing punctuation stripped from each
else           token, tokens made only of punctuation dropped.
=============  ==========================================================================

Segmenters load lazily, once per process (``process_cached``), so a step can be pickled to a
Spark worker before any dictionary is read. jieba is told to keep its dictionary cache in a
directory this module controls and its logging is silenced; nothing is downloaded.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from operator import methodcaller

from pipeline.step import process_cached
from pipeline.text.normalize import PUNCTUATION
from pipeline.text.script import HALFWIDTH_KATAKANA, HAN, KANA_EXTENSION, ZH_JA

# Where jieba writes its prefix-dictionary cache (a pickle it rebuilds in ~1 s when absent).
CACHE_DIR_ENV = "CORPUS_TEXT_CACHE_DIR"
# Pseudo-word length for scripts without a segmenter here (Thai words average a few characters).
SCRIPT_CHUNK_CHARS = 4

_CHUNKED_SCRIPTS = {
    "th": "\u0e00-\u0e7f",
    "lo": "\u0e80-\u0eff",
    "km": "\u1780-\u17ff",
    "my": "\u1000-\u109f",
}
_JA_CHAR_CLASSES = re.compile(
    rf"[{HAN}々〆ヶ]+"  # kanji
    r"|[\u3041-\u309f]+"  # hiragana
    rf"|[\u30a0-\u30ff{KANA_EXTENSION}ー{HALFWIDTH_KATAKANA}]+"  # katakana (full and half width)
    rf"|[^\W_{ZH_JA}]+"  # Latin letters, digits, other scripts
)


def cache_dir() -> str:
    """The directory segmenters may write caches to: $CORPUS_TEXT_CACHE_DIR or <tmp>/corpus-text."""
    path = os.environ.get(CACHE_DIR_ENV) or os.path.join(tempfile.gettempdir(), "corpus-text")
    os.makedirs(path, exist_ok=True)
    return path


def _make_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir()
    tokenizer.initialize()
    return tokenizer


def _make_mecab():
    """A fugashi Tagger on unidic-lite, or None when either package is missing."""
    try:
        import fugashi
        import unidic_lite
    except ImportError:
        return None
    # -r /dev/null: read no system mecabrc, only the dictionary given here.
    return fugashi.Tagger(f'-d "{unidic_lite.DICDIR}" -r /dev/null')


def jieba_tokenizer():
    return process_cached("pipeline.text.jieba", _make_jieba)


# Chinese word cutters, fastest first; both cut with jieba's dictionary and HMM.
CHINESE_SEGMENTERS = ("rjieba", "jieba")
_chinese_choice = CHINESE_SEGMENTERS[0]


def use_chinese_segmenter(name: str) -> None:
    """Cut Chinese with ``rjieba`` (the default) or ``jieba`` (the pure-Python reference) in this
    process: for benchmarks and agreement checks. Clears nothing: call it before analysing text."""
    global _chinese_choice
    if name not in CHINESE_SEGMENTERS:
        raise ValueError(f"Chinese segmenter {name!r}: valid values are {list(CHINESE_SEGMENTERS)}")
    _chinese_choice = name


def _make_rjieba_cut():
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.cut


def chinese_cut():
    """``text -> tokens`` (whitespace and punctuation included, so tokens join back to the text)."""
    if _chinese_choice == "rjieba":
        cut = process_cached("pipeline.text.rjieba", _make_rjieba_cut)
        if cut is not None:
            return cut
    return jieba_tokenizer().lcut


def mecab_tagger():
    return process_cached("pipeline.text.mecab", _make_mecab)


def _make_mecab_wakati():
    """MeCab with its word-split output (``-Owakati``: surfaces joined by spaces), same dictionary."""
    if _make_mecab() is None:
        return None
    import fugashi
    import unidic_lite

    return fugashi.GenericTagger(f'-d "{unidic_lite.DICDIR}" -r /dev/null -Owakati')


# How Japanese tokens are read from MeCab: "wakati" (one string, split on spaces; 1.4x faster on
# the Soseki novel) or "nodes" (a fugashi Node object per token). Same tokens, whitespace dropped.
JAPANESE_OUTPUTS = ("wakati", "nodes")
_japanese_choice = JAPANESE_OUTPUTS[0]


def use_japanese_output(name: str) -> None:
    """Read MeCab's tokens as ``wakati`` (the default) or ``nodes`` in this process (benchmarks)."""
    global _japanese_choice
    if name not in JAPANESE_OUTPUTS:
        raise ValueError(f"Japanese MeCab output {name!r}: valid values are {list(JAPANESE_OUTPUTS)}")
    _japanese_choice = name


def japanese_tokens(text: str) -> list[str]:
    """MeCab's tokens of ``text`` (no whitespace tokens); requires fugashi and unidic-lite."""
    if _japanese_choice == "wakati":
        return process_cached("pipeline.text.mecab_wakati", _make_mecab_wakati).parse(text).split()
    return [node.surface for node in mecab_tagger()(text)]


def segmenter_name(lang: str | None) -> str:
    """Which segmentation ``split_words`` uses for a (normalised) language code."""
    if lang == "zh":
        return "jieba"
    if lang == "ja":
        return "mecab" if mecab_tagger() is not None else "charclass"
    if lang in _CHUNKED_SCRIPTS:
        return "chunks"
    return "whitespace"


_STRIP_PUNCT = methodcaller("strip", PUNCTUATION)


def _clean(tokens) -> list[str]:
    """Tokens stripped of whitespace, then of punctuation; empty ones dropped (C-level loops)."""
    return list(filter(None, map(_STRIP_PUNCT, map(str.strip, tokens))))


def whitespace_words(text: str) -> list[str]:
    """Whitespace tokens with leading/trailing punctuation stripped; punctuation-only tokens dropped."""
    return list(filter(None, map(_STRIP_PUNCT, text.split())))


def japanese_charclass_words(text: str) -> list[str]:
    """Japanese without a dictionary: maximal runs of kanji, hiragana, katakana or Latin/digits."""
    return _JA_CHAR_CLASSES.findall(text)


def _chunk_words(text: str, lang: str) -> list[str]:
    script = re.compile(f"[{_CHUNKED_SCRIPTS[lang]}]+")
    out: list[str] = []
    for token in whitespace_words(text):
        pos = 0
        for m in script.finditer(token):
            out.extend(_clean([token[pos : m.start()]]))
            run = m.group()
            out.extend(run[i : i + SCRIPT_CHUNK_CHARS] for i in range(0, len(run), SCRIPT_CHUNK_CHARS))
            pos = m.end()
        out.extend(_clean([token[pos:]]))
    return out


def split_words_by_line(text: str, lang: str | None) -> list[list[str]]:
    """The words of each line of ``text.splitlines()``, in order (empty lines give ``[]``).

    Chinese is cut line by line: jieba's segmentation never spans a line break, so this equals
    cutting the whole text, and the lines need no re-alignment afterwards.
    """
    lines = text.splitlines()
    if segmenter_name(lang) == "jieba":
        cut = chinese_cut()
        return [_clean(cut(line)) if line else [] for line in lines]
    return [split_words(line, lang) for line in lines]


def split_words(text: str, lang: str | None) -> list[str]:
    """The words of ``text`` for language ``lang`` (a normalised code or None), punctuation dropped."""
    kind = segmenter_name(lang)
    if kind == "whitespace":
        return whitespace_words(text)
    if kind == "jieba":
        return _clean(chinese_cut()(text))
    if kind == "mecab":
        return _clean(japanese_tokens(text))
    if kind == "charclass":
        return japanese_charclass_words(text)
    return _chunk_words(text, lang)
