"""WarcExtractor: one row per record read, exact reason codes, row fields, and accounting on real files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.extract.warc_extractor import REASONS, WarcExtractor, file_outcome
from schemas.documents import DOCUMENT_COLUMNS, rows_to_table
from tests.conftest import SHARED_DATA, shared_path
from tests.test_extract_html import ARTICLE, PAGE, _pathological_page

ZH = "中文网页的正文内容，这是一个测试页面。我们需要正确地解码这些汉字，不能出现乱码。"


def _response(writer, url, body, status="200 OK", content_type="text/html", extra=()):
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def _write_warc(path: Path, records) -> str:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=str(path).endswith(".gz"))
        info = writer.create_warcinfo_record(path.name, {"isPartOf": "CC-MAIN-2099-01", "software": "test"})
        writer.write_record(info)
        for args in records:
            _response(writer, *args[:2], **(args[2] if len(args) > 2 else {}))
    return str(path)


def _rows(path, **options):
    return list(WarcExtractor(**options).extract_file(str(path)))


def _by_url(rows):
    return {row["url"]: row for row in rows if row["url"]}


def test_reason_per_record_on_literal_warc(tmp_path):
    path = _write_warc(
        tmp_path / "mixed.warc.gz",
        [
            ("http://WWW.Example.com:8080/article", PAGE.encode("utf-8")),
            ("http://example.com/moved", b"", {"status": "301 Moved Permanently"}),
            ("http://example.com/missing", b"<html>gone</html>", {"status": "404 Not Found"}),
            ("http://example.com/partial", b"<html></html>", {"status": "206 Partial Content"}),
            ("http://example.com/img.png", b"\x89PNG\r\n\x1a\n", {"content_type": "image/png"}),
            ("http://example.com/fake.html", b"%PDF-1.4 binary", {}),
            ("http://example.com/big", b"<html><p>" + b"x" * 3000 + b"</p></html>", {}),
            ("http://example.com/empty", b"<html><body></body></html>", {}),
            ("http://example.com/untyped", PAGE.encode("utf-8"), {"content_type": None}),
        ],
    )
    rows = _by_url(_rows(path, max_html_bytes=2000))
    reasons = {url.rsplit("/", 1)[-1]: row["removed_reason"] for url, row in rows.items()}
    assert reasons == {
        "article": None,
        "moved": "http_redirect",
        "missing": "http_error",
        "partial": "http_other",
        "img.png": "not_html",
        "fake.html": "binary_payload",
        "big": "too_large",
        "empty": "empty_text",
        "untyped": None,  # no Content-Type, but the payload starts like HTML
    }
    assert rows["http://example.com/img.png"]["removed_detail"] == "image/png"
    assert rows["http://example.com/fake.html"]["removed_detail"] == "pdf"
    assert rows["http://example.com/missing"]["removed_detail"] == "404"
    assert rows["http://example.com/empty"]["removed_detail"] == "chars=0<1"
    assert all(row["removed_by"] == "extract" for row in rows.values() if row["status"] == "removed")


def test_kept_row_fields(tmp_path):
    path = _write_warc(tmp_path / "one.warc", [("http://WWW.Example.com:8080/article", PAGE.encode("cp1252"))])
    rows = _rows(path, source="cc", crawl=None)
    info, row = rows
    assert info["removed_reason"] == "not_response" and info["removed_detail"] == "warcinfo"
    assert row["status"] == "kept" and row["removed_reason"] is None
    assert row["crawl"] == "CC-MAIN-2099-01"  # from the warcinfo isPartOf
    assert row["domain"] == "www.example.com" and row["source"] == "cc"
    assert row["warc_file"] == path and row["warc_type"] == "response" and row["http_status"] == 200
    assert row["content_type"] == "text/html" and row["charset"] == "utf-8"
    assert row["title"] == "Millbrook bridge reopens & more" and row["language_hint"] == "en"
    assert all(paragraph in row["text"] for paragraph in ARTICLE) and row["n_chars"] == len(row["text"])
    assert row["html_bytes"] == len(PAGE.encode("cp1252"))
    assert isinstance(row["fetch_time"], datetime) and row["fetch_time"].tzinfo == UTC
    with open(path, "rb") as fh:
        records = [(it_offset, rec.rec_headers.get_header("WARC-Record-ID")) for it_offset, rec in _offsets(fh)]
    assert row["warc_offset"] == records[1][0] and row["warc_record_id"] == records[1][1]
    key = f"{records[1][1]}|{os.path.basename(path)}:{records[1][0]}"
    assert row["id"] == hashlib.sha1(key.encode()).hexdigest()[:32]
    assert set(row) == set(DOCUMENT_COLUMNS)
    assert rows_to_table(rows).num_rows == 2  # rows fit schema v1 as they are


def _offsets(fh):
    iterator = ArchiveIterator(fh)
    for record in iterator:
        yield iterator.offset, record


def test_config_crawl_wins_and_gbk_page_decodes(tmp_path):
    body = f"<html><head><title>测试</title></head><body><article><p>{ZH}</p><p>{ZH}</p></article></body></html>"
    path = _write_warc(
        tmp_path / "zh.warc.gz",
        [("http://zh.example/", body.encode("gbk"), {"content_type": "text/html; charset=utf-8"})],
    )
    row = _rows(path, crawl="my-crawl")[1]
    assert row["crawl"] == "my-crawl" and row["status"] == "kept"
    assert (row["charset"], row["charset_source"]) == ("gb18030", "detected")
    assert ZH in row["text"] and row["title"] == "测试"


def test_timeout_and_min_text_chars(tmp_path):
    path = _write_warc(
        tmp_path / "slow.warc.gz",
        [("http://slow.example/", _pathological_page(2000).encode()), ("http://ok.example/", PAGE.encode())],
    )
    rows = _by_url(_rows(path, timeout_s=0.05, min_text_chars=10_000))
    assert rows["http://slow.example/"]["removed_reason"] == "extract_timeout"
    assert rows["http://ok.example/"]["removed_reason"] == "empty_text"
    assert rows["http://ok.example/"]["removed_detail"].endswith("<10000")


def test_extractor_is_picklable_with_its_options():
    extractor = WarcExtractor(source="s", crawl="c", timeout_s=1.5, favor_precision=True)
    clone = pickle.loads(pickle.dumps(extractor))
    assert vars(clone) == vars(extractor)


def test_common_crawl_excerpt_gives_50_rows_and_16_documents():
    path = shared_path("warc", "resiliparse", "warcfile.warc.gz")
    rows = _rows(path)
    assert len(rows) == 50 and len({row["id"] for row in rows}) == 50
    assert Counter(row["warc_type"] for row in rows)["response"] == 16
    kept = [row for row in rows if row["status"] == "kept"]
    assert len(kept) == 16 and all(row["crawl"] == "CC-MAIN-2020-34" for row in rows)
    assert {row["removed_reason"] for row in rows if row["status"] == "removed"} == {"not_response"}
    by_domain = {row["domain"]: row for row in kept}
    assert by_domain["01spb.ru"]["charset"] == "cp1251" and "компании" in by_domain["01spb.ru"]["text"]
    assert by_domain["037426.cn"]["charset"] == "gb18030"  # declared gb2312, decoded as browsers do
    assert file_outcome(rows) == "ok"


def _all_warc_files():
    if not SHARED_DATA.exists():
        return []
    folders = ("resiliparse", "warcio", "dolma", "cc_net")
    found = [p for folder in folders for p in sorted((SHARED_DATA / "warc" / folder).glob("*"))]
    return [p for p in found if not p.name.endswith((".json", ".jsonl"))]


@pytest.mark.parametrize("path", _all_warc_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shared_file_is_accounted_for(path):
    """Rows = records warcio frames (+1 when the rest of the file cannot be framed); no exception escapes."""
    rows = _rows(path)
    read_errors = [row for row in rows if row["removed_reason"] == "warc_read_error"]
    assert len(read_errors) <= 1 and (not read_errors or rows[-1] is read_errors[0])
    assert len(rows) - len(read_errors) == _count_framed_records(path)
    assert all(row["status"] in ("kept", "removed") for row in rows)
    assert all(row["removed_reason"] in REASONS for row in rows if row["status"] == "removed")
    # ids are unique per row, even where the file repeats a WARC-Record-ID (example-digest.warc does)
    assert len({row["id"] for row in rows}) == len(rows)
    assert file_outcome(rows) == ("error" if read_errors else "truncated" if _has_truncated(rows) else "ok")


def _has_truncated(rows):
    return any(row["removed_reason"] == "truncated_record" for row in rows)


def _count_framed_records(path: Path) -> int:
    count = 0
    with open(path, "rb") as fh:
        try:
            for _record in ArchiveIterator(fh, arc2warc=True):
                count += 1
        except Exception:
            pass
    return count


@pytest.mark.parametrize(
    ("name", "outcome", "reasons"),
    [
        ("resiliparse/clipped.warc.gz", "truncated", {"truncated_record"}),
        ("warcio/example-bad-non-chunked.warc.gz", "error", {"not_response", "warc_read_error"}),
        ("warcio/example-wrong-chunks.warc.gz", "error", {"truncated_record", "warc_read_error"}),
        ("warcio/example.arc.gz", "ok", {"not_response", None}),  # ARC read too: one kept page
    ],
)
def test_bad_and_odd_files_outcomes(name, outcome, reasons):
    rows = _rows(shared_path("warc", *name.split("/")))
    assert file_outcome(rows) == outcome
    assert {row["removed_reason"] for row in rows} == reasons


@pytest.mark.parametrize(("name", "upstream"), [("sample-0000.warc.gz", 22), ("sample-0001.warc.gz", 15)])
def test_dolma_samples_give_at_least_upstream_documents(name, upstream):
    """dolma keeps 22 / 15 English documents of > 50 chars (resiliparse + a language filter).

    Language ID is a later stage here, so we check the part we own: at least that many kept documents
    have more than 50 characters (all pages in these wget crawls are English).
    """
    rows = _rows(shared_path("warc", "dolma", name))
    long_docs = [row for row in rows if row["status"] == "kept" and row["n_chars"] > 50]
    assert len(long_docs) >= upstream
    assert all(row["language_hint"] in ("en", None) for row in long_docs)


def test_wet_conversion_records_are_text_documents(tmp_path):
    """cc_net's WET sample counts Content-Length in characters, which no WARC reader can frame.

    It is re-framed here with byte lengths (test-only code) and must then parse as cc_net expects.
    """
    expected = json.loads(shared_path("warc", "cc_net", "expected_parse.json").read_text())
    raw = shared_path("warc", "cc_net", "sample.warc.txt").read_text(encoding="utf-8")
    path = tmp_path / "sample.wet"
    path.write_bytes(_reframe_wet(raw))
    rows = _rows(path)
    docs = [row for row in rows if row["warc_type"] == "conversion"]
    assert [row["url"] for row in docs] == expected["expected_urls"]
    assert [row["domain"] for row in docs] == expected["expected_domains"]
    assert [row["title"] for row in docs] == expected["expected_title_first_line"]
    assert [row["fetch_time"].strftime("%Y-%m-%dT%H:%M:%SZ") for row in docs] == expected["expected_date_download"]
    assert docs[0]["text"] == expected["expected_raw_content_doc0"]
    assert all(row["status"] == "kept" and row["charset"] == "utf-8" for row in docs)
    assert rows[0]["warc_type"] == "warcinfo" and docs[0]["crawl"] == "CC-MAIN-2019-13"


def _reframe_wet(text: str) -> bytes:
    out = []
    for block in re.split(r"(?m)^(?=WARC/1\.0$)", text):
        if not block.strip():
            continue
        head, _, body = block.partition("\n\n")
        body = body[:-1] if body.endswith("\n\n") else body  # the record separator is not content
        data = body.encode("utf-8")
        head = re.sub(r"Content-Length: \d+", f"Content-Length: {len(data)}", head).replace("\n", "\r\n")
        out.append(head.encode("utf-8") + b"\r\n\r\n" + data + b"\r\n\r\n")
    return b"".join(out)
