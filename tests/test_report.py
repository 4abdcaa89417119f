"""``corpus report``: series built from the stats, escaping, and the page rendered in headless Chromium.

The browser test renders the report of a real (small) extract + filter run, takes a screenshot,
fails on any console error, and reads the numbers back from the DOM to compare them with
``pipeline.inspect.collect()`` (what ``corpus stats --json`` prints).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.cli.main import main
from pipeline.funnel import SkewRule
from pipeline.inspect import collect, removed_samples
from pipeline.report import build_report
from pipeline.report.data import bin_label, histogram_series, language_mix
from pipeline.report.page import render

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_bin_labels_are_lower_bin_edges():
    assert bin_label(37, linear=True) == "0.37"
    assert bin_label(-1, linear=False) == "<1"
    assert bin_label(40, linear=False) == "1,024"  # 2 ** (40 / 4) characters
    assert bin_label(2, linear=False) == "1.4"  # 2 ** 0.5


def test_histogram_series_fills_gaps_and_splits_kept_from_removed():
    groups = {"en/kept": {"3": 2, "6": 1}, "en/removed": {"4": 5}, "fr/kept": {"10": 1}}
    series = histogram_series(groups, linear=True)
    assert list(series) == ["en", "fr"]  # most documents first
    assert series["en"] == [("0.03", 2, 0), ("0.04", 0, 5), ("0.05", 0, 0), ("0.06", 1, 0)]
    assert series["fr"] == [("0.10", 1, 0)]


def test_language_mix_counts_kept_and_removed_per_language():
    stats = {"by_language": {"en/kept": 4, "en/removed": 1, "la/removed": 3, "de/kept": 4}}
    assert language_mix(stats) == [("en", 4, 1), ("de", 4, 0), ("la", 0, 3)]  # kept, then removed


def test_document_text_cannot_close_the_script_element():
    report = {
        "stages": {
            "filter": {"rows": 1, "kept": 0, "removed": 1, "accounting_ok": True, "removed_by_reason": {"x/y": 1}}
        },
        "funnel": [{"stage": "filter", "in": 1, "kept": 0, "removed": 1}],
        "accounting_ok": True,
    }
    evil = "</script><script>alert(1)</script><!--"
    html = render("run", report, {"filter:x/y": [{"id": "d1", "text": evil, "url": evil}]})
    assert evil not in html
    assert len(re.findall(r"<script", html)) == 2  # the JSON block and the page's own script
    payload = re.search(r'id="samples-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(payload)["filter:x/y"][0]["text"] == evil  # the text itself survives intact


# A real misconfiguration: sentence ends limited to ASCII, so FineWeb's "lines ending in
# punctuation" rule reads Chinese and Japanese lines (ending in 。) as unterminated.
ASCII_STOP_CHARS = 'fineweb_quality.stop_chars=[".", "!", "?"]'
# The 60-page crawl has under 20 documents per language: lower the flag's minimum.
MIN_DOCS = 5


@pytest.fixture(scope="module")
def run_dir(spark, tmp_path_factory) -> Path:
    """A real extract + filter run on a 60-page generated crawl, with one step that removes
    mostly Chinese and Japanese documents (``ASCII_STOP_CHARS``)."""
    from jobs import extract_warc
    from jobs import filter as filter_job
    from pipeline.recipe import load_recipe
    from pipeline.sample import generate_sample

    root = tmp_path_factory.mktemp("report")
    generate_sample(str(root / "sample"), 60, seed=5)
    warcs = sorted(str(p) for p in (root / "sample" / "warc").glob("*.warc.gz"))
    extract_warc.run(spark, warcs, str(root / "run" / "extract"), extract_warc.load_config())
    recipe = load_recipe("fineweb", [ASCII_STOP_CHARS])
    filter_job.run(
        spark,
        [str(root / "run" / "extract")],
        str(root / "run" / "filter"),
        recipe,
        filter_job.FilterStageConfig(shuffle_partitions=2),
    )
    return root / "run"


@pytest.mark.spark
def test_cli_writes_one_self_contained_page(run_dir, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(run_dir), "-o", str(out), "--per-reason", "3"]) == 0
    assert "wrote" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert html == build_report(run_dir, per_reason=3)  # deterministic: same outputs, same bytes
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page must not load anything"
    assert main(["report", str(tmp_path / "missing"), "-o", str(out)]) == 2


@pytest.mark.spark
@pytest.mark.slow
def test_report_renders_in_chromium_and_matches_corpus_stats(run_dir, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (dev dependency)")
    out = tmp_path / "report.html"
    main(["report", str(run_dir), "-o", str(out), "--skew-min-docs", str(MIN_DOCS)])
    expected = collect(run_dir, SkewRule(min_docs=MIN_DOCS))
    samples = removed_samples(run_dir / "filter")
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        png = page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        funnel = page.eval_on_selector_all(
            "#funnel tr[data-stage]",
            "rows => rows.map(r => ({stage: r.dataset.stage, in: +r.dataset.in, kept: +r.dataset.kept,"
            " removed: +r.dataset.removed}))",
        )
        reasons = page.eval_on_selector_all(
            "[data-reason]", "els => els.map(e => [e.dataset.reason, +e.dataset.count])"
        )
        mix = page.eval_on_selector_all(
            "#language-mix .bar", "els => els.map(e => [e.dataset.label, +e.dataset.value])"
        )
        per_language = page.eval_on_selector_all(
            "#language-funnel tr[data-language]",
            "rows => rows.map(r => [r.dataset.stage, r.dataset.language, +r.dataset.in, +r.dataset.kept,"
            " +r.dataset.removed, Object.fromEntries([...r.querySelectorAll('td[data-step]')]"
            ".map(c => [c.dataset.step, +c.dataset.count]).filter(kv => kv[1]))])",
        )
        page_flags = page.eval_on_selector_all(
            "#language-flags li", "els => els.map(e => [e.dataset.stage, e.dataset.step, e.dataset.language])"
        )
        key = next(iter(samples))
        page.select_option("#reason-pick", f"filter:{key}")
        shown = page.eval_on_selector_all("#docs .doc pre", "els => els.map(e => e.textContent)")
        browser.close()
    assert errors == []
    assert len(png) > 20_000 and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert funnel == expected["funnel"]
    want = {f"{stage}:{k}": v for stage, s in expected["stages"].items() for k, v in s["removed_by_reason"].items()}
    assert dict(reasons) == want and want
    kept_by_lang = {
        k.split("/")[0]: v for k, v in expected["stages"]["filter"]["by_language"].items() if k.endswith("/kept")
    }
    assert {lang: n for lang, n in mix if n} == kept_by_lang
    assert shown == [d["text"] for d in samples[key]]  # the browser shows the removed documents' own text
    want_rows = [
        [stage, lang, r["in"], r["kept"], r["removed"], r["removed_by"]]
        for stage, s in expected["stages"].items()
        for lang, r in s["language_funnel"]["languages"].items()
    ]
    assert per_language == want_rows and {row[0] for row in want_rows} == {"extract", "filter"}
    assert page_flags == [[f["stage"], f["step"], f["language"]] for f in expected["language_flags"]]
    assert ["filter", "fineweb_quality", "zh"] in page_flags


@pytest.mark.spark
def test_step_removing_mostly_one_language_is_flagged_in_stats_json(run_dir, capsys):
    assert main(["stats", str(run_dir), "--json", "--skew-min-docs", str(MIN_DOCS)]) == 0
    report = json.loads(capsys.readouterr().out)
    flagged = {(f["stage"], f["step"], f["language"]): f for f in report["language_flags"]}
    zh = flagged[("filter", "fineweb_quality", "zh")]
    assert zh["rate"] >= 0.5 and zh["removed"] >= MIN_DOCS
    assert {(step, lang) for _, step, lang in flagged} <= {("fineweb_quality", "zh"), ("fineweb_quality", "ja")}
    rows = report["stages"]["filter"]["language_funnel"]["languages"]
    assert rows["zh"]["removed_by"]["fineweb_quality"] == zh["removed"]
    # the published _stats.json (written by the Spark stage from its Parquet files) holds the counts
    published = json.loads((run_dir / "filter" / "_stats.json").read_text(encoding="utf-8"))
    assert published["removed_by_language"] == report["stages"]["filter"]["removed_by_language"]
    assert sum(v for k, v in published["removed_by_language"].items() if k.startswith("zh/")) == rows["zh"]["removed"]
    # the languages written with ASCII full stops lose nothing to the misconfigured step
    assert not any(r["removed_by"].get("fineweb_quality") for lang, r in rows.items() if lang not in ("zh", "ja"))
    for stage in report["stages"].values():  # input = kept + removed, per language, in every stage
        assert all(r["in"] == r["kept"] + r["removed"] for r in stage["language_funnel"]["languages"].values())
        assert sum(r["in"] for r in stage["language_funnel"]["languages"].values()) == stage["rows"]
    # the default minimum (20 documents reaching the step) is not met by this small crawl
    assert main(["stats", str(run_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["language_flags"] == []
    assert main(["stats", str(run_dir), "--by-language", "--skew-min-docs", str(MIN_DOCS)]) == 0
    text = capsys.readouterr().out
    assert "LANGUAGE SKEW" in text and "filter/fineweb_quality removes" in text
