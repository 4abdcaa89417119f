"""KenLM units for text without spaces (issue #14): chars / segmented models vs a plain lmplz model."""

from __future__ import annotations

import random
import subprocess

import pytest

from pipeline.lm.kenlm_train import KenlmToolMissing, find_kenlm_tool, train_kenlm
from pipeline.lm.metrics import roc_auc
from pipeline.lm.scoring import LanguageModel
from tests.test_quality_multilingual import en_paragraphs, zh_sentences

try:
    find_kenlm_tool("lmplz")
except KenlmToolMissing:
    pytestmark = pytest.mark.skip(reason="lmplz not built; run: bash scripts/build_kenlm.sh .venv")


def plain_model(reference, tmp_path):
    """``lmplz -o 5`` on the raw reference, as a user would run it (whitespace words)."""
    import kenlm

    arpa = tmp_path / "plain.arpa"
    cmd = [find_kenlm_tool("lmplz"), "-o", "5", "-S", "200M", "-T", str(tmp_path), "--discount_fallback"]
    with reference.open("rb") as stdin, arpa.open("wb") as stdout:
        subprocess.run([*cmd, "--skip_symbols"], stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    return kenlm.Model(str(arpa))


def plain_auc(model, good, bad):
    def ppl(text):
        return 10 ** (-model.score(text, bos=True, eos=True) / (len(text.split()) + 1))

    return roc_auc([-ppl(t) for t in good + bad], [True] * len(good) + [False] * len(bad))


def our_auc(model_dir, lang, good, bad):
    lm = LanguageModel.load(model_dir, lang)
    return roc_auc([-lm.perplexity(t) for t in good + bad], [True] * len(good) + [False] * len(bad))


@pytest.fixture(scope="module")
def zh_data(tmp_path_factory):
    import jieba

    sents = zh_sentences(3200)
    root = tmp_path_factory.mktemp("zh-lm")
    (root / "ref.txt").write_text("\n".join(sents[:3000]) + "\n", encoding="utf-8")
    rng = random.Random(0)
    good = sents[3000:3150]
    bad = []
    for s in good:
        words = jieba.lcut(s)
        rng.shuffle(words)
        bad.append("".join(words))
    return root, good, bad


@pytest.mark.parametrize("unit", ["chars", "segmented"])
def test_chinese_units_beat_a_plain_word_model(zh_data, unit, tmp_path):
    root, good, bad = zh_data
    ours = our_auc(train_kenlm(root / "ref.txt", tmp_path / unit, order=5, lang="zh", unit=unit), "zh", good, bad)
    plain = plain_auc(plain_model(root / "ref.txt", tmp_path), good, bad)
    # Unsegmented Chinese is one unknown "word" per line for the plain model: a coin toss.
    assert abs(plain - 0.5) < 0.1
    assert ours >= 0.8 and ours >= plain, (unit, ours, plain)


def test_english_default_model_at_least_as_good_as_plain(tmp_path):
    """The issue's case: 700 reference sentences; sentencepiece (old default) lost to plain lmplz."""
    paras = en_paragraphs(900)
    sents = [s.strip() + " ." for p in paras for s in p.split(" . ") if len(s.split()) >= 8]
    (tmp_path / "ref.txt").write_text("\n".join(sents[:700]) + "\n", encoding="utf-8")
    rng = random.Random(0)
    good = sents[-300:]
    bad = [" ".join(rng.sample(s.split(), len(s.split()))) for s in good]
    ours = our_auc(train_kenlm(tmp_path / "ref.txt", tmp_path / "m", order=5, lang="en"), "en", good, bad)
    plain = plain_auc(plain_model(tmp_path / "ref.txt", tmp_path), good, bad)
    assert ours >= plain - 0.005, (ours, plain)
    assert ours >= 0.85
