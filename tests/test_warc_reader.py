"""WARC reading: record counts and offsets on real files, and an accounted-for outcome on every bad file."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.io.warc import WarcReadError, WarcRecord, iter_warc_records, parse_warc_fields
from tests.conftest import shared_path


def _records(path, **kwargs):
    return list(iter_warc_records(str(path), **kwargs))


def _write_response(writer: WARCWriter, url: str, body: bytes, status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def test_common_crawl_excerpt_has_50_records_in_upstream_order():
    path = shared_path("warc", "resiliparse", "warcfile.warc.gz")
    items = _records(path)
    assert len(items) == 50 and all(isinstance(item, WarcRecord) for item in items)
    assert Counter(item.warc_type for item in items) == {"warcinfo": 1, "request": 17, "response": 16, "metadata": 16}
    assert [item.warc_type for item in items[:4]] == ["warcinfo", "request", "response", "metadata"]
    offsets = [item.offset for item in items]
    assert offsets[0] == 0 and offsets == sorted(set(offsets))
    assert all(item.http_status == 200 for item in items if item.warc_type == "response")


def test_warcinfo_fields_give_the_crawl_name():
    path = shared_path("warc", "resiliparse", "warcfile.warc.gz")
    first = _records(path, payload_wanted=lambda record: record.warc_type == "warcinfo")[0]
    assert parse_warc_fields(first.payload)["isPartOf"] == "CC-MAIN-2020-34"


def test_block_sized_records_offsets_match_upstream():
    expected = json.loads(shared_path("warc", "resiliparse", "expected_from_fastwarc_tests.json").read_text())
    items = _records(shared_path("warc", "resiliparse", "block-sized-records.warc.gz"))
    assert [item.offset for item in items[:3]] == expected["block-sized-records.warc.gz"][
        "record_stream_offsets_first_three"
    ]


def test_clipped_record_is_flagged_truncated():
    items = _records(shared_path("warc", "resiliparse", "clipped.warc.gz"), payload_wanted=lambda r: True)
    assert items and all(isinstance(item, WarcRecord) for item in items)
    assert items[0].truncated and items[0].missing_bytes > 0
    assert items[0].payload.startswith(b"<")  # what was there is still readable


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("example.warc.gz", ["warcinfo", "warcinfo", "response", "request", "revisit", "request"]),
        ("example.warc", ["warcinfo", "warcinfo", "response", "request", "revisit", "request"]),
        ("example-iana.org-chunked.warc", ["warcinfo", "response", "request"]),
        ("bad.arc", ["warcinfo", "response", "response", "response"]),  # ARC header -> warcinfo (arc2warc)
    ],
)
def test_record_types_match_warcio_expectations(name, types):
    items = _records(shared_path("warc", "warcio", name))
    assert [item.warc_type for item in items] == types


def test_chunked_offsets_and_dechunked_payload():
    items = _records(shared_path("warc", "warcio", "example-iana.org-chunked.warc"), payload_wanted=lambda r: True)
    assert [item.offset for item in items[:2]] == [0, 405]
    assert items[1].payload.rstrip().endswith(b"</html>") and not items[1].truncated


@pytest.mark.parametrize("name", ["example-bad.warc.gz.bad", "example-bad-non-chunked.warc.gz"])
def test_non_chunked_gzip_ends_with_one_read_error(name):
    items = _records(shared_path("warc", "warcio", name))
    assert isinstance(items[-1], WarcReadError) and "non-chunked gzip" in items[-1].error
    assert sum(isinstance(item, WarcReadError) for item in items) == 1


def test_target_uri_fixes_from_warcio():
    wget = _records(shared_path("warc", "warcio", "example-wget-bad-target-uri.warc.gz"))
    assert next(item.target_uri for item in wget if item.warc_type == "response") == "http://example.com/"
    spaces = _records(shared_path("warc", "warcio", "example-space-in-target-uri.warc.gz"))
    assert spaces[1].target_uri == "file:///example%20with%20spaces.png"


def test_zero_byte_missing_and_non_warc_files_give_one_error(tmp_path):
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"<html><body>not a warc file</body></html>\n")
    for path, fragment in ((empty, "EmptyFile"), (tmp_path / "missing.warc", "FileNotFoundError"), (junk, "Unknown")):
        items = _records(path)
        assert len(items) == 1 and isinstance(items[0], WarcReadError) and fragment in items[0].error
        assert items[0].offset == 0


def test_cut_gzip_keeps_whole_records_then_reports_the_rest(tmp_path):
    first, second = b"<html><body><p>first</p></body></html>", b"<html><body><p>second page</p></body></html>" * 50
    path = tmp_path / "two.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        _write_response(writer, "http://a.example/", first)
        _write_response(writer, "http://b.example/", second)
    data = path.read_bytes()
    member = data.index(b"\x1f\x8b", 10)  # start of the second gzip member
    cut = tmp_path / "cut.warc.gz"
    outcomes = Counter()
    # every cut inside the second member: in its header block (a record with no headers came out of a
    # cut there, not flagged), in its payload, in the gzip trailer
    for end in range(member + 1, len(data)):
        cut.write_bytes(data[:end])
        items = _records(cut, payload_wanted=lambda r: True)
        assert items[0].payload == first and not items[0].truncated
        assert len(items) == 2, end - member
        last = items[1]
        if isinstance(last, WarcReadError):
            outcomes["error"] += 1
        elif last.truncated:
            outcomes["clipped"] += 1
        else:  # only the trailer (CRC, size) is missing: the record itself is all there
            assert last.payload == second and last.warc_type == "response", end - member
            outcomes["whole"] += 1
    assert outcomes["error"] > 100 and outcomes["clipped"] > 10 and outcomes["whole"] <= 12, outcomes


@pytest.mark.parametrize("gzip", [False, True])
def test_a_file_cut_at_any_byte_loses_no_record_silently(tmp_path, gzip):
    """Cut a two-record file after every byte: a record is either whole, clipped (``truncated``) or
    the file ends with a read error. A cut inside ``Content-Length:`` once gave an empty record."""
    bodies = [b"<html><body><p>first</p></body></html>", b"<html><body><p>second page</p></body></html>" * 20]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    starts = []
    for i, body in enumerate(bodies):
        starts.append(len(buf.getvalue()))
        _write_response(writer, f"http://{i}.example/", body)
    data = buf.getvalue()
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    for end in range(1, len(data) + 1):
        path.write_bytes(data[:end])
        items = _records(path, payload_wanted=lambda r: True)
        flagged = any(isinstance(i, WarcReadError) or i.truncated for i in items)
        whole = [i for i in items if not isinstance(i, WarcReadError) and not i.truncated]
        assert all(i.warc_type == "response" and i.payload in bodies for i in whole), end
        if not flagged:  # every record that begins before the cut came out whole
            assert len(whole) == sum(start < end for start in starts), end


def test_payload_cap_stops_reading_but_counts(tmp_path):
    path = tmp_path / "big.warc"
    with open(path, "wb") as out:
        _write_response(WARCWriter(out, gzip=False), "http://big.example/", b"<p>" + b"a" * 5000 + b"</p>")
    item = _records(path, payload_wanted=lambda r: True, max_payload_bytes=1000)[0]
    assert item.too_large and item.payload is None and item.payload_size >= 1001


def test_corrupt_gzip_member_reports_the_rest_at_its_offset(tmp_path):
    path = tmp_path / "two.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        _write_response(writer, "http://a.example/", b"<html><body><p>first</p></body></html>")
        _write_response(writer, "http://b.example/", b"<html><body><p>second</p></body></html>")
    data = bytearray(path.read_bytes())
    second = data.index(b"\x1f\x8b", 10)
    data[second + 30 : second + 40] = b"\x00" * 10
    path.write_bytes(bytes(data))
    items = _records(path)
    assert isinstance(items[0], WarcRecord) and isinstance(items[1], WarcReadError)
    assert items[1].offset == second and len(items) == 2
