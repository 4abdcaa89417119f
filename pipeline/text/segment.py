"""Word segmentation per language: what "a word" means for the rules that count words.

=============  ==========================================================================
language       segmentation
=============  ==========================================================================
zh             jieba 0.42.1 (dictionary + HMM for unknown words), punctuation dropped.
ja             MeCab through fugashi with the unidic-lite dictionary (short-unit words);
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
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+"  # kanji
    r"|[\u3041-\u309f]+"  # hiragana
    r"|[\u30a0-\u30ff\u31f0-\u31ffー\uff66-\uff9f]+"  # katakana (full and half width)
    r"|[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+"  # Latin letters, digits, other scripts
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


def mecab_tagger():
    return process_cached("pipeline.text.mecab", _make_mecab)


def segmenter_name(lang: str | None) -> str:
    """Which segmentation ``split_words`` uses for a (normalised) language code."""
    if lang == "zh":
        return "jieba"
    if lang == "ja":
        return "mecab" if mecab_tagger() is not None else "charclass"
    if lang in _CHUNKED_SCRIPTS:
        return "chunks"
    return "whitespace"


def _clean(tokens) -> list[str]:
    return [w for t in tokens if (w := t.strip().strip(PUNCTUATION))]


_STRIP_PUNCT = methodcaller("strip", PUNCTUATION)


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


# Tokens jieba emits for the characters str.splitlines() breaks on (jieba splits whitespace
# into one token per character, "\r\n" kept together).
_LINE_BREAK_TOKENS = frozenset(["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])


def split_words_by_line(text: str, lang: str | None) -> list[list[str]]:
    """The words of each line of ``text.splitlines()``, in order.

    For Chinese the whole text goes through jieba once (its segmentation never spans a line
    break, so this equals segmenting each line) and the tokens are cut at line breaks.
    """
    lines = text.splitlines()
    if segmenter_name(lang) == "jieba":
        out: list[list[str]] = [[]]
        for token in jieba_tokenizer().lcut(text):
            if token in _LINE_BREAK_TOKENS:
                out.append([])
            elif w := token.strip().strip(PUNCTUATION):
                out[-1].append(w)
        if len(out) == len(lines) + 1 and not out[-1]:
            out.pop()  # the text ended with a line break
        if len(out) == len(lines):
            return out
    return [split_words(line, lang) for line in lines]


def split_words(text: str, lang: str | None) -> list[str]:
    """The words of ``text`` for language ``lang`` (a normalised code or None), punctuation dropped."""
    kind = segmenter_name(lang)
    if kind == "whitespace":
        return whitespace_words(text)
    if kind == "jieba":
        return _clean(jieba_tokenizer().lcut(text))
    if kind == "mecab":
        return _clean(node.surface for node in mecab_tagger()(text))
    if kind == "charclass":
        return japanese_charclass_words(text)
    return _chunk_words(text, lang)
