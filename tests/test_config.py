"""Configuration errors name the key and the valid values, before Spark starts."""

import pytest

from jobs.extract_warc import load_config
from pipeline.config import ConfigError, parse_overrides


def test_overrides_parse_yaml_scalars():
    assert parse_overrides(["a.b=3", "a.c=true", "d=x", "e=[1, 2]"]) == {
        "a": {"b": 3, "c": True},
        "d": "x",
        "e": [1, 2],
    }


def test_unknown_key_lists_valid_keys():
    with pytest.raises(ConfigError, match=r"unknown key 'extract\.timeout'.*timeout_s"):
        load_config(None, ["extract.timeout=3"])


def test_wrong_type_names_expected_type():
    with pytest.raises(ConfigError, match=r"extract\.max_html_bytes: expected int"):
        load_config(None, ["extract.max_html_bytes=big"])


def test_invalid_value_is_rejected():
    with pytest.raises(ConfigError, match=r"extract\.timeout_s: must be > 0"):
        load_config(None, ["extract.timeout_s=0"])


def test_yaml_file_and_overrides(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("extract:\n  source: news\n  timeout_s: 2\n")
    cfg = load_config(str(path), ["extract.min_text_chars=20"])
    assert (cfg.extract.source, cfg.extract.timeout_s, cfg.extract.min_text_chars) == ("news", 2.0, 20)


def test_malformed_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extract: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(str(path))
    path.write_text("- a list\n")
    with pytest.raises(ConfigError, match="mapping at the top level"):
        load_config(str(path))


def test_cli_reports_config_errors_before_spark_starts(tmp_path):
    import subprocess
    import sys

    cases = [
        (["extract", "--input", str(tmp_path / "*.warc.gz"), "--output", str(tmp_path / "o")], "no input files match"),
        (
            [
                "filter",
                "--input",
                str(tmp_path),
                "--output",
                str(tmp_path / "o"),
                "--set",
                "gopher_quality.min_wordz=3",
            ],
            "valid parameters: ['min_words'",
        ),
        (
            ["dedup", "--input", str(tmp_path), "--output", str(tmp_path / "o"), "--set", "dedup.threshold=2"],
            "must be in (0, 1]",
        ),
        (["run", "--input", "x", "--output", str(tmp_path / "o"), "--recipe", "nope"], "built-in recipes"),
    ]
    for args, message in cases:
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline.cli.main", *args], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr, (args, proc.stderr)
        assert "SparkContext" not in proc.stderr and "log4j" not in proc.stderr  # Spark never started
