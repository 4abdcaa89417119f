"""The second extraction engine (``extract.engine=resiliparse``): its text, its trafilatura rescue for pages it
empties, its options, and real pages through it (``pipeline/extract/html.py``, ``bench/real_pages/engines.py``)."""

from __future__ import annotations

import re
import sys
from statistics import mean

import pytest

from pipeline.config import ConfigError
from pipeline.extract.html import extract_main_text
from pipeline.extract.warc_extractor import WarcExtractor
from tests.conftest import ROOT, shared_path

PARAGRAPHS = [
    "The river rose during the night and by morning the lower streets of the town were under water.",
    "Volunteers filled sandbags at the school while the fire brigade moved families to higher ground.",
    "By the afternoon the water had stopped rising, and the mayor said the bridges would reopen soon.",
]
TABLE_CELL = "Rainfall over the last two days measured one hundred and twelve millimetres"
PAGE = (
    "<html><head><title>Flood</title></head><body>"
    '<nav class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
    "<article><h1>Town flooded after a night of rain</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + f"<table><tr><td>{TABLE_CELL}</td></tr></table></article>"
    '<footer class="footer">Copyright and all that</footer></body></html>'
)


def test_the_text_is_one_stripped_line_per_block_and_tables_follow_include_tables():
    text = extract_main_text(PAGE, engine="resiliparse", rescue_below_chars=0)
    lines = text.split("\n")
    assert all(line and line == line.strip() for line in lines)
    assert [line for line in lines if line in PARAGRAPHS] == PARAGRAPHS
    assert TABLE_CELL in lines
    assert "Home" not in text and "Copyright" not in text  # navigation and footer are not main content
    without = extract_main_text(PAGE, engine="resiliparse", rescue_below_chars=0, include_tables=False)
    assert TABLE_CELL not in without and all(p in without for p in PARAGRAPHS)
    assert text != extract_main_text(PAGE), "the engine option must change the extractor"


def test_a_source_line_break_between_chinese_characters_adds_no_space():
    sentence = "今年夏天这座城市的降雨量比往年多了很多，河流的水位一直很高。"
    split = sentence[:12] + "\n  " + sentence[12:]
    page = f"<html><body><article><h1>城市降雨</h1><p>{split}</p><p>{sentence}</p></article></body></html>"
    text = extract_main_text(page, engine="resiliparse", rescue_below_chars=0)
    assert text.split("\n").count(sentence) == 2


def test_short_texts_go_to_trafilatura_and_the_threshold_is_respected():
    short = "<html><body><article><p>Only a few words here.</p></article></body></html>"
    rescued = extract_main_text(short, engine="resiliparse")
    assert rescued == extract_main_text(short, fast=True)  # under the default 1,000 characters: trafilatura (fast mode)
    assert extract_main_text(short, engine="resiliparse", rescue_below_chars=0) == "Only a few words here."
    long_enough = extract_main_text(PAGE, engine="resiliparse", rescue_below_chars=len(PARAGRAPHS[0]))
    assert long_enough == extract_main_text(PAGE, engine="resiliparse", rescue_below_chars=0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["extract.engine=boilerpipe"], "extract.engine: must be one of trafilatura, resiliparse"),
        (["extract.engine=resiliparse", "extract.fast=true"], "fast: a trafilatura option"),
        (
            ["extract.engine=resiliparse", "extract.favor_precision=true", "extract.deduplicate=true"],
            "favor_precision, deduplicate: trafilatura options",
        ),
        (["extract.rescue_below_chars=-1"], "extract.rescue_below_chars: must be >= 0"),
    ],
)
def test_the_config_refuses_unknown_engines_and_options_the_engine_lacks(overrides, message):
    from jobs.extract_warc import load_config

    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(None, overrides)


def test_the_extractor_refuses_them_too():
    with pytest.raises(ValueError, match="unknown extraction engine"):
        WarcExtractor(engine="lynx")
    with pytest.raises(ValueError, match="fast: a trafilatura option"):
        WarcExtractor(engine="resiliparse", fast=True)


def _wceb(page_type: str | None = None, urls: tuple[str, ...] = ()):
    sys.path.insert(0, str(ROOT / "bench" / "real_pages"))
    from pages import wceb_pages

    from pipeline.extract.charset import decode_html

    pages = [p for p in wceb_pages() if (urls and p.url in urls) or (page_type and p.truth["page_type"] == page_type)]
    return [(p, decode_html(p.html)[0]) for p in pages]


def _recall(truth: str, text: str) -> float:
    def grams(s):
        words = re.findall(r"\w+", s.lower())
        return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}

    expected = grams(truth)
    return len(expected & grams(text)) / len(expected) if expected else 1.0


def test_real_articles_keep_their_main_text_with_either_engine(shared_data):
    pages = _wceb("article")[:40]
    ours = [extract_main_text(html, url=p.url, engine="resiliparse", rescue_below_chars=0) for p, html in pages]
    recall = [_recall(p.truth["main_content"], text) for (p, _), text in zip(pages, ours)]
    assert mean(recall) > 0.85, mean(recall)
    trafilatura = [extract_main_text(html, url=p.url) for p, html in pages]
    assert sum(a != b for a, b in zip(ours, trafilatura)) >= 36  # two extractors, not one under two names


RESILIPARSE_EMPTIES = (
    "https://www.myleskatherine.com/blog/2025/6/9/top-10-most-desired-digital-cameras-of-2025-the-best-mirrorless-cameras-on-the-market",
    "https://agencyanalytics.com/blog/seo-tutorials",
)


def test_real_pages_resiliparse_empties_get_trafilaturas_fast_mode_text(shared_data):
    pages = _wceb(urls=RESILIPARSE_EMPTIES)
    assert len(pages) == 2
    for page, html in pages:
        alone = extract_main_text(html, url=page.url, engine="resiliparse", rescue_below_chars=0)
        assert len(alone) < 100  # its main-content heuristics drop the article
        rescued = extract_main_text(html, url=page.url, engine="resiliparse")
        assert rescued == extract_main_text(html, url=page.url, fast=True)
        assert _recall(page.truth["main_content"], rescued) > 0.5


def test_real_chinese_pages_in_gbk_come_out_whole(shared_data):
    sys.path.insert(0, str(ROOT / "bench" / "real_pages"))
    from pages import zh_pages
    from score import char_f1

    from pipeline.extract.charset import decode_html

    pages = zh_pages()[:20]
    scores = [
        char_f1(p.truth["text"], extract_main_text(decode_html(p.html)[0], url=p.url, engine="resiliparse"))
        for p in pages
    ]
    assert mean(scores) > 0.8, mean(scores)
    assert sum(s > 0.5 for s in scores) >= 17


@pytest.mark.parametrize(("name", "upstream"), [("sample-0000.warc.gz", 22), ("sample-0001.warc.gz", 15)])
def test_dolma_samples_give_its_documents_through_the_engine_dolma_uses(name, upstream):
    """dolma extracted these wget crawls with resiliparse and kept 22 / 15 English documents of > 50 chars."""
    path = shared_path("warc", "dolma", name)
    rows = list(WarcExtractor(engine="resiliparse").extract_file(str(path)))
    long_docs = [row for row in rows if row["status"] == "kept" and row["n_chars"] > 50]
    assert len(long_docs) >= upstream
    default = {r["id"]: r["text"] for r in WarcExtractor().extract_file(str(path))}
    assert [r["id"] for r in rows] == list(default)  # one row per record, whatever the engine
    assert sum(r["text"] != default[r["id"]] for r in long_docs) > len(long_docs) // 2
