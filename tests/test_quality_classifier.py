"""The fastText quality classifier: training on wikitext-2 vs crawl-like negatives, annotator, filter."""

from __future__ import annotations

import json
import random

import pytest

from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.filters.model_filters import QualityThresholdFilter
from pipeline.lm.quality import classifier_text, precision_recall, train_quality_classifier
from pipeline.lm.sources import read_examples
from pipeline.step import run_steps
from schemas.documents import empty_row
from tests.conftest import shared_path

pytest.importorskip("fasttext")

SALES = [
    "buy",
    "cheap",
    "best",
    "price",
    "free",
    "shipping",
    "click",
    "here",
    "casino",
    "bonus",
    "win",
    "now",
    "limited",
    "offer",
    "deal",
    "discount",
    "sale",
]
NAV = [
    "Home",
    "About",
    "Contact",
    "Login",
    "Register",
    "Cart",
    "Privacy",
    "Terms",
    "Sitemap",
    "Blog",
    "Shop",
    "FAQ",
    "Careers",
    "Newsletter",
]


def paragraphs(name: str, limit: int) -> list[str]:
    lines = shared_path("corpora", "wikitext-2", name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.split()) > 20 and not line.strip().startswith("=")][:limit]


def crawl_like(n: int, seed: int) -> list[str]:
    """Stand-ins for random crawl: word salad, keyword spam and navigation boilerplate."""
    rng = random.Random(seed)
    salad = [" ".join(rng.sample(p.split(), len(p.split()))) for p in paragraphs("test.txt", n // 3)]
    spam = [" ".join(rng.choice(SALES) for _ in range(rng.randint(10, 50))) + " !!!" for _ in range(n // 3)]
    nav = [" | ".join(rng.choice(NAV) for _ in range(rng.randint(8, 30))) for _ in range(n - 2 * (n // 3))]
    return salad + spam + nav


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("quality")
    (root / "pos.txt").write_text("\n\n".join(paragraphs("valid.txt", 600)) + "\n", encoding="utf-8")
    negatives = [json.dumps({"text": t}) for t in crawl_like(600, seed=1)]
    (root / "neg.jsonl").write_text("\n".join(negatives) + "\n", encoding="utf-8")
    pos, _ = read_examples([root / "pos.txt"], "docs", "en")
    neg, _ = read_examples([root / "neg.jsonl"], "auto", "en")
    report = train_quality_classifier(pos, neg, root / "quality.ftz", cutoff=2000)
    return root, report


def test_training_reports_heldout_precision_recall(trained):
    root, report = trained
    assert report["train"]["positive"] == report["train"]["negative"]  # balanced
    assert report["heldout"]["positive"] > 30 and report["heldout"]["negative"] > 30
    assert report["metrics"]["precision"] >= 0.9 and report["metrics"]["recall"] >= 0.9
    assert json.loads((root / "quality.ftz.meta.json").read_text()) == report
    # Quantised: a few hundred kB instead of the ~50 MB of the full-precision model.
    assert report["size_bytes"] == (root / "quality.ftz").stat().st_size < 1_000_000


def test_annotator_and_threshold_filter(trained):
    root, _ = trained
    heldout = paragraphs("test.txt", 400)[-3:]
    texts = heldout + ["click here buy cheap casino bonus free shipping win now", "Home | Login | Cart | Privacy"]
    docs = []
    for i, text in enumerate(texts + ["", "ein deutscher Text"]):
        row = empty_row()
        row.update(id=str(i), text=text, language="de" if i == len(texts) + 1 else "en", status="kept")
        docs.append(row)
    steps = [QualityClassifierAnnotator(str(root / "quality.ftz"), languages=["en"]), QualityThresholdFilter(0.5)]
    out = run_steps(steps, docs)
    scores = [d["quality_score"] for d in out]
    assert all(s > 0.5 for s in scores[:3]) and all(s < 0.5 for s in scores[3:5]), scores
    assert scores[5:] == [None, None]  # empty text; language not scored
    assert [d["status"] for d in out] == ["kept"] * 3 + ["removed"] * 2 + ["kept"] * 2
    assert out[3]["removed_reason"] == "quality_low_score"
    assert out[3]["removed_detail"] == f"score={scores[3]:.3g}<0.5"


def test_threshold_filter_exact_decisions():
    step = QualityThresholdFilter(min_score=0.3)
    assert step.check({"quality_score": 0.3}) is None
    assert step.check({"quality_score": 0.125}) == ("quality_low_score", "score=0.125<0.3")
    assert step.check({"quality_score": None}) is None
    assert QualityThresholdFilter(keep_unscored=False).check({}) == ("quality_low_score", "unscored")
    with pytest.raises(ValueError, match="mode"):
        QualityThresholdFilter(mode="sometimes")


def test_pareto_mode_is_seeded_and_favours_high_scores():
    step = QualityThresholdFilter(mode="pareto", alpha=9.0, seed=7)
    low = [{"id": str(i), "quality_score": 0.1} for i in range(2000)]
    high = [{"id": str(i), "quality_score": 0.9} for i in range(2000)]
    kept_low = sum(step.check(d) is None for d in low)
    kept_high = sum(step.check(d) is None for d in high)
    # P(pareto(9) > 1 - s) = (2 - s) ** -9: 0.3% at s=0.1, 42% at s=0.9 (GPT-3's rule).
    assert kept_low < 30 and 700 < kept_high < 1000
    assert [step.check(d) for d in high[:50]] == [
        QualityThresholdFilter(mode="pareto", seed=7).check(d) for d in high[:50]
    ]


def test_precision_recall_and_example_text():
    assert precision_recall([0.9, 0.6, 0.4, 0.2], [True, False, True, False]) == {
        "threshold": 0.5, "precision": 0.5, "recall": 0.5, "f1": 0.5, "n": 4,
    }  # fmt: skip
    assert classifier_text("Hello “World”\n\nSecond LINE 42") == 'hello "world" second line 42'


def test_cli_train_quality(trained, tmp_path, capsys):
    from pipeline.cli.main import main

    root, _ = trained
    out = tmp_path / "q.ftz"
    args = [
        "train-quality",
        "--positive",
        str(root / "pos.txt"),
        "--negative",
        str(root / "neg.jsonl"),
        "--format",
        "docs",
    ]
    assert main([*args, "--out", str(out), "--cutoff", "1000", "--epoch", "5"]) == 0
    printed = capsys.readouterr().out
    assert "precision" in printed and "recall" in printed and out.is_file()


def test_training_is_reproducible(trained, tmp_path):
    root, _ = trained
    sources = (
        read_examples([root / "pos.txt"], "docs", "en")[0],
        read_examples([root / "neg.jsonl"], "jsonl", "en")[0],
    )
    a = train_quality_classifier(*sources, tmp_path / "a.ftz", epoch=3, cutoff=500, seed=3)
    b = train_quality_classifier(*sources, tmp_path / "b.ftz", epoch=3, cutoff=500, seed=3)
    assert (tmp_path / "a.ftz").read_bytes() == (tmp_path / "b.ftz").read_bytes()
    assert a["metrics"] == b["metrics"]


def test_sources_read_txt_blocks_jsonl_and_kept_parquet(tmp_path):
    import pyarrow.parquet as pq

    from pipeline.lm.sources import iter_documents, iter_texts
    from schemas.documents import rows_to_table

    (tmp_path / "ref.txt").write_text("first para\nsecond para\n\n \n\nnext doc\n")
    assert list(iter_texts(tmp_path / "ref.txt")) == ["first para\nsecond para", "next doc"]
    stage = tmp_path / "stage"
    (stage / "status=kept").mkdir(parents=True)
    rows = []
    for i, status in enumerate(["kept", "removed", "kept"]):
        row = empty_row()
        row.update(id=str(i), text=f"doc {i}", language="en", status=status)
        rows.append(row)
    pq.write_table(rows_to_table(rows), stage / "status=kept" / "part-0.parquet")
    (stage / "_tmp").mkdir()
    pq.write_table(rows_to_table(rows[:1]), stage / "_tmp" / "part-9.parquet")  # unpublished leftovers
    assert [(r["id"], r["language"]) for r in iter_documents(stage)] == [("0", "en"), ("2", "en")]
    (tmp_path / "bad.jsonl").write_text('{"text": "ok"}\n{"body": "no text"}\n')
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        list(iter_documents(tmp_path / "bad.jsonl"))


def test_a_diverging_learning_rate_is_halved_until_training_succeeds(trained, tmp_path, capsys):
    root, report = trained
    assert report["params"]["lr_halvings"] == 0 and report["params"]["lr"] == 0.5
    sources = (
        read_examples([root / "pos.txt"], "docs", "en")[0],
        read_examples([root / "neg.jsonl"], "jsonl", "en")[0],
    )
    # lr 32 makes fastText stop with "Encountered NaN" on this data (16 still does); the retry trains at 8
    hot = train_quality_classifier(*sources, tmp_path / "hot.bin", epoch=5, lr=32.0, quantize=False)
    assert hot["params"]["lr_halvings"] >= 1 and hot["params"]["lr"] == 32.0 / 2 ** hot["params"]["lr_halvings"]
    assert "diverged (NaN) at lr=32" in capsys.readouterr().err
    assert hot["metrics"]["auc"] > 0.9 and (tmp_path / "hot.bin").is_file()
