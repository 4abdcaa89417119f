"""Training KenLM models with lmplz (built by `make setup`) and using them: wikitext-2 sanity, cut-offs."""

from __future__ import annotations

import hashlib
import json
import random
import statistics

import pytest

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator
from pipeline.lm.cutoffs import compute_cutoffs, load_cutoffs, write_cutoffs
from pipeline.lm.kenlm_train import KenlmToolMissing, find_kenlm_tool, train_kenlm
from pipeline.lm.scoring import LanguageModel
from pipeline.step import run_steps
from schemas.documents import empty_row
from tests.conftest import shared_path

try:
    find_kenlm_tool("lmplz")
    find_kenlm_tool("build_binary")
except KenlmToolMissing:
    pytestmark = pytest.mark.skip(reason="lmplz/build_binary not built; run: bash scripts/build_kenlm.sh .venv")

SPAM = [
    "BUY CHEAP VIAGRA NOW!!! Best price $$$ click here >>> www.cheap-pills.biz <<< 100% FREE shipping",
    "casino casino casino online slots bonus bonus win win win jackpot free spins no deposit",
    "lol omg u gotta see this!!!! :) :) :) follow me on insta xoxo #blessed #love #instagood",
    "Home | About Us | Contact | Privacy Policy | Terms of Service | Login | Register | Cart (0)",
]


def paragraphs(name: str, limit: int) -> list[str]:
    """Body paragraphs of a wikitext-2 file (headings ' = Title = ' and short lines left out)."""
    lines = shared_path("corpora", "wikitext-2", name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.split()) > 20 and not line.strip().startswith("=")][:limit]


@pytest.fixture(scope="module")
def wiki_model(tmp_path_factory):
    root = tmp_path_factory.mktemp("wiki-lm")
    reference = root / "reference.txt"
    reference.write_text("\n".join(paragraphs("valid.txt", 1500)) + "\n", encoding="utf-8")
    return train_kenlm(reference, root / "model", order=3, lang="en", vocab_size=2000)


def test_model_directory_layout(wiki_model):
    names = sorted(p.name for p in wiki_model.iterdir())
    assert names == ["en.binary", "en.meta.json"]  # the default unit needs no sentencepiece model
    meta = LanguageModel.load(wiki_model, "en").files.meta
    assert (meta["order"], meta["prune"], meta["lines"], meta["unit"]) == (3, [], 1500, "chars")
    # Case and accents kept, digits kept for English (bench/quality_models measured each step).
    assert meta["normalize"] == {
        "ascii_punctuation": True,
        "digits_to_zero": False,
        "lower": False,
        "strip_accents": False,
    }


def test_heldout_wikipedia_scores_lower_than_shuffled_words_and_spam(wiki_model):
    lm = LanguageModel.load(wiki_model, "en")
    heldout = paragraphs("test.txt", 40)
    rng = random.Random(0)
    shuffled = [" ".join(rng.sample(p.split(), len(p.split()))) for p in heldout]
    real = [lm.perplexity(p) for p in heldout]
    scrambled = [lm.perplexity(p) for p in shuffled]
    spam = [lm.perplexity(s) for s in SPAM]
    assert all(r < s for r, s in zip(real, scrambled)), list(zip(real, scrambled))
    assert statistics.median(scrambled) > 1.5 * statistics.median(real)
    assert min(spam) > max(real), (spam, max(real))


def test_cutoffs_from_a_sample_then_buckets(wiki_model, tmp_path):
    docs = [{"language": "en", "text": p} for p in paragraphs("test.txt", 60)]
    docs += [{"language": "en", "text": s} for s in SPAM] + [{"language": "de", "text": "nicht gezählt"}]
    result = compute_cutoffs({"en": str(wiki_model)}, docs, percentiles=(33, 66), per_language=100)
    assert result["sample_sizes"] == {"en": 64}
    low, high = result["cutoffs"]["en"]
    assert 0 < low < high
    path = write_cutoffs(result, tmp_path / "cutoffs.json")
    assert load_cutoffs(path) == {"en": [low, high]}
    rows = []
    for i, d in enumerate(docs[:-1]):
        row = empty_row()
        row.update(id=str(i), status="kept", **d)
        rows.append(row)
    out = run_steps([KenlmPerplexityAnnotator({"en": str(wiki_model)}, cutoffs=str(path))], rows)
    buckets = [r["perplexity_bucket"] for r in out]
    assert 15 <= buckets.count("head") <= 25 and 15 <= buckets.count("tail") <= 26
    assert [r["perplexity_bucket"] for r in out[-4:]] == ["tail"] * 4  # every spam line


def test_training_is_reproducible_and_prunes(tmp_path):
    reference = tmp_path / "tiny.txt"
    # Tiny corpora only train because lmplz gets --discount_fallback.
    reference.write_text("\n".join(paragraphs("valid.txt", 60)) + "\n", encoding="utf-8")

    def digest(d):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.iterdir() if p.suffix != ".json"}

    kw = {"unit": "sentencepiece", "vocab_size": 300, "keep_arpa": True}
    first = train_kenlm(reference, tmp_path / "a", order=3, prune=[0, 1], **kw)
    second = train_kenlm(reference, tmp_path / "b", order=3, prune=[0, 1], **kw)
    assert digest(first) == digest(second) and (first / "en.sp.model").is_file()
    unpruned = train_kenlm(reference, tmp_path / "c", order=3, **kw)
    counts = [(d / "en.arpa").read_text().split("\n\n")[0] for d in (first, unpruned)]
    assert counts[0] != counts[1] and "ngram 3=" in counts[0]


@pytest.mark.parametrize("prune", [[1, 1], [0, 2, 1], [0, 0, 0, 1]])
def test_bad_pruning_is_refused_before_training(tmp_path, prune):
    with pytest.raises(ValueError, match="prune"):
        train_kenlm(tmp_path / "unused.txt", tmp_path / "out", order=3, prune=prune)


def test_cli_train_lm_then_lm_cutoffs(tmp_path, capsys):
    from pipeline.cli.main import main

    refs = tmp_path / "reference"
    refs.mkdir()
    (refs / "en.txt").write_text("\n".join(paragraphs("valid.txt", 80)) + "\n", encoding="utf-8")
    models = tmp_path / "models"
    assert (
        main(["train-lm", "--reference", str(refs), "--out", str(models), "--order", "3", "--vocab-size", "300"]) == 0
    )
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"text": p, "language": "en"}) for p in paragraphs("test.txt", 30)) + "\n")
    out = tmp_path / "cutoffs.json"
    assert main(["lm-cutoffs", "--models", str(models), "--input", str(docs), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["sample_sizes"] == {"en": 30} and result["percentiles"] == [33.0, 66.0]
    assert "en: head <" in capsys.readouterr().out
