"""Stop-word lists, one data file per language under ``pipeline/text/stopwords/<lang>.txt``.

Format: one word per line, ``#`` starts a comment, blank lines ignored. English is the Gopher
paper's list of eight words; the others are short lists of the most frequent function words
written for this project (see each file's header). Matching is on lowercased words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

STOPWORDS_DIR = Path(__file__).with_name("stopwords")


def read_word_list(path: str | Path) -> frozenset[str]:
    """Lowercased entries of a one-per-line list with ``#`` comments (shared by the URL filter)."""
    words = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            entry = line.split("#", 1)[0].strip().lower()
            if entry:
                words.add(entry)
    return frozenset(words)


def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in STOPWORDS_DIR.glob("*.txt")))


@cache
def stop_words(lang: str | None) -> frozenset[str]:
    """The stop words of a language, or an empty set when no list ships for it."""
    if not lang:
        return frozenset()
    path = STOPWORDS_DIR / f"{lang}.txt"
    return read_word_list(path) if path.is_file() else frozenset()
