"""Deterministic WARC output in the shape Common Crawl publishes.

Each file starts with a warcinfo record; every capture is a request, a response and a metadata record
(in that order, linked by WARC-Concurrent-To / WARC-Refers-To), as in CC-MAIN WARC files. Record ids and
dates come from a seeded RNG and warcio writes each record as its own gzip member (zlib's gzip header
carries mtime 0), so the same seed gives byte-identical files. Files roll over every `pages_per_file`
captures so Spark can read them in parallel.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from warcio.warcwriter import WARCWriter

CRAWL_START = datetime(2024, 3, 1, tzinfo=UTC)
USER_AGENT = "CCBot/2.0 (https://commoncrawl.org/faq/)"


class SampleWarcWriter:
    """Writes captures into `<out>/warc/sample-00000.warc.gz`, `sample-00001...`, rolling every N pages."""

    def __init__(self, out_dir: Path, pages_per_file: int, rng: random.Random, seed: int):
        self.dir = Path(out_dir) / "warc"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.pages_per_file, self.rng, self.seed = pages_per_file, rng, seed
        self.clock = CRAWL_START
        self.files: list[str] = []
        self.records = {"warcinfo": 0, "request": 0, "response": 0, "metadata": 0}
        self._fh = self._writer = None
        self._in_file = 0

    def _record_id(self) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"

    def _tick(self) -> str:
        self.clock += timedelta(seconds=self.rng.randint(1, 30))
        return self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _open(self) -> None:
        name = f"sample-{len(self.files):05d}.warc.gz"
        self.files.append(name)
        self._fh = open(self.dir / name, "wb")  # noqa: SIM115 - closed in _close, spans many calls
        self._writer = WARCWriter(self._fh, gzip=True)
        fields = {
            "software": "corpus-pipeline make-sample",
            "isPartOf": "SAMPLE-CRAWL",
            "operator": "synthetic sample generator",
            "description": f"synthetic crawl, seed={self.seed}",
            "format": "WARC File Format 1.0",
            "robots": "checked via crawler-commons",
        }
        payload = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode()
        headers = {"WARC-Record-ID": self._record_id(), "WARC-Date": self._tick(), "WARC-Filename": name}
        self._write("", "warcinfo", payload, headers, "application/warc-fields")
        self._in_file = 0

    def _write(self, uri: str, rtype: str, payload: bytes, headers: dict, content_type: str | None = None) -> None:
        record = self._writer.create_warc_record(
            uri,
            rtype,
            payload=BytesIO(payload),
            length=len(payload),
            warc_headers_dict=headers,
            warc_content_type=content_type or "",
        )
        self._writer.write_record(record)
        self.records[rtype] += 1

    def _close(self) -> None:
        if self._fh:
            self._fh.close()
            self._fh = self._writer = None

    def write_capture(self, url: str, head: tuple, body: bytes, metadata: dict) -> tuple[str, str]:
        """Write request + response + metadata for one fetch; returns (warc file name, response record id).

        `head` is (status, reason, content type or None, extra headers dict) for `http_head`.
        """
        if self._fh is None or self._in_file >= self.pages_per_file:
            self._close()
            self._open()
        date, request_id, response_id = self._tick(), self._record_id(), self._record_id()
        host, _, path = url.split("://", 1)[1].partition("/")
        request = (
            f"GET /{path} HTTP/1.1\r\nUser-Agent: {USER_AGENT}\r\nAccept: text/html,application/xhtml+xml,"
            f"application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nHost: {host}\r\n\r\n"
        ).encode()
        self._write(
            url,
            "request",
            request,
            {"WARC-Record-ID": request_id, "WARC-Date": date, "WARC-Concurrent-To": response_id},
        )
        status, reason, content_type, extra = head
        response = http_head(status, reason, content_type, len(body), date, extra).encode("latin-1") + body
        headers = {"WARC-Record-ID": response_id, "WARC-Date": date, "WARC-Concurrent-To": request_id}
        self._write(url, "response", response, headers)
        fields = "".join(f"{k}: {v}\r\n" for k, v in metadata.items()).encode()
        meta_headers = {"WARC-Record-ID": self._record_id(), "WARC-Date": date, "WARC-Refers-To": response_id}
        self._write(url, "metadata", fields, meta_headers, "application/warc-fields")
        self._in_file += 1
        return self.files[-1], response_id

    def close(self) -> None:
        self._close()


def http_head(
    status: int, reason: str, content_type: str | None, length: int, date: str, extra: dict | None = None
) -> str:
    """HTTP/1.1 response head; `content_type=None` omits the header (some servers do)."""
    when = datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [f"HTTP/1.1 {status} {reason}", f"Date: {when}", "Server: nginx"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    lines += [f"Content-Length: {length}", "Connection: close"]
    return "\r\n".join(lines) + "\r\n\r\n"
