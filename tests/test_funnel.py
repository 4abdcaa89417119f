"""The per-language funnel: counts from written columns, per-step rates, and the skew flag rule."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.cli.main import main
from pipeline.cli.stats_languages import format_by_language
from pipeline.funnel import SkewRule, describe_flag, flags, language_table, stage_funnel, step_rates
from pipeline.stats import finalize, merge, table_partial


def _table(rows: list[tuple[str | None, str | None, str | None]]) -> pa.Table:
    """Rows of (language, removed_by, removed_reason); status follows removed_by."""
    return pa.table(
        {
            "status": ["removed" if by else "kept" for _, by, _ in rows],
            "language": [lang for lang, _, _ in rows],
            "removed_by": [by for _, by, _ in rows],
            "removed_reason": [reason for _, _, reason in rows],
        }
    )


def _stats(counts: dict[tuple[str | None, str | None, str | None], int]) -> dict:
    rows = [key for key, n in counts.items() for _ in range(n)]
    return finalize(table_partial(_table(rows)))


def test_removals_per_language_come_from_the_columns_and_merge_per_file():
    rows = [("zh", "f", "too_short")] * 3 + [("en", "f", "too_short"), ("en", None, None), (None, "url", "banned")]
    whole = finalize(table_partial(_table(rows)))
    parts = finalize(merge(table_partial(_table(rows[:2])), table_partial(_table(rows[2:]))))
    assert whole["removed_by_language"] == {"zh/f/too_short": 3, "en/f/too_short": 1, "null/url/banned": 1}
    assert parts["removed_by_language"] == whole["removed_by_language"]
    table = language_table(whole)
    assert table["zh"] == {
        "in": 3,
        "kept": 0,
        "removed": 3,
        "removed_by": {"f": 3},
        "removed_by_reason": {"f/too_short": 3},
    }
    assert list(table) == ["zh", "en", "null"]  # most documents first, no language last
    # input = kept + removed, per language
    assert all(r["in"] == r["kept"] + r["removed"] for r in table.values())


def test_a_step_sees_only_what_earlier_steps_left():
    stats = _stats({("zh", "a", "x"): 30, ("zh", "b", "y"): 10, ("zh", None, None): 10, ("en", None, None): 50})
    rates = {s["step"]: s["languages"] for s in step_rates(stats, ["a", "b"])}
    assert rates["a"]["zh"] == {"reached": 50, "removed": 30, "rate": 0.6}
    assert rates["b"]["zh"] == {"reached": 20, "removed": 10, "rate": 0.5}
    # without a manifest order the larger step comes first, so "b" would be measured on all 50
    assert [s["step"] for s in step_rates(stats)] == ["a", "b"]


def test_flag_when_one_language_loses_far_more():
    stats = _stats(
        {
            ("zh", "quality_filter", "low"): 45,
            ("zh", None, None): 9,
            ("en", "quality_filter", "low"): 19,
            ("en", None, None): 75,
            ("ja", None, None): 44,
        }
    )
    found = stage_funnel("filter", stats, ["quality_filter"], SkewRule())["flags"]
    assert found == [
        {
            "stage": "filter",
            "step": "quality_filter",
            "language": "zh",
            "removed": 45,
            "reached": 54,
            "rate": round(45 / 54, 4),
            "other_rate": round(19 / 138, 4),
            "kind": "skew",
        }
    ]


def test_a_step_removing_nearly_all_of_a_language_is_flagged_even_when_it_does_the_same_to_every_language():
    """The skew rule compares languages; a quality filter whose thresholds do not fit the crawl removes
    nearly everything everywhere (100 % en / 76 % zh on bench/real_pages), which only this flag shows."""
    stats = _stats(
        {
            ("en", "quality_filter", "quality_low_score"): 706,
            ("zh", "quality_filter", "quality_low_score"): 47,
            ("zh", None, None): 15,
            ("ja", "quality_filter", "quality_low_score"): 19,  # 19 of 20 reached: 95 %
            ("ja", None, None): 1,
        }
    )
    found = flags("filter", step_rates(stats, ["quality_filter"]))
    assert [(f["language"], f["kind"]) for f in found] == [("en", "sweep"), ("ja", "sweep")]
    assert describe_flag(found[0]).startswith("filter/quality_filter removes 100% of en (706/706)")
    assert "nearly all of it" in describe_flag(found[0])
    # one language only: nothing to compare with, the sweep still shows
    alone = flags("filter", step_rates(_stats({("en", "s", "r"): 95, ("en", None, None): 5}), ["s"]))
    assert [(f["language"], f["kind"], f["other_rate"]) for f in alone] == [("en", "sweep", None)]
    assert (
        flags(
            "filter", step_rates(_stats({("en", "s", "r"): 95, ("en", None, None): 5}), ["s"]), SkewRule(max_rate=0.96)
        )
        == []
    )


@pytest.mark.parametrize(
    ("zh_removed", "en_removed", "rule", "flagged"),
    [
        (30, 10, SkewRule(), True),  # 30 % vs 10 %: 3x and 20 points
        (30, 16, SkewRule(), False),  # 30 % vs 16 %: under 2x
        (12, 5, SkewRule(), False),  # 12 % vs 5 %: 2.4x but only 7 points
        (12, 5, SkewRule(min_points=5), True),
        (4, 0, SkewRule(), False),  # fewer than 5 removed
    ],
)
def test_flag_thresholds(zh_removed, en_removed, rule, flagged):
    stats = _stats(
        {
            ("zh", "s", "r"): zh_removed,
            ("zh", None, None): 100 - zh_removed,
            ("en", "s", "r"): en_removed,
            ("en", None, None): 100 - en_removed,
        }
    )
    assert bool(flags("filter", step_rates(stats, ["s"]), rule)) is flagged


def test_small_languages_no_language_and_language_selection_are_not_flagged():
    stats = _stats(
        {
            ("la", "s", "r"): 10,  # 10 of 10, but only 10 documents reached the step
            ("en", None, None): 100,
            (None, "url_filter", "banned"): 40,  # removed before language ID
            ("fr", "language_filter", "language_not_allowed"): 50,  # removed on purpose
        }
    )
    rates = step_rates(stats, ["url_filter", "language_filter", "s"])
    assert flags("filter", rates) == []
    assert flags("filter", rates, SkewRule(min_docs=10))[0]["language"] == "la"


def test_by_language_table_lists_kept_of_in_per_stage():
    report = {
        "stages": {
            "extract": {"language_funnel": stage_funnel("extract", _stats({(None, None, None): 5}), None, SkewRule())},
            "filter": {
                "language_funnel": stage_funnel(
                    "filter",
                    _stats({("zh", "s", "r"): 2, ("zh", None, None): 1, ("en", None, None): 2}),
                    None,
                    SkewRule(),
                )
            },
        },
        "language_flags": [],
    }
    lines = format_by_language(report).splitlines()
    assert lines[1].split() == ["language", "extract", "filter"]
    assert lines[2].split() == ["zh", "-", "1/3"]
    assert lines[4].split() == ["(none)", "5/5", "-"]
    assert lines[-1] == "language skew: no step flagged"


def test_bad_skew_option_fails_with_the_option_name(tmp_path, capsys):
    assert main(["stats", str(tmp_path), "--skew-ratio", "0.5"]) == 2
    assert "--skew-ratio=0.5" in capsys.readouterr().err


def _write_stage(root, rows: list[tuple[str, str | None, str | None]]) -> None:
    """A stage directory laid out like the jobs write it: status=/language= hive partitions."""
    import pyarrow.parquet as pq

    groups: dict[tuple[str, str], list] = {}
    for lang, by, reason in rows:
        groups.setdefault(("removed" if by else "kept", lang), []).append((by, reason))
    for i, ((status, lang), items) in enumerate(sorted(groups.items())):
        folder = root / f"status={status}" / f"language={lang}"
        folder.mkdir(parents=True)
        table = pa.table({"removed_by": [b for b, _ in items], "removed_reason": [r for _, r in items]})
        pq.write_table(table, folder / f"part-{i}.parquet")


def test_stats_text_shows_the_funnel_per_language_from_partitioned_files(tmp_path, capsys):
    import json

    rows = [("zh", "fineweb_quality", "fineweb_punct_lines")] * 20 + [("zh", None, None)] * 5
    rows += [("en", "gopher_quality", "gopher_too_few_words")] * 2 + [("en", None, None)] * 40
    _write_stage(tmp_path / "filter", rows)
    assert main(["stats", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "zh             25       5        20       fineweb_quality/fineweb_punct_lines=20" in text
    assert "filter/fineweb_quality removes 80% of zh (20/25) against 0% of other languages" in text
    # a stage published by a version without per-language removals is re-scanned for them
    (tmp_path / "filter" / "_SUCCESS").write_text("")
    old = {"rows": 67, "kept": 45, "removed": 22, "accounting_ok": True, "by_language": {"zh/kept": 5}}
    (tmp_path / "filter" / "_stats.json").write_text(json.dumps(old))
    assert main(["stats", str(tmp_path), "--json"]) == 0
    stage = json.loads(capsys.readouterr().out)["stages"]["filter"]
    assert stage["published"] and stage["by_language"] == {"zh/kept": 5}  # the published numbers win
    assert stage["removed_by_language"]["zh/fineweb_quality/fineweb_punct_lines"] == 20
