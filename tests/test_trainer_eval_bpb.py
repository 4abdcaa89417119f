"""eval-shards reports bits per byte per source; a source too short for the run is a one-line error."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path
from tests.trainer_support import paragraphs, write_ids_source, write_mix, write_text_source
from trainer.tokenizer import load, train_tokenizer

ROOT = Path(__file__).resolve().parents[1]
TINY = ["model.seq_len=16", "model.d_model=16", "model.n_layer=1", "model.n_head=2", "device=cpu"]
TINY += ["optim.warmup_steps=1", "holdout_windows=1", "log_every=100"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("bpb")
    plays = paragraphs(shared_path("corpora", "tinyshakespeare", "input.txt"), 20_000)
    novel = paragraphs(shared_path("corpora", "sentencepiece", "botchan.txt"), 20_000)
    sp = load(train_tokenizer(plays + novel, root / "tok.model", 512))
    write_text_source(root / "tokens", "plays", plays, sp)
    write_text_source(root / "tokens", "novel", novel, sp)
    mix = write_mix(root / "tokens", {"plays": 1.0, "novel": 1.0})
    from pipeline.cli.main import main

    sets = [f"mix={mix}", f"out_dir={root / 'run'}", f"tokenizer={root / 'tok.model'}", "max_steps=3", *TINY]
    assert main(["train", *[a for s in sets for a in ("--set", s)]]) == 0
    return root


def test_eval_shards_gives_bits_per_byte_per_source(trained, capsys):
    from pipeline.cli.main import main

    capsys.readouterr()
    args = ["eval-shards", "--checkpoint", str(trained / "run" / "checkpoint.pt"), "--input", str(trained / "tokens")]
    # no --tokenizer: the checkpoint's own tokenizer gives the bytes of each token
    assert main([*args, "--top", "1000", "--max-docs", "30"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["sources"]) == {"plays", "novel"}
    for source, summary in report["sources"].items():
        rows = [r for r in report["worst"] if r["source"] == source]
        assert len(rows) == summary["documents"] == {"plays": 30, "novel": 1}[source]  # the novel is one paragraph
        expected = sum(r["nats"] for r in rows) / math.log(2) / sum(r["bytes"] for r in rows)
        assert summary["bits_per_byte"] == pytest.approx(expected, rel=1e-4)
        assert 1.0 < summary["bits_per_byte"] < 12.0  # a barely trained model: a few bits per byte


def test_a_source_too_short_for_seq_len_is_one_line_and_exit_2(tmp_path):
    write_ids_source(tmp_path, "en", [list(range(3, 90))] * 4)
    write_ids_source(tmp_path, "zh", [[5, 6, 7, 8, 9]])
    mix = write_mix(tmp_path, {"en": 1.0, "zh": 1.0})
    sets = [f"mix={mix}", f"out_dir={tmp_path / 'run'}", "max_steps=2", *TINY]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "train", *[a for s in sets for a in ("--set", s)]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("configuration error: sources too short: zh: 6 tokens;")
    assert "needs at least 33 tokens" in lines[0] and "model.seq_len" in lines[0]
