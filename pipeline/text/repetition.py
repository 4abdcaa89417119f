"""Word n-gram repetition measures of the Gopher repetition rules, in linear time.

Both measures are "the share of the document's word characters covered by repeated n-grams",
where characters are those of the words (whitespace and dropped punctuation excluded) and a
word covered by several occurrences counts once, so a share never exceeds 1.

* top n-gram share (n = 2..4): characters covered by the occurrences of the most frequent
  n-gram (ties: the first to occur). An n-gram seen once is no repetition: 0.
* duplicated n-gram share (n = 5..10): characters covered by every n-gram occurring twice or
  more.

N-grams are tuples of words counted with ``Counter`` (string hashes are cached, so this is C
speed). :class:`NgramRepetition` counts bigrams once and each larger n only at the positions
where it can still repeat (see there). Covered characters come from prefix sums over merged
intervals, not a per-word loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate


def prefix_sums(lengths: Sequence[int]) -> list[int]:
    """``p[i]`` = characters of the first i words (``p[0] = 0``)."""
    return list(accumulate(lengths, initial=0))


def _covered_chars(starts: Iterable[int], n: int, prefix: Sequence[int]) -> int:
    """Characters of the words covered by the n-grams starting at ``starts`` (ascending)."""
    total, run_start, run_end = 0, None, -1
    for i in starts:
        if i > run_end:
            if run_start is not None:
                total += prefix[run_end] - prefix[run_start]
            run_start = i
        if i + n > run_end:
            run_end = i + n
    if run_start is not None:
        total += prefix[run_end] - prefix[run_start]
    return total


def _ngrams(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(words[k:] for k in range(n))))


class NgramRepetition:
    """Repeated word n-grams of one text, for n = 2, 3, ... computed on demand, in order.

    n = 2 is counted over the whole text. For n > 2 only candidate positions are counted: i
    such that the (n-1)-grams at i and i + 1 both repeat, since an n-gram occurring twice has
    both its (n-1)-gram halves occurring twice. Every occurrence of a repeated n-gram is a
    candidate, so its count is exact; in prose the candidates shrink to none within a few
    steps, which makes the whole chain cost little more than one ``Counter`` over the bigrams.
    """

    def __init__(self, words: Sequence[str], prefix: Sequence[int]):
        self.words, self.prefix, self.total = words, prefix, prefix[-1]
        self.n = 1
        self.starts: list[int] = []  # ascending start positions of repeated n-grams
        self._grams: list[tuple[str, ...]] = []  # the n-gram at each of ``starts``

    def _advance(self) -> None:
        words, n = self.words, self.n + 1
        if n == 2:
            grams = _ngrams(words, 2)
            counts = Counter(grams)
            starts = [i for i, g in enumerate(grams) if counts[g] > 1]
            self._grams = list(map(grams.__getitem__, starts))
        else:
            repeated = set(self.starts)
            cands = [i for i in self.starts if i + 1 in repeated and i + n <= len(words)]
            grams = [tuple(words[i : i + n]) for i in cands]
            counts = Counter(grams)
            kept = [(i, g) for i, g in zip(cands, grams) if counts[g] > 1]
            starts = [i for i, _ in kept]
            self._grams = [g for _, g in kept]
        self.n, self.starts = n, starts

    def advance_to(self, n: int) -> None:
        if n < max(self.n, 2):
            raise ValueError(f"n-gram sizes must be asked in ascending order, from 2 ({n} after {self.n})")
        while self.n < n:
            self._advance()

    def duplicated_share(self, n: int) -> float:
        """Share of word characters covered by n-grams occurring twice or more."""
        self.advance_to(n)
        if not self.starts or not self.total:
            return 0.0
        return _covered_chars(self.starts, n, self.prefix) / self.total

    def top_share(self, n: int) -> float:
        """Share of word characters covered by the most frequent n-gram; ties go to the n-gram
        that occurs first. 0 when no n-gram repeats."""
        self.advance_to(n)
        if not self.starts or not self.total:
            return 0.0
        best = Counter(self._grams).most_common(1)[0][0]  # first to occur among equals
        starts = [i for i, g in zip(self.starts, self._grams) if g == best]
        return _covered_chars(starts, n, self.prefix) / self.total


def first_top_ngram_over(rep: NgramRepetition, limits: Sequence[Sequence[float]]) -> tuple[int, float] | None:
    """The first ``(n, share)`` of ``limits`` (``[n, max_share]`` pairs, ascending n) whose top
    n-gram share exceeds its maximum, or None."""
    for n, limit in limits:
        share = rep.top_share(int(n))
        if share > limit:
            return int(n), share
    return None


def duplicated_ngram_shares(words: Sequence[str], prefix: Sequence[int], ns: Sequence[int]) -> dict[int, float]:
    """For each n in ``ns`` (each >= 2) the share of word characters covered by repeated n-grams."""
    rep = NgramRepetition(words, prefix)
    return {n: rep.duplicated_share(n) for n in sorted(ns)}


def top_ngram_share(words: Sequence[str], prefix: Sequence[int], n: int) -> float:
    """Share of word characters covered by the most frequent word n-gram (0 if none repeats)."""
    return NgramRepetition(words, prefix).top_share(n)
