"""Passage-level dedup, the pure part: sentences, hashed spans of consecutive sentences, removal.

A passage is a span of ``n`` consecutive sentences (3 by default, the span length of datatrove's
sentence dedup and about a paragraph of Dolma's paragraph dedup). The Spark stage
(``jobs/dedup_passages.py``) hashes every span of every document, groups the hashes, and removes a
span that occurs in more than one document from every document but one; this module holds the
per-document functions it runs inside ``mapInArrow``, so tests and benchmarks call them directly.

Sentences: every line break ends a sentence, and within a line a sentence ends after

- ``。！？`` (Chinese / Japanese full stops, never followed by a space in running text) or ASCII
  ``!?`` (also used mid-CJK text without a space), with any closing quotes or brackets after them;
- ``.`` followed by whitespace or the end of the line (so "3.14" and "example.com" do not split).

Abbreviations ("e.g. this") split too early; both copies of a passage split the same way, so this
only shortens spans, it does not hide copies. Each sentence is normalised as the other dedup keys
are (NFKC, lower case, punctuation and spacing folded: ``pipeline.dedup.normalize``); sentences
with nothing left after normalisation are skipped. A span's key is the 64-bit xxh3 of its
sentences' normalised texts joined by newlines. Spans of fewer than ``min_span_chars`` non-space
characters (normalised) are not keyed: three one-word lines ("Home. News. Contact.") are not a
passage, and short spans collide by chance between unrelated documents.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import xxhash

from pipeline.dedup.normalize import normalize_array

# A sentence is the shortest run of characters up to one of these ends (or the end of the line).
_SENTENCE = re.compile(
    r"[^\n]*?(?:[。！？!?]+[\"'”’」』）)\]】]*|\.+[\"'”’」』）)\]】]*(?=[ \t\u3000]|$)|$)",
    re.MULTILINE,
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each non-blank sentence of ``text``, surrounding spaces excluded."""
    out = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see the module docstring)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


@dataclass
class DocSpans:
    """One document's keyed sentences and spans.

    ``sentences`` are the (start, end) offsets of the sentences that survived normalisation, in
    order; span k covers ``sentences[k : k + n]`` and has key ``keys[k]``, or None when too short.
    """

    sentences: list[tuple[int, int]]
    keys: list[int | None]


def batch_spans(texts: Sequence[str | None], n: int = 3, min_span_chars: int = 30) -> list[DocSpans]:
    """``DocSpans`` of every text, with one vectorised normalisation pass for the whole batch."""
    per_doc = [sentence_spans(t) if t else [] for t in texts]
    flat = [t[a:b] for t, spans in zip(texts, per_doc) for a, b in spans]
    norms = normalize_array(pa.array(flat, pa.string())).to_pylist() if flat else []
    out, pos = [], 0
    for spans in per_doc:
        doc_norms = norms[pos : pos + len(spans)]
        pos += len(spans)
        kept = [(s, norm) for s, norm in zip(spans, doc_norms) if norm]
        sizes = [len(norm) - norm.count(" ") for _, norm in kept]
        keys: list[int | None] = []
        for k in range(len(kept) - n + 1):
            if sum(sizes[k : k + n]) < min_span_chars:
                keys.append(None)
                continue
            joined = "\n".join(norm for _, norm in kept[k : k + n])
            keys.append(_signed64(xxhash.xxh3_64_intdigest(joined.encode("utf-8"))))
        out.append(DocSpans([s for s, _ in kept], keys))
    return out


def covered_sentences(span_starts: Sequence[int], n: int, total: int) -> list[bool]:
    """One flag per sentence: True when it lies in one of the spans starting at ``span_starts``."""
    flags = [False] * total
    for k in span_starts:
        for i in range(k, min(k + n, total)):
            flags[i] = True
    return flags


def remove_sentences(text: str, sentences: Sequence[tuple[int, int]], drop: Sequence[bool]) -> str:
    """``text`` without the flagged sentences (and the spaces after each); a line left blank by the
    removal goes too, blank lines that were already there stay. Untouched text is kept byte for byte."""
    if not any(drop):
        return text
    pieces, cursor = [], 0
    for (a, b), flag in zip(sentences, drop):
        if not flag:
            continue
        pieces.append(text[cursor:a])
        cursor = b
        while cursor < len(text) and text[cursor] in " \t\u3000":
            cursor += 1
    pieces.append(text[cursor:])
    rebuilt = "".join(pieces)
    # Lines that held a removed sentence and are now blank: drop them (other blank lines stay).
    breaks = [m.start() for m in re.finditer("\n", text)]
    touched = {bisect.bisect_left(breaks, a) for (a, _), flag in zip(sentences, drop) if flag}
    old_lines, new_lines = text.split("\n"), rebuilt.split("\n")
    if len(old_lines) != len(new_lines):  # a removed sentence never spans a line break
        raise AssertionError("sentence removal changed the line structure")
    kept = [new.rstrip() if i in touched else new for i, new in enumerate(new_lines)]
    kept = [line for i, line in enumerate(kept) if line or i not in touched]
    return "\n".join(kept).strip("\n")
