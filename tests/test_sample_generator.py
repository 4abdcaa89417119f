"""The sample crawl generator: determinism, WARC layout, ground truth matching the bytes written."""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.cli import make_sample
from pipeline.sample import generate_sample
from pipeline.sample.pii import cn_id_valid, iban_valid, luhn_valid
from pipeline.sample.texts import compile_template, render

PAGES = 200


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    summary = generate_sample(out, PAGES, seed=7, pages_per_file=80, reference_docs=10)
    truth = [json.loads(line) for line in (out / "ground_truth.jsonl").read_text("utf-8").splitlines()]
    return out, summary, truth


@pytest.fixture(scope="module")
def responses(sample):
    """record id -> (warc file, http headers, body bytes) for every response record."""
    out, summary, _ = sample
    found = {}
    for name in summary["warc_files"]:
        with open(out / "warc" / name, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    found[rec.rec_headers.get_header("WARC-Record-ID")] = (
                        name,
                        rec.http_headers,
                        rec.content_stream().read(),
                    )
    return found


def _levenshtein(a: list, b: list) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def test_same_seed_gives_byte_identical_output_and_other_seed_differs(tmp_path):
    files = {}
    for run, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate_sample(tmp_path / run, 60, seed=seed, pages_per_file=25, reference_docs=3)
        files[run] = {
            p.relative_to(tmp_path / run): p.read_bytes() for p in sorted((tmp_path / run).rglob("*")) if p.is_file()
        }
    assert len(files["a"]) == 3 + 1 + 1 + 7  # 3 WARC files, ground truth, summary, 7 reference files
    assert files["a"] == files["b"]
    assert files["a"][Path("warc/sample-00000.warc.gz")] != files["c"][Path("warc/sample-00000.warc.gz")]


def test_warc_has_common_crawl_record_layout(sample):
    out, summary, truth = sample
    assert summary["warc_files"] == ["sample-00000.warc.gz", "sample-00001.warc.gz", "sample-00002.warc.gz"]
    response_ids = []
    for name in summary["warc_files"]:
        with open(out / "warc" / name, "rb") as fh:
            records = list(ArchiveIterator(fh))
        types = [r.rec_type for r in records]
        assert types[0] == "warcinfo" and types[1:] == ["request", "response", "metadata"] * ((len(types) - 1) // 3)
        for req, resp, meta in zip(records[1::3], records[2::3], records[3::3]):
            assert req.rec_headers.get_header("WARC-Concurrent-To") == resp.rec_headers.get_header("WARC-Record-ID")
            assert meta.rec_headers.get_header("WARC-Refers-To") == resp.rec_headers.get_header("WARC-Record-ID")
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", resp.rec_headers.get_header("WARC-Date"))
            response_ids.append(resp.rec_headers.get_header("WARC-Record-ID"))
    assert response_ids == [t["record_id"] for t in truth]
    assert summary["records"] == {"warcinfo": 3, "request": PAGES, "response": PAGES, "metadata": PAGES}


def test_counts_by_kind_match_summary_and_every_kind_occurs(sample):
    _, summary, truth = sample
    assert dict(Counter(t["kind"] for t in truth)) == summary["by_kind"]
    kinds = {"article", "near_dup", "exact_dup", "spam", "lorem", "boilerplate", "non_html", "redirect", "error"}
    assert set(summary["by_kind"]) == kinds
    assert sum(summary["by_kind"].values()) == PAGES


def test_articles_in_at_least_six_languages_including_chinese_and_japanese(sample):
    _, _, truth = sample
    languages = {t["language"] for t in truth if t["kind"] == "article"}
    assert {"en", "de", "fr", "es", "ru", "zh", "ja"} <= languages


def test_http_status_and_content_type_match_truth(sample, responses):
    _, _, truth = sample
    for t in truth:
        _, headers, body = responses[t["record_id"]]
        assert int(headers.get_statuscode()) == t["http_status"]
        assert headers.get_header("Content-Type") == t["content_type"]
        if t["kind"] == "redirect":
            assert t["http_status"] in (301, 302) and headers.get_header("Location")
        if t["kind"] == "non_html":
            magic = {"pdf": b"%PDF-", "png": b"\x89PNG", "json": b"{"}[t["subkind"]]
            assert body.startswith(magic)


def test_legacy_charset_bodies_are_really_encoded_as_claimed(sample, responses):
    _, _, truth = sample
    legacy = [t for t in truth if (t["charset_case"] or "").startswith("legacy")]
    assert {t["charset_case"] for t in legacy} == {
        "legacy_declared",
        "legacy_meta_only",
        "legacy_header_wrong",
        "legacy_missing",
    }
    codecs = {"GBK": "gbk", "Shift_JIS": "shift_jis", "windows-1251": "cp1251", "windows-1252": "cp1252"}
    for t in legacy:
        _, headers, body = responses[t["record_id"]]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = html.unescape(body.decode(codecs[t["charset_real"]]))
        assert t["main_text"].split("\n")[0] in text
        has_meta = f'<meta charset="{t["charset_real"]}">' in text
        assert has_meta == (t["charset_meta"] is not None)
        declared = headers.get_header("Content-Type")
        assert declared == ("text/html" if t["charset_http"] is None else f"text/html; charset={t['charset_http']}")
    assert any(t["charset_real"] == "GBK" for t in legacy) and any(t["charset_real"] == "Shift_JIS" for t in legacy)


def test_main_text_paragraphs_appear_in_the_html(sample, responses):
    _, _, truth = sample
    codecs = {
        "GBK": "gbk",
        "Shift_JIS": "shift_jis",
        "windows-1251": "cp1251",
        "windows-1252": "cp1252",
        "utf-8": "utf-8",
    }
    for t in truth:
        if t["kind"] in ("article", "near_dup", "exact_dup", "spam", "lorem"):
            page = html.unescape(responses[t["record_id"]][2].decode(codecs[t["charset_real"]]))
            assert all(p in page for p in t["main_text"].split("\n")), t["page_id"]
        elif t["kind"] in ("boilerplate", "non_html", "redirect", "error"):
            assert t["main_text"] == ""


def test_planted_pii_is_in_the_page_and_checksum_valid(sample, responses):
    _, summary, truth = sample
    planted = [(t, p) for t in truth for p in t["pii"]]
    assert Counter(p["type"] for _, p in planted) == Counter(summary["pii_by_type"])
    assert {p["type"] for _, p in planted} >= {"email", "phone", "ipv4", "ipv6", "card", "cn_id"}
    for t, p in planted:
        body = responses[t["record_id"]][2]
        assert p["value"] in t["main_text"]
        assert p["value"].encode("ascii") in body  # PII values are ASCII, so any of our charsets keeps them as is
        check = {"card": luhn_valid, "cn_id": cn_id_valid, "iban": iban_valid}.get(p["type"])
        assert check is None or check(p["value"]), p
    assert any(p["format"].startswith("cn_mobile") for _, p in planted)


def test_checksum_helpers_on_known_numbers():
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111111111111112")
    assert cn_id_valid("11010519491231002X") and not cn_id_valid("110105194912310021")
    assert iban_valid("DE89 3704 0044 0532 0130 00") and not iban_valid("DE89370400440532013001")


def test_near_duplicates_are_edited_at_the_declared_rate(sample):
    _, summary, truth = sample
    by_id = {t["page_id"]: t for t in truth}
    near = [t for t in truth if t["kind"] == "near_dup"]
    assert set(summary["near_dup_by_rate"]) == {"0.02", "0.05", "0.1", "0.2", "0.3"}
    for t in near:
        cjk = t["language"] in ("zh", "ja")
        source = by_id[t["dup_of"]]["main_text"]
        a, b = (list(source), list(t["main_text"])) if cjk else (source.split(), t["main_text"].split())
        measured = _levenshtein(a, b) / len(a)
        assert abs(measured - t["edit_rate"]) <= 0.1 * t["edit_rate"] + 0.005, (t["page_id"], measured)
    exact = [t for t in truth if t["kind"] == "exact_dup"]
    assert exact and all(t["main_text"] == by_id[t["dup_of"]]["main_text"] for t in exact)


def test_articles_read_as_prose_and_spam_does_not(sample):
    _, _, truth = sample
    stop_words = {"the", "be", "to", "of", "and", "that", "have", "with"}  # Gopher's stop-word rule (Rae et al. 2021)
    for t in truth:
        lines = t["main_text"].split("\n")
        if t["kind"] == "article" and t["language"] == "en":
            words = t["main_text"].split()
            assert 150 <= len(words) <= 1200 and len(stop_words & {w.lower() for w in words}) >= 2
            assert all(line.endswith(".") for line in lines) and len(set(lines)) == len(lines)
        if t["kind"] == "spam":
            assert not any(line.endswith((".", "。")) for line in lines) and len(set(lines)) < len(lines)


def test_reference_texts_per_language_are_not_copies_of_crawl_pages(sample):
    out, _, truth = sample
    crawl = {t["main_text"] for t in truth}
    for lang in ("en", "de", "fr", "es", "ru", "zh", "ja"):
        docs = (out / "reference" / f"{lang}.txt").read_text("utf-8").strip().split("\n\n")
        assert len(docs) == 10 and not crawl & set(docs)


def test_template_alternatives_and_slots_render():
    parts = compile_template("[A|B {x}] and {x}.")
    seen = {render(parts, random.Random(i), {"x": "y"}) for i in range(20)}
    assert seen == {"A and y.", "B y and y."}
    with pytest.raises(ValueError):
        compile_template("[unbalanced")


def test_cli_make_sample_writes_output_and_prints_summary(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="corpus")
    make_sample.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["make-sample", "--pages", "12", "--out", str(tmp_path), "--seed", "1", "--pages-per-file", "5"]
    )
    assert args.handler(args) == 0
    printed = capsys.readouterr().out
    summary = json.loads(printed[: printed.rindex("}") + 1])
    assert summary["pages"] == 12 and len(summary["warc_files"]) == 3
    assert len((tmp_path / "ground_truth.jsonl").read_text("utf-8").splitlines()) == 12
    assert summary["reference_docs_per_language"] == 20  # the default's floor


def test_cli_make_sample_reference_docs(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="corpus")
    make_sample.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["make-sample", "--pages", "4", "--out", str(tmp_path), "--reference-docs", "35"])
    assert args.handler(args) == 0
    english = (tmp_path / "reference" / "en.txt").read_text("utf-8")
    assert len([doc for doc in english.split("\n\n") if doc.strip()]) == 35
    bad = parser.parse_args(["make-sample", "--pages", "4", "--out", str(tmp_path / "x"), "--reference-docs", "0"])
    assert bad.handler(bad) == 2 and "--reference-docs" in capsys.readouterr().out
