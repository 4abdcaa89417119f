"""The real pages of ../shared/data as a crawl: loaders, ground truth, and a WARC writer.

* ``wceb``: ``pages/wceb/release/html/<id>.html.gz`` (999 pages with ground truth; the second download
  ``0599.hml`` has none and is left out), URL from the ground truth's ``url``.
* ``zh``: ``pages/zh-web-extraction/original/<uuid>.html``. 49 files start with a ``<text id="URL"
  title=... encoding="...">`` line the dataset's crawler added (and end with ``</text>``): it is not part
  of what the server sent, so it is cut off and its ``id`` becomes the URL; the HTML bytes themselves are
  kept exactly as stored (GBK stays GBK). Files without a wrapper get a synthetic URL.

:func:`write_warc` writes one ``response`` record per page: ``HTTP/1.1 200 OK``, ``Content-Type:
text/html`` without a charset parameter (the crawler's record of the server's header is not in the
data), the payload byte for byte. The charset therefore comes from the page itself (BOM, <meta>) or
from detection, the hardest case for the pipeline.
"""

from __future__ import annotations

import ast
import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
WCEB = SHARED / "pages" / "wceb"
ZH = SHARED / "pages" / "zh-web-extraction"
_WRAPPER = re.compile(rb'\A<text id="([^"]*)"[^\n]*>\r?\n')
_WRAPPER_ENCODING = re.compile(rb'encoding="([^"]*)"')
_WRAPPER_END = re.compile(rb"\s*</text>\s*\Z")


@dataclass(frozen=True)
class Page:
    source: str  # wceb | zh
    key: str  # file id
    url: str
    html: bytes  # as served
    truth: dict  # wceb: main_content, with, without, page_type; zh: text, wrapper_encoding


def _ground_truth(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    truth = data["ground_truth"]
    if isinstance(truth, str):  # some files hold the dict as its Python repr
        truth = ast.literal_eval(truth)
    page_type = ((data.get("_internal") or {}).get("page_type") or {}).get("primary")
    return {"url": data["url"], **truth, "page_type": page_type or "unknown"}


def wceb_pages(limit: int | None = None) -> list[Page]:
    pages = []
    for path in sorted((WCEB / "release" / "html").glob("*.html.gz")):
        key = path.name.split(".")[0]
        truth_path = WCEB / "benchmark" / "ground-truth" / f"{key}.json"
        if path.name != f"{key}.html.gz" or not truth_path.exists():
            continue
        truth = _ground_truth(truth_path)
        url = truth.get("url") or ""
        if not url.startswith(("http://", "https://")):  # a few ground truths hold none or a relative path
            url = f"https://wceb.example/{key}"
        pages.append(Page("wceb", key, url, gzip.decompress(path.read_bytes()), truth))
    return pages[:limit]


def unwrap(raw: bytes) -> tuple[bytes, str | None, str | None]:
    """(HTML as served, URL, encoding the dataset's crawler recorded) of a zh-web-extraction file."""
    match = _WRAPPER.match(raw)
    if not match:
        return raw, None, None
    body = _WRAPPER_END.sub(b"\n", raw[match.end() :])
    found = _WRAPPER_ENCODING.search(match.group(0))
    encoding = found.group(1).decode("ascii") if found else None
    return body, match.group(1).decode("utf-8", "replace"), encoding


def zh_pages() -> list[Page]:
    pages = []
    for path in sorted((ZH / "original").glob("*.html")):
        body, url, encoding = unwrap(path.read_bytes())
        text = (ZH / "cleaned" / path.name).with_suffix(".txt").read_text(encoding="utf-8")
        url = url or f"https://zh-web-extraction.example/{path.stem}"
        pages.append(Page("zh", path.stem, url, body, {"text": text, "wrapper_encoding": encoding}))
    return pages


def write_warc(pages: list[Page], path: Path) -> None:
    """One HTTP 200 text/html response record per page, payload unchanged (see the module docstring)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                page.url,
                "response",
                payload=io.BytesIO(page.html),
                http_headers=http,
                # as Common Crawl writes it; readers that sniff the payload instead (datatrove's, with libmagic)
                # skip some real HTML pages without it
                warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"},
            )
            writer.write_record(record)


def write_crawl(out_dir: Path, files_per_source: int = 4, wceb_limit: int | None = None) -> dict[str, list[Page]]:
    """The pages of both sources as ``out_dir/<source>-<n>.warc.gz`` (a few files so Spark runs them in parallel)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = {"wceb": wceb_pages(wceb_limit), "zh": zh_pages()}
    for name, pages in sources.items():
        parts = files_per_source if name == "wceb" else 1
        for i in range(parts):
            write_warc(pages[i::parts], out_dir / f"{name}-{i}.warc.gz")
    return sources
