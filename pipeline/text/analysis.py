"""Per-document text statistics that several filters share, computed once per text.

Gopher, C4 and FineWeb all need the document's lines, their duplicates and its words. Each
filter calls :func:`analyze` with the text and the ``language`` column; the result is cached
(keyed on text and language, so a rewritten text gets a fresh analysis) and every statistic is
computed lazily on first use, so a filter only pays for what it reads.

The cache is a small per-process LRU. The plain-Python engine applies one step to a whole batch
before the next step, so the cache helps when a batch has at most ``ANALYSIS_CACHE_SIZE``
documents (the Spark engine's Arrow batches should be sized accordingly).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cached_property

from pipeline.text.normalize import split_lines, split_paragraphs
from pipeline.text.script import resolve_language
from pipeline.text.segment import segmenter_name, split_words_by_line, whitespace_words
from pipeline.text.stopwords import stop_words

ANALYSIS_CACHE_SIZE = 1024


def duplicate_stats(items: list[str]) -> tuple[int, int]:
    """(number of items equal to an earlier item, their total characters).

    The first occurrence is not a duplicate: a text with a line written twice has one
    duplicated line. This is the counting both Gopher and FineWeb describe.
    """
    seen: set[str] = set()
    dup_count = dup_chars = 0
    for item in items:
        if item in seen:
            dup_count += 1
            dup_chars += len(item)
        else:
            seen.add(item)
    return dup_count, dup_chars


class TextAnalysis:
    """Lazily computed statistics of one text in one language."""

    def __init__(self, text: str, language: str | None):
        self.text = text
        self.language_code = language

    @cached_property
    def language(self) -> str | None:
        """Normalised language: the column's code, else the script check of the text."""
        return resolve_language(self.language_code, self.text)

    @cached_property
    def segmenter(self) -> str:
        return segmenter_name(self.language)

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    @cached_property
    def line_chars(self) -> int:
        return sum(map(len, self.lines))

    @cached_property
    def line_duplicates(self) -> tuple[int, int]:
        return duplicate_stats(self.lines)

    @cached_property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)

    @cached_property
    def paragraph_chars(self) -> int:
        return sum(map(len, self.paragraphs))

    @cached_property
    def paragraph_duplicates(self) -> tuple[int, int]:
        return duplicate_stats(self.paragraphs)

    @cached_property
    def line_words(self) -> list[list[str]]:
        """Words of each line of ``text.splitlines()`` (empty lines included, so indexes match)."""
        if self.segmenter == "whitespace":
            return [whitespace_words(line) for line in self.text.splitlines()]
        return split_words_by_line(self.text, self.language)

    @cached_property
    def words(self) -> list[str]:
        """All words. Segmented languages reuse ``line_words``: one segmenter pass serves the
        document rules (Gopher, FineWeb) and C4's per-line word counts alike."""
        if self.segmenter == "whitespace":
            return whitespace_words(self.text)
        return [w for line in self.line_words for w in line]

    @cached_property
    def word_lengths(self) -> list[int]:
        return list(map(len, self.words))

    @cached_property
    def word_chars(self) -> int:
        return sum(self.word_lengths)

    @cached_property
    def stop_word_list(self) -> frozenset[str]:
        return stop_words(self.language)

    @cached_property
    def stop_words_found(self) -> frozenset[str]:
        """Distinct stop words of the document's language that occur in it."""
        wanted = self.stop_word_list
        return wanted.intersection(map(str.lower, self.words)) if wanted else frozenset()


_CACHE: OrderedDict[tuple[str, str | None], TextAnalysis] = OrderedDict()


def analyze(text: str | None, language: str | None = None) -> TextAnalysis:
    """The (cached) analysis of ``text`` read as ``language`` (the raw ``language`` column value)."""
    key = (text or "", language)
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
        return found
    result = TextAnalysis(key[0], language)
    _CACHE[key] = result
    if len(_CACHE) > ANALYSIS_CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def remember_line_words(text: str, language: str | None, resolved: str | None, line_words: list[list[str]]) -> None:
    """Cache ``text``'s words per line, known to a step that rebuilt ``text`` from whole lines.

    C4's line cleaner keeps or drops whole lines of a text it already segmented; storing the
    kept lines' words spares the filters after it a second segmentation of the cleaned text (the
    costly part for Chinese and Japanese). Stored only when the lines line up and the text
    resolves to the same language ``resolved`` the words were cut for.
    """
    result = TextAnalysis(text, language)
    if result.language != resolved or len(text.splitlines()) != len(line_words):
        return
    result.__dict__["line_words"] = line_words  # what the cached_property would compute
    key = (text, language)
    _CACHE[key] = result
    _CACHE.move_to_end(key)
    if len(_CACHE) > ANALYSIS_CACHE_SIZE:
        _CACHE.popitem(last=False)


def clear_analysis_cache() -> None:
    _CACHE.clear()
