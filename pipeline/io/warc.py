"""Read WARC / WARC.gz (and ARC, converted to WARC headers) records with warcio, never raising on bad input.

:func:`iter_warc_records` yields one :class:`WarcRecord` per record that warcio could frame, then at most
one :class:`WarcReadError` describing the part of the file it could not frame (a corrupt or truncated gzip
member, bytes that are not a WARC record, an empty file, a file that cannot be opened). Nothing in between
is skipped silently: every record read is yielded, so "records read = rows" can be checked downstream.

Payloads are only kept for the records a caller asks for (``payload_wanted``), capped at
``max_payload_bytes`` of decoded payload, so a 1 GB video record costs one streaming pass and no memory.
Every record is still read to its end, which is how a record shorter than its declared Content-Length
(a clipped download) is detected: warcio's length-limited reader then stops early with bytes left.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from warcio.archiveiterator import ArchiveIterator

_CHUNK = 64 * 1024


@dataclass
class WarcRecord:
    """The fields of one record the extractor needs; ``payload`` is None unless it was asked for."""

    offset: int
    warc_type: str | None
    record_id: str | None
    target_uri: str | None
    date: str | None
    warc_headers: dict[str, str]
    http_status: int | None = None
    http_headers: dict[str, str] = field(default_factory=dict)
    payload: bytes | None = None
    payload_size: int = 0
    too_large: bool = False
    truncated: bool = False
    missing_bytes: int = 0
    payload_error: str | None = None

    @property
    def has_http(self) -> bool:
        return bool(self.http_headers) or self.http_status is not None


@dataclass
class WarcReadError:
    """The rest of the file from ``offset`` on could not be framed into records."""

    offset: int
    error: str


def iter_warc_records(
    path: str,
    payload_wanted: Callable[[WarcRecord], bool] = lambda _record: False,
    max_payload_bytes: int = 5_000_000,
) -> Iterator[WarcRecord | WarcReadError]:
    """Yield the records of ``path`` in file order, then a :class:`WarcReadError` if framing failed."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- closed in the finally below, across yields
    except OSError as err:
        yield WarcReadError(0, _describe(err))
        return
    try:
        if os.fstat(fh.fileno()).st_size == 0:
            yield WarcReadError(0, "EmptyFile: zero-byte file")
            return
        yield from _iterate(fh, payload_wanted, max_payload_bytes)
    finally:
        fh.close()


def _iterate(fh, payload_wanted, max_payload_bytes) -> Iterator[WarcRecord | WarcReadError]:
    iterator = ArchiveIterator(fh, arc2warc=True)
    offset = 0
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            yield from _trailing_bytes(fh, iterator)
            return
        except Exception as err:  # a framing failure ends the file: one error row for the remainder
            yield WarcReadError(_safe_offset(iterator, offset), _describe(err))
            return
        # warcio sets .offset to the start of the record it is about to hand out
        offset = iterator.offset
        if not _header_block_complete(record):  # a gzip member cut inside the header block
            yield WarcReadError(
                offset, "TruncatedRecord: WARC header block cut short (no WARC-Type or no Content-Length value)"
            )
            return
        try:
            item = _read_record(record, offset, payload_wanted, max_payload_bytes)
        except Exception as err:  # the record's own bytes could not be read: the stream is lost from here
            yield WarcReadError(offset, _describe(err))
            return
        yield item


def _header_block_complete(record) -> bool:
    """Every WARC record (and every ARC record warcio converts) names its type and its Content-Length.

    warcio hands out whatever header lines a file or gzip member cut short still held (none,
    ``WARC-Type:`` with its value cut off, or ``Content-Length:`` with no value) as a record with no
    declared length, so nothing looks missing: without this check such a file gave one empty record
    and no error.
    """
    length = record.rec_headers.get_header("Content-Length")
    # a value that is there but not a number ("-1", "abc" in warcio's bad.arc) is the record's own fault,
    # read as warcio reads it; an empty one is where a cut fell
    return bool(record.rec_type) and bool((length or "").strip())


def _trailing_bytes(fh, iterator: ArchiveIterator) -> Iterator[WarcReadError]:
    """warcio ends quietly on a gzip member cut short: bytes left after the last record are an error."""
    size = os.fstat(fh.fileno()).st_size
    end = _safe_offset(iterator, size)
    if end < size:
        yield WarcReadError(end, f"TruncatedFile: {size - end} bytes after the last readable record")


def _read_record(record, offset: int, payload_wanted, max_payload_bytes: int) -> WarcRecord:
    headers = {name: value for name, value in record.rec_headers.headers}
    item = WarcRecord(
        offset=offset,
        warc_type=record.rec_type,
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        target_uri=record.rec_headers.get_header("WARC-Target-URI"),
        date=record.rec_headers.get_header("WARC-Date"),
        warc_headers=headers,
    )
    if record.http_headers is not None and record.rec_type in ("response", "revisit"):
        item.http_status = _status_code(record.http_headers.get_statuscode())
        item.http_headers = {name.lower(): value for name, value in record.http_headers.headers}
    if payload_wanted(item):
        _read_payload(record, item, max_payload_bytes)
    item.payload_size += _drain(record.raw_stream)
    # LimitReader.limit counts the declared bytes not yet delivered: > 0 once drained means a clipped record
    item.missing_bytes = max(0, int(getattr(record.raw_stream, "limit", 0) or 0))
    item.truncated = item.missing_bytes > 0
    return item


def _read_payload(record, item: WarcRecord, max_payload_bytes: int) -> None:
    """Read the decoded payload (de-chunked, Content-Encoding undone) up to the cap, then stop."""
    buffer = bytearray()
    try:
        stream = record.content_stream()
        while len(buffer) <= max_payload_bytes:
            chunk = stream.read(min(_CHUNK, max_payload_bytes + 1 - len(buffer)))
            if not chunk:
                break
            buffer += chunk
    except Exception as err:  # broken chunking or compression inside one payload; framing may still be fine
        item.payload_error = _describe(err)
    item.too_large = len(buffer) > max_payload_bytes
    item.payload = None if item.too_large else bytes(buffer)
    item.payload_size = len(buffer)


def _drain(stream) -> int:
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return total
        total += len(chunk)


def _status_code(value) -> int | None:
    try:
        return int(str(value).strip()[:3])
    except (TypeError, ValueError):
        return None


def _safe_offset(iterator: ArchiveIterator, fallback: int) -> int:
    value = getattr(iterator, "offset", None)
    return value if isinstance(value, int) and value >= 0 else fallback


def _describe(err: BaseException) -> str:
    """Error class and the first line of its message, short enough for a detail column."""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message[:200]}" if message else type(err).__name__


def parse_warc_fields(payload: bytes | None) -> dict[str, str]:
    """The ``name: value`` lines of a warcinfo record (application/warc-fields)."""
    fields: dict[str, str] = {}
    if not payload:
        return fields
    for line in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields.setdefault(name.strip(), value.strip())
    return fields
