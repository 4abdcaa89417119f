"""The extraction fast path: language pre-screening before trafilatura, and trafilatura's fast mode."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from jobs.extract_warc import load_config
from pipeline.config import ConfigError
from pipeline.extract import prescreen
from pipeline.extract.prescreen import LanguagePrescreen, cheap_text
from pipeline.extract.warc_extractor import REASONS, WarcExtractor
from pipeline.sample import generate_sample


def test_cheap_text_drops_markup_scripts_and_decodes_entities():
    html = (
        "<html><head><title>t</title><style>p {color: red}</style></head><body>"
        "<script>var x = '<p>hidden</p>';</script><!-- a <b>comment</b> -->"
        "<p>Caf&eacute; &amp; cr&#232;me</p><SCRIPT type='x'>also hidden</SCRIPT><div>end</div></body></html>"
    )
    assert cheap_text(html) == "Café & crème end"
    assert cheap_text("<p>" + "word " * 2000 + "</p>", max_chars=20) == "word word word word "


def test_cheap_text_on_unclosed_and_huge_markup():
    # Unclosed script / comment: the rest is hidden, and no quadratic re-scan of every later tag.
    assert cheap_text("<body><p>hello world</p><script>" + "x = 1; <script " * 50_000) == "hello world"
    assert cheap_text("<body>kept <!-- never closed " + "<p>a</p>" * 50_000) == "kept"
    # A 5 MB page: only a bounded window of markup is read.
    assert cheap_text("<body>" + "<div>" * 1_000_000 + "text") == ""


def _whole_window(html: str, max_chars: int = 1500) -> str:
    # The definition: the rendering of the whole window at once.
    start, end = prescreen.window(html)
    return prescreen._render(html[start:end])[:max_chars]


def test_cheap_text_read_in_pieces_equals_the_whole_window(monkeypatch):
    # Every construct that can straddle a cut (tag, script, comment, entity, run of spaces), cut at
    # every position: the pieces must give exactly the whole window's text.
    unit = (
        "<p class='a'>Caf&eacute;   cr&#232;me</p><script>var s = '<b>x</b>';</script>"
        "<!-- c <i>d</i> -->words &amp;&amp more <svg><text>no</text></svg>\n\t end. "
    )
    html = "<html><head><title>t</title></head><body>" + unit * 40
    for first_piece in range(1, 300):
        monkeypatch.setattr(prescreen, "FIRST_PIECE_CHARS", first_piece)
        for max_chars in (10, 150, 1500):
            assert cheap_text(html, max_chars) == _whole_window(html, max_chars), (first_piece, max_chars)


def test_cheap_text_read_in_pieces_on_real_pages():
    import tarfile

    from tests.conftest import shared_path

    pages = 0
    with tarfile.open(shared_path("html", "zyte-article-benchmark", "html.tar")) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html.gz"):
                html = gzip.decompress(tar.extractfile(member).read()).decode("utf-8", "replace")
                assert cheap_text(html) == _whole_window(html), member.name
                pages += 1
    assert pages == 181


def test_prescreen_skips_only_clearly_foreign_pages():
    pre = LanguagePrescreen(["en"])
    german = "<body><p>" + "Die Stadt hat heute beschlossen, den neuen Park im Sommer zu eröffnen. " * 8 + "</p>"
    english = "<body><p>" + "The city decided today to open the new park in the summer months. " * 8 + "</p>"
    mixed = "<body><nav>Startseite Nachrichten Kontakt</nav><p>" + english[9:]
    detail = pre.skip(german)
    assert detail and detail.startswith("de:") and "wanted en:0.0" in detail
    assert pre.skip(english) is None and pre.skip(mixed) is None
    assert pre.skip("<body><p>Kurz und knapp.</p>") is None  # too few letters to judge
    assert LanguagePrescreen(["de", "en"]).skip(german) is None


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("prescreen")
    generate_sample(out, pages=160, seed=4)
    truth = {}
    with open(out / "ground_truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            truth[rec["url"]] = rec
    return next((out / "warc").glob("*.warc.gz")), truth


def test_prescreen_loses_no_wanted_page_and_accounts_for_every_record(sample):
    warc, truth = sample
    plain = list(WarcExtractor().extract_file(str(warc)))
    screened = list(WarcExtractor(prescreen_languages=["en"]).extract_file(str(warc)))
    assert [r["id"] for r in plain] == [r["id"] for r in screened]  # one row per record, same order
    assert all(r["removed_reason"] in REASONS for r in screened if r["status"] == "removed")
    skipped = [r for r in screened if r["removed_reason"] == "language_prescreen"]
    langs = Counter(truth[r["url"]]["language"] for r in skipped)
    assert skipped and "en" not in langs and sum(langs.values()) == len(skipped)
    by_id = {r["id"]: r for r in plain}
    for row in screened:
        if row["removed_reason"] == "language_prescreen":
            assert by_id[row["id"]]["status"] == "kept" and row["text"] is None
        else:  # everything else is untouched by the pre-screen
            assert (row["status"], row["text"], row["removed_reason"]) == (
                by_id[row["id"]]["status"],
                by_id[row["id"]]["text"],
                by_id[row["id"]]["removed_reason"],
            )
    english = [r for r in plain if r["status"] == "kept" and truth.get(r["url"], {}).get("language") == "en"]
    assert english and all(by_id[r["id"]]["status"] == "kept" for r in english)


def test_fast_mode_keeps_the_same_documents(sample):
    warc, _ = sample
    plain = {r["id"]: r for r in WarcExtractor().extract_file(str(warc))}
    fast = {r["id"]: r for r in WarcExtractor(fast=True).extract_file(str(warc))}
    assert plain.keys() == fast.keys()
    assert {i for i, r in plain.items() if r["status"] == "kept"} == {
        i for i, r in fast.items() if r["status"] == "kept"
    }


def test_fast_path_options_are_validated():
    opts = load_config(None, ["extract.fast=true", "extract.prescreen_languages=[en, de]"]).extract
    assert opts.fast and opts.prescreen_languages == ("en", "de")
    with pytest.raises(ConfigError, match="extract.prescreen_min_score"):
        load_config(None, ["extract.prescreen_min_score=0"])
    with pytest.raises(ConfigError, match="prescreen_languages"):
        load_config(None, ["extract.prescreen_languages=en"])
