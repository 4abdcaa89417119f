"""The two training sets of the real-page ablation, from bench/real_pages' WARC files and pipeline run.

* (a) ``visible``: what a WET file gives, all visible text of every page: the payload decoded with the
  pipeline's charset detection, ``<script>``/``<style>``/``<noscript>``/``<template>``/``<svg>`` dropped,
  a line break after each block element, blank runs collapsed. No main-content extraction, no filters,
  no dedup.
* (b) ``pipeline``: the ``status=kept`` documents of the run's last stage (``decontaminate``: extract,
  language ID, Gopher/C4/FineWeb rules, PII redaction, dedup, decontamination).

Both are decontaminated against the held-out file the same way (``pipeline.decontam``: 13-word / 20-character
n-grams), so neither model has seen held-out passages: (b) by the pipeline's stage, (a) here.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from lxml import etree, html

from pipeline.decontam.index import build_index
from pipeline.decontam.match import document_hits
from pipeline.extract.charset import CharsetDecodeError, decode_html
from pipeline.io.warc import WarcRecord, iter_warc_records

_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "object")
_BLOCKS = tuple(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "form",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "title",
        "option",
        "figcaption",
        "main",
        "address",
        "label",
        "button",
    ]
)
_BLANKS = re.compile(r"[ \t\u00a0]+")


def visible_text(payload: bytes) -> str:
    """Every visible string of a page, one block per line (a WET-like rendering)."""
    try:
        text, _, _ = decode_html(payload)
    except CharsetDecodeError:
        return ""
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_DROP, with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (_BLANKS.sub(" ", line).strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def visible_documents(warc_dir: Path) -> list[str]:
    out = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        for record in iter_warc_records(str(path), lambda r: r.warc_type == "response"):
            if isinstance(record, WarcRecord) and record.payload:
                text = visible_text(record.payload)
                if text:
                    out.append(text)
    return out


def decontaminate(texts: list[str], heldout: str) -> tuple[list[str], int]:
    """``texts`` without those sharing a 13-word (20-character) n-gram with ``heldout``; and how many went."""
    index = build_index([heldout], 13, 20)
    cfg = SimpleNamespace(word_ngram=13, char_ngram=20, char_languages=("zh", "ja"), min_ngrams=1)
    kept = [t for t in texts if not document_hits(t, None, index, cfg)]
    return kept, len(texts) - len(kept)
