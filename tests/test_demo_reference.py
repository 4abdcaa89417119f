"""scripts/demo_reference.py: real reference text where ../shared/data has it, and the languages the demo's
model filters judge (only those with real text; every language on a fresh clone)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]


def _run(tmp_path: Path) -> tuple[Path, str]:
    sample = tmp_path / "sample"
    sample.mkdir()
    for lang in ("de", "en", "zh"):
        (sample / f"{lang}.txt").write_text(f"generated {lang} article one.\n\ngenerated {lang} two.\n", "utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "demo_reference.py"),
            str(sample),
            str(out),
            "--max-docs",
            "30",
            "--quality-out",
            str(tmp_path / "pos"),
            "--quality-real",
            "5",
            "--judged-out",
            str(tmp_path / "judged.txt"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out, done.stdout


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="needs ../shared/data (real reference text)")
def test_judges_only_languages_with_real_reference_text(tmp_path):
    out, printed = _run(tmp_path)
    assert (tmp_path / "judged.txt").read_text("utf-8").split() == ["en", "zh"]
    assert "model filters judge: en zh" in printed
    # real text replaces the generated reference for en and zh, de keeps the generator's
    assert "generated" not in (out / "en.txt").read_text("utf-8")
    assert (out / "de.txt").read_text("utf-8").startswith("generated de")
    positives = (tmp_path / "pos" / "zh.txt").read_text("utf-8")
    assert positives.count("\n\n") >= 5 and "generated zh" in positives  # 5 real documents + the generated ones
