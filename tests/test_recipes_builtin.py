"""Built-in single-job recipes (pii, langid, language, rules, url), ``corpus recipes``, and what a
privacy reviewer checks: PII counts per type in ``_stats.json`` and no PII in the HTML report."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from pipeline.cli.main import main
from pipeline.config import ConfigError
from pipeline.recipe import RECIPE_DIR, load_recipe
from pipeline.transform.pii import redact_for_display

SINGLE_JOBS = {
    "pii": ["pii_redactor"],
    "langid": ["language_id"],
    "language": ["language_id", "language_filter"],
    "rules": ["c4_lines", "repeated_lines", "c4_quality", "gopher_repetition", "gopher_quality", "fineweb_quality"],
    "url": ["url_filter"],
}
PII_TEXT = (
    "Write to jane.doe@example.org or call (415) 555-0132; card 4111 1111 1111 1111, "
    "IBAN de89 3704 0044 0532 0130 00, server 93.184.216.34, SSN 536-22-8726."
)
ORIGINALS = ["jane.doe@example.org", "555-0132", "4111 1111 1111 1111", "de89 3704", "93.184.216.34", "536-22-8726"]


def test_single_job_recipes_load_with_their_steps():
    for name, steps in SINGLE_JOBS.items():
        assert [s.name for s in load_recipe(name).steps] == steps, name
    assert {p.stem for p in RECIPE_DIR.glob("*.yaml")} >= set(SINGLE_JOBS) | {"fineweb", "fineweb-en"}


def test_corpus_recipes_lists_every_builtin_recipe(capsys):
    assert main(["recipes"]) == 0
    out = capsys.readouterr().out
    for name, steps in SINGLE_JOBS.items():
        assert f"{name}\n  steps: {' -> '.join(steps)}\n" in out
    assert "fineweb\n  steps: url_filter" in out and "--recipe NAME" in out


def test_pii_recipe_bad_phone_region_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match=r"pii_redactor.phone_regions: unknown \['XX'\].*valid values"):
        load_recipe("pii", ["pii_redactor.phone_regions=[US,XX]"])
    with pytest.raises(ConfigError, match="write 'NO'"):
        load_recipe("pii", ["pii_redactor.phone_regions=[DE,NO]"])
    assert load_recipe("pii", ["pii_redactor.phone_regions=[DE,'NO']"]).steps[0].phone_regions == ("DE", "NO")


def test_redact_for_display_leaves_no_original():
    row = {
        "id": "x",
        "text": PII_TEXT,
        "title": "mail jane.doe@example.org",
        "url": "https://a.org/?m=jane.doe%40example.org",
    }
    shown = json.dumps(redact_for_display(row))
    assert not [o for o in ORIGINALS if o in shown] and "jane.doe%40" not in shown
    assert row["text"] == PII_TEXT  # the input row is not changed


@pytest.mark.spark
def test_pii_recipe_on_spark_counts_per_type_and_the_report_shows_no_pii(spark, tmp_path):
    from jobs.filter import FilterStageConfig, run
    from pipeline.report import build_report

    src = tmp_path / "docs.jsonl"
    spam = "Cheap pills, write to jane.doe@example.org now!\n" * 30
    docs = [
        {"id": "a", "text": PII_TEXT, "url": "https://example.org/a"},
        {"id": "b", "text": "Nothing personal in this line of text.", "url": "https://example.org/b"},
        {"id": "c", "text": spam, "url": "https://example.org/c"},
    ]
    src.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    cfg = FilterStageConfig(shuffle_partitions=2)
    stats = run(spark, [str(src)], str(tmp_path / "run" / "pii"), load_recipe("pii"), cfg)
    assert (stats["rows"], stats["kept"], stats["removed"]) == (3, 3, 0)
    assert stats["pii"]["email"] == {"detections": 31, "documents": 2, "kept_detections": 31}
    for kind in ("phone", "card", "iban", "ip", "ssn"):
        assert stats["pii"][kind] == {"detections": 1, "documents": 1, "kept_detections": 1}, kind
    assert json.loads((tmp_path / "run" / "pii" / "_stats.json").read_text())["pii"] == stats["pii"]
    rows = ds.dataset(str(tmp_path / "run" / "pii"), partitioning="hive").to_table().to_pylist()
    assert not [o for r in rows for o in ORIGINALS if o in r["text"]]

    # A stage without a PII step keeps the crawled text; its report must still show none of it.
    run(spark, [str(src)], str(tmp_path / "run" / "rules"), load_recipe("rules"), cfg)
    removed = ds.dataset(str(tmp_path / "run" / "rules" / "status=removed")).to_table().to_pylist()
    assert any("jane.doe@example.org" in r["text"] for r in removed)  # the stage output itself has it
    html = build_report(tmp_path / "run", per_reason=5)
    assert "\\u003cEMAIL>" in html and not [o for o in ORIGINALS if o in html]  # "<" is escaped in the JSON


def test_filter_summary_prints_counts_per_type_never_values():
    from jobs.filter import summary_lines

    stats = {"rows": 2, "kept": 2, "removed": 0, "accounting_ok": True, "by_language": {}}
    stats["pii"] = {"email": {"detections": 3, "documents": 2, "kept_detections": 3}}
    stats["pii"]["card"] = {"detections": 0, "documents": 0, "kept_detections": 0}
    assert "PII redacted:  email=3" in summary_lines(stats, "out", 1.0)
