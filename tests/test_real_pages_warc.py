"""bench/real_pages' WARC writer: one HTTP 200 response per real page, bytes exactly as served."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "real_pages"))

from pages import unwrap, wceb_pages, write_warc, zh_pages

from pipeline.extract.warc_extractor import WarcExtractor
from pipeline.io.warc import WarcRecord, iter_warc_records


def test_unwrap_cuts_the_crawler_wrapper_and_keeps_the_bytes():
    raw = '<text id="http://a.cn/x.html" title="标题" encoding="gb2312">\n<html>中文</html>\n</text>'.encode("gbk")
    body, url, encoding = unwrap(raw)
    assert (url, encoding) == ("http://a.cn/x.html", "gb2312")
    assert body == "<html>中文</html>\n".encode("gbk")
    assert unwrap(b"<!DOCTYPE html><html></html>") == (b"<!DOCTYPE html><html></html>", None, None)


def test_every_page_becomes_one_200_response_with_its_payload_unchanged(tmp_path, shared_data):
    assert all(p.url.startswith(("http://", "https://")) for p in wceb_pages())  # a WARC-Target-URI each
    pages = zh_pages() + wceb_pages(limit=20)
    assert len(pages) == 89 and sum(p.truth.get("wrapper_encoding") is not None for p in pages) == 49
    path = tmp_path / "real.warc.gz"
    write_warc(pages, path)
    records = [r for r in iter_warc_records(str(path), lambda _r: True) if isinstance(r, WarcRecord)]
    assert [r.target_uri for r in records] == [p.url for p in pages]
    assert all(r.warc_type == "response" and r.http_status == 200 for r in records)
    assert all(r.payload == p.html for r, p in zip(records, pages, strict=True))
    assert all(r.http_headers.get("content-type") == "text/html" for r in records)


def test_the_extractor_decodes_every_zh_page_as_its_crawler_recorded(tmp_path, shared_data):
    pages = zh_pages()
    path = tmp_path / "zh.warc.gz"
    write_warc(pages, path)
    rows = {row["url"]: row for row in WarcExtractor().extract_file(str(path))}
    expected = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}
    for page in pages:
        row = rows[page.url]
        wanted = expected.get(page.truth["wrapper_encoding"])
        assert wanted is None or row["charset"] == wanted, (page.key, row["charset"])
