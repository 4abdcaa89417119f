"""The trainer's ``corpus`` subcommands end to end on tiny inputs, and ``--help`` without torch."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.cli.main import main
from schemas.documents import rows_to_table
from tests.conftest import ROOT, shared_path
from tests.trainer_support import paragraphs


def test_registering_the_commands_does_not_import_torch():
    code = (
        "import argparse, sys; from pipeline.cli import train; p = argparse.ArgumentParser(); "
        "train.register(p.add_subparsers()); assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    plays = paragraphs(shared_path("corpora", "tinyshakespeare", "input.txt"), 40_000)
    wiki = paragraphs(shared_path("corpora", "wikitext-2", "valid.txt"), 40_000)
    rows = [{"id": f"p{i:04d}", "source": "plays", "text": t, "status": "kept"} for i, t in enumerate(plays)]
    rows += [{"id": f"w{i:04d}", "source": "wiki", "text": t, "status": "kept"} for i, t in enumerate(wiki)]
    rows.append({"id": "x0", "source": "wiki", "text": "SPAM " * 50, "status": "removed"})
    for status in ("kept", "removed"):
        folder = root / "docs" / f"status={status}"
        folder.mkdir(parents=True)
        table = rows_to_table([r for r in rows if r["status"] == status]).drop(["status"])
        pq.write_table(table, folder / "part-00000.parquet")
    (root / "mix.yaml").write_text(
        yaml.safe_dump(
            {
                "seed": 1,
                "sources": [
                    {"name": "plays", "weight": 1.0, "path": "tokens/plays"},
                    {"name": "wiki", "weight": 3.0, "path": "tokens/wiki"},
                ],
            }
        )
    )
    return root


@pytest.mark.spark
def test_tokenizer_tokenize_train_and_eval_from_the_command_line(spark, documents, capsys):
    root = documents
    assert (
        main(
            [
                "train-tokenizer",
                "--input",
                str(root / "docs"),
                "--output",
                str(root / "tok.model"),
                "--vocab-size",
                "400",
                "--mix",
                str(root / "mix.yaml"),
                "--max-chars",
                "40000",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["pieces"] == 400 and report["weights"] == {"plays": 0.25, "wiki": 0.75}
    chars = report["chars_by_source"]  # shares of 10k and 30k characters, overshooting by < one document
    assert 10_000 <= chars["plays"] < 12_000 and 30_000 <= chars["wiki"] < 30_000 + 12_000

    assert (
        main(
            [
                "tokenize",
                "--input",
                str(root / "docs"),
                "--output",
                str(root / "tokens"),
                "--tokenizer",
                str(root / "tok.model"),
                "--partitions",
                "2",
            ]
        )
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert stats["n_docs"] == len(paragraphs(shared_path("corpora", "tinyshakespeare", "input.txt"), 40_000)) + len(
        paragraphs(shared_path("corpora", "wikitext-2", "valid.txt"), 40_000)
    )
    assert (root / "tokens" / "_SUCCESS").exists() and (root / "tokens" / "_manifest.json").exists()

    assert (
        main(
            [
                "train",
                "--set",
                f"mix={root / 'mix.yaml'}",
                "--set",
                f"out_dir={root / 'run'}",
                "--set",
                f"tokenizer={root / 'tok.model'}",
                "--set",
                "max_steps=30",
                "--set",
                "device=cpu",
                "--set",
                "model.seq_len=32",
                "--set",
                "model.d_model=32",
                "--set",
                "model.n_layer=1",
                "--set",
                "model.n_head=2",
                "--set",
                "optim.warmup_steps=3",
                "--set",
                "optim.lr=0.003",
                "--set",
                "holdout_windows=2",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    summary = json.loads(out[out.index('{\n  "step"') :])
    assert summary["step"] == 30 and set(summary["eval"]) == {"plays", "wiki"}

    assert (
        main(
            [
                "eval-shards",
                "--checkpoint",
                str(root / "run" / "checkpoint.pt"),
                "--input",
                str(root / "tokens"),
                "--top",
                "2",
                "--report",
                str(root / "worst.json"),
            ]
        )
        == 0
    )
    worst = json.loads((root / "worst.json").read_text())
    assert len(worst["worst"]) == 2 and worst["worst"][0]["perplexity"] >= worst["worst"][1]["perplexity"]
