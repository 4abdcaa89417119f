"""WARC file -> one schema-v1 row per record read: HTML responses become documents, the rest reasons.

Every record warcio frames gives exactly one row, and a part of the file that cannot be framed gives one
more, so "WARC records read = documents + records skipped with a counted reason" holds per file.
Kept rows are HTTP 200 HTML/XHTML responses whose main text (trafilatura) is at least ``min_text_chars``
long, and WET ``conversion`` records (their text is already extracted; see below).

Reason codes (``removed_by="extract"``; ``removed_detail`` in brackets):

* ``not_response``: warcinfo, request, metadata, revisit, resource ... records [the WARC-Type]
* ``http_redirect``: HTTP 3xx [status]
* ``http_error``: HTTP 4xx / 5xx [status]
* ``http_other``: any other status (1xx, 2xx other than 200) or no HTTP status line [status]
* ``not_html``: Content-Type is not text/html or application/xhtml+xml [the mime]; a missing type is
  sniffed from the payload start
* ``binary_payload``: labelled HTML but the payload starts with a binary magic number or has NUL bytes
  in its first 4 KB [format]
* ``too_large``: decoded payload over ``max_html_bytes``; never decoded nor parsed [the cap]
* ``decode_error``: the Content-Encoding/chunking could not be undone, or no charset decodes it [why]
* ``truncated_record``: the record holds fewer bytes than its Content-Length (a clipped file) [counts]
* ``language_prescreen``: only with ``prescreen_languages``: the page's cheap text is clearly in none of
  the wanted languages, so trafilatura was not run [top language and the wanted languages' score]
* ``extract_timeout``: decoding + extraction ran over ``timeout_s`` [the limit]
* ``extract_error``: the extractor raised [exception class name]
* ``empty_text``: fewer than ``min_text_chars`` characters extracted [chars=N<M]
* ``warc_read_error``: the rest of the file from ``warc_offset`` on could not be framed (truncated or
  corrupt gzip, not a WARC, empty file, unreadable file) [error class and message]. Not a record: its
  id hashes ``"<file basename>:<offset>:warc_read_error"``.

Record ids: the first 32 hex digits of the SHA-1 of ``"<WARC-Record-ID>|<file basename>:<offset>"`` (an
empty record id when the record has none): stable across runs, and unique even in a file that repeats a
WARC-Record-ID (invalid, but seen).

WET files: a ``conversion`` record is plain text that Common Crawl already extracted, in UTF-8 as the
WET format specifies, so it is kept as a document with ``charset="utf-8"`` and ``charset_source="header"``
(the format is the declaration); as in cc_net, its first line is the page title and the rest the text.

``html_bytes`` is the decoded payload size for records whose payload was read (HTML candidates), else
the payload size as stored in the WARC.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from pipeline.annotate.language_codes import hint_label
from pipeline.extract.charset import CharsetDecodeError, decode_html, header_charset
from pipeline.extract.engines import RESCUE_BELOW_CHARS, check_engine_options
from pipeline.extract.html import (
    ExtractionTimeout,
    extract_main_text,
    html_lang,
    html_title,
    normalize_language,
    sniff_binary,
    time_limit,
)
from pipeline.extract.prescreen import LanguagePrescreen
from pipeline.io.warc import WarcReadError, WarcRecord, iter_warc_records, parse_warc_fields
from schemas.documents import STATUS_KEPT, STATUS_REMOVED, empty_row

STEP = "extract"
HTML_MIMES = frozenset(("text/html", "application/xhtml+xml"))
REASONS = (
    "not_response",
    "http_redirect",
    "http_error",
    "http_other",
    "not_html",
    "binary_payload",
    "too_large",
    "decode_error",
    "truncated_record",
    "language_prescreen",
    "extract_timeout",
    "extract_error",
    "empty_text",
    "warc_read_error",
)
_UNICODE_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class _Skip(Exception):  # control flow: the record ends with this reason
    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


class WarcExtractor:
    """Turn a WARC file into schema-v1 rows (see the module docstring for the reason codes).

    ``timeout_s``: seconds allowed per record for decoding + extraction (enforced in the main thread only).
    ``max_html_bytes``: decoded payload cap; larger payloads are ``too_large`` and never parsed. 5 MB is
    above Common Crawl's own 1 MiB payload truncation (since 2013), so it only catches outliers.
    ``min_text_chars``: a kept document has at least this many characters of text.
    ``favor_precision`` / ``include_comments`` / ``include_tables`` / ``deduplicate``: trafilatura's own
    options. The defaults are trafilatura's defaults, which score F1 0.95-0.96 on the Zyte article
    benchmark (see bench/extract_quality/RESULTS.md).
    ``fast``: trafilatura's ``fast=True`` (no readability/jusText fallback when its own extraction looks
    thin): less CPU on the Zyte pages with the same F1 (0.962 vs 0.960, bench/extract_quality).
    ``prescreen_languages`` / ``prescreen_min_score``: when given, pages whose cheap text is clearly in
    none of these languages skip trafilatura and are removed as ``language_prescreen``
    (``pipeline/extract/prescreen.py``). Off by default; together with ``fast`` this is the fast path
    of README "Fast path".
    ``thread_posts``: append the posts of a forum thread or Q&A page that trafilatura left out, read from
    the page's schema.org microdata (``pipeline/extract/threads.py``); off, the text is trafilatura's.
    ``engine``: ``trafilatura`` (default) or ``resiliparse`` (``pipeline/extract/html.py``): 3-4x less
    extraction CPU on real pages, more boilerplate kept; it takes ``include_comments`` and
    ``include_tables`` only, and refuses ``fast``, ``favor_precision`` and ``deduplicate``.
    ``rescue_below_chars``: with ``resiliparse``, pages whose text is shorter go to trafilatura (0: never).
    """

    def __init__(
        self,
        source: str = "crawl",
        crawl: str | None = None,
        timeout_s: float = 5.0,
        max_html_bytes: int = 5_000_000,
        min_text_chars: int = 1,
        favor_precision: bool = False,
        include_comments: bool = False,
        include_tables: bool = True,
        deduplicate: bool = False,
        fast: bool = False,
        thread_posts: bool = True,
        prescreen_languages: Sequence[str] = (),
        prescreen_min_score: float = 0.1,
        engine: str = "trafilatura",
        rescue_below_chars: int = RESCUE_BELOW_CHARS,
    ):
        check_engine_options(engine, fast=fast, favor_precision=favor_precision, deduplicate=deduplicate)
        self.source = source
        self.crawl = crawl
        self.timeout_s = timeout_s
        self.max_html_bytes = max_html_bytes
        self.min_text_chars = min_text_chars
        self.favor_precision = favor_precision
        self.include_comments = include_comments
        self.include_tables = include_tables
        self.deduplicate = deduplicate
        self.fast = fast
        self.thread_posts = thread_posts
        self.engine = engine
        self.rescue_below_chars = rescue_below_chars
        self.prescreen = LanguagePrescreen(prescreen_languages, prescreen_min_score) if prescreen_languages else None

    def extract_file(self, path: str) -> Iterator[dict]:
        """Yield one row per WARC record read, plus one row for an unreadable remainder of the file."""
        crawl = self.crawl
        for item in iter_warc_records(path, self._payload_wanted, self.max_html_bytes):
            if isinstance(item, WarcReadError):
                yield self._read_error_row(path, item, crawl)
                continue
            if item.warc_type == "warcinfo" and crawl is None:
                crawl = parse_warc_fields(item.payload).get("isPartOf") or None
            yield self._record_row(path, item, crawl)

    def _payload_wanted(self, record: WarcRecord) -> bool:
        if record.warc_type in ("warcinfo", "conversion"):
            return True
        return record.warc_type == "response" and record.http_status == 200 and _mime(record) in (None, *HTML_MIMES)

    def _record_row(self, path: str, record: WarcRecord, crawl: str | None) -> dict:
        row = self._base_row(path, record, crawl)
        try:
            self._fill(row, record)
            row["status"] = STATUS_KEPT
        except _Skip as skip:
            _remove(row, skip.reason, skip.detail)
        except ExtractionTimeout:
            _remove(row, "extract_timeout", f"over {self.timeout_s:g} s")
        except Exception as err:  # any other failure on one record becomes its reason, never a lost file
            _remove(row, "extract_error", type(err).__name__)
        return row

    def _fill(self, row: dict, record: WarcRecord) -> None:
        if record.truncated:
            raise _Skip("truncated_record", f"missing {record.missing_bytes} of the declared bytes")
        if record.warc_type == "conversion":
            return self._fill_conversion(row, record)
        if record.warc_type != "response":
            raise _Skip("not_response", record.warc_type or "unknown")
        _check_http(record)
        if record.payload_error:
            raise _Skip("decode_error", record.payload_error)
        if record.too_large:
            raise _Skip("too_large", f"payload>{self.max_html_bytes} bytes")
        payload = record.payload or b""
        mime = row["content_type"] or _sniff_mime(payload)
        if mime not in HTML_MIMES:
            raise _Skip("not_html", mime or "missing")
        self._fill_html(row, record, payload)

    def _fill_html(self, row: dict, record: WarcRecord, payload: bytes) -> None:
        charset = header_charset(record.http_headers.get("content-type"))
        if not payload.startswith(_UNICODE_BOMS) and (kind := sniff_binary(payload)):
            raise _Skip("binary_payload", kind)
        with time_limit(self.timeout_s):
            try:
                html, row["charset"], row["charset_source"] = decode_html(payload, charset)
            except CharsetDecodeError as err:
                raise _Skip("decode_error", str(err)) from None
            row["title"] = html_title(html)
            lang = html_lang(html) or record.http_headers.get("content-language")
            row["language_hint"] = hint_label(normalize_language(lang))
            if self.prescreen and (detail := self.prescreen.skip(html)):
                raise _Skip("language_prescreen", detail)
            text = extract_main_text(
                html,
                url=record.target_uri,
                favor_precision=self.favor_precision,
                include_comments=self.include_comments,
                include_tables=self.include_tables,
                deduplicate=self.deduplicate,
                fast=self.fast,
                thread_posts=self.thread_posts,
                engine=self.engine,
                rescue_below_chars=self.rescue_below_chars,
            )
        self._set_text(row, text)

    def _fill_conversion(self, row: dict, record: WarcRecord) -> None:
        if record.too_large:
            raise _Skip("too_large", f"payload>{self.max_html_bytes} bytes")
        content = (record.payload or b"").decode("utf-8", "replace")
        row["charset"], row["charset_source"] = "utf-8", "header"
        title, _, text = content.partition("\n")
        row["title"] = title.strip() or None
        self._set_text(row, text)

    def _set_text(self, row: dict, text: str) -> None:
        row["text"], row["n_chars"] = text, len(text)
        if len(text) < max(self.min_text_chars, 1):
            raise _Skip("empty_text", f"chars={len(text)}<{max(self.min_text_chars, 1)}")

    def _base_row(self, path: str, record: WarcRecord, crawl: str | None) -> dict:
        row = empty_row()
        row.update(
            id=_stable_id(record.record_id, path, record.offset),
            source=self.source,
            crawl=crawl,
            url=record.target_uri,
            domain=_domain(record.target_uri),
            fetch_time=_parse_warc_date(record.date),
            warc_record_id=record.record_id,
            warc_file=path,
            warc_offset=record.offset,
            warc_type=record.warc_type,
            http_status=record.http_status,
            content_type=_mime(record),
            html_bytes=record.payload_size,
        )
        return row

    def _read_error_row(self, path: str, error: WarcReadError, crawl: str | None) -> dict:
        row = empty_row()
        row.update(
            # not a record: its own key, so it never collides with a record at the same offset
            id=_stable_id(f"{os.path.basename(path)}:{error.offset}:warc_read_error", path, error.offset),
            source=self.source,
            crawl=crawl,
            warc_file=path,
            warc_offset=error.offset,
        )
        return _remove(row, "warc_read_error", error.error)


def file_outcome(rows: Iterable[dict]) -> str:
    """'error' if a row has warc_read_error, else 'truncated' if one has truncated_record, else 'ok'."""
    reasons = {row.get("removed_reason") for row in rows}
    if "warc_read_error" in reasons:
        return "error"
    return "truncated" if "truncated_record" in reasons else "ok"


def _check_http(record: WarcRecord) -> None:
    status = record.http_status
    if status is None:
        raise _Skip("http_other", "no HTTP status line")
    if 300 <= status < 400:
        raise _Skip("http_redirect", str(status))
    if 400 <= status < 600:
        raise _Skip("http_error", str(status))
    if status != 200:
        raise _Skip("http_other", str(status))


def _remove(row: dict, reason: str, detail: str | None) -> dict:
    row.update(status=STATUS_REMOVED, removed_by=STEP, removed_reason=reason, removed_detail=detail)
    return row


def _mime(record: WarcRecord) -> str | None:
    value = record.http_headers.get("content-type")
    mime = (value or "").split(";", 1)[0].strip().lower()
    return mime or None


def _sniff_mime(payload: bytes) -> str | None:
    """text/html when an untyped payload starts like HTML (after whitespace and a BOM), else None."""
    head = payload[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "text/html" if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) else None


def _stable_id(record_id: str | None, path: str, offset: int) -> str:
    # The file name and offset make the id unique even when a file repeats a WARC-Record-ID (seen in
    # real files), so joins on id in later stages never multiply rows.
    key = f"{record_id or ''}|{os.path.basename(path)}:{offset}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _domain(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    return host.lower() if host else None


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
