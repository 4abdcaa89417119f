"""The Zyte article-extraction benchmark pages, read in place, and wrapped into a WARC for our extractor."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[2]
ZYTE_DIR = ROOT.parent / "shared" / "data" / "html" / "zyte-article-benchmark"


def load_pages(zyte_dir: Path = ZYTE_DIR) -> dict[str, bytes]:
    """page id -> raw HTML bytes, straight from html.tar (members are html/<id>.html.gz)."""
    pages = {}
    with tarfile.open(zyte_dir / "html.tar") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html.gz"):
                page_id = Path(member.name).name.split(".")[0]
                pages[page_id] = gzip.decompress(tar.extractfile(member).read())
    return dict(sorted(pages.items()))


def load_ground_truth(zyte_dir: Path = ZYTE_DIR) -> dict[str, dict]:
    return json.loads((zyte_dir / "ground-truth.json").read_text(encoding="utf-8"))


def write_warc(pages: dict[str, bytes], path: Path) -> dict[str, str]:
    """One HTTP 200 text/html response per page (no charset in the header, so our sniffing runs).

    Returns WARC-Target-URI -> page id; the URI is synthetic so ids map back unambiguously.
    """
    uri_to_id = {}
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page_id, html in pages.items():
            uri = f"https://zyte-benchmark.example/{page_id}"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(html), http_headers=http)
            writer.write_record(record)
            uri_to_id[uri] = page_id
    return uri_to_id
