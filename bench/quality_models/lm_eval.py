"""KenLM scoring for the bench: our models through ``LanguageModel``, and a plain ``lmplz -o 5`` model."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from pipeline.lm.kenlm_train import find_kenlm_tool
from pipeline.lm.metrics import roc_auc
from pipeline.lm.scoring import LanguageModel


def auc_of_model(model_dir: Path, lang: str, examples) -> float:
    """ROC AUC of -perplexity for good (True) vs bad examples, under our model for ``lang``."""
    lm = LanguageModel.load(model_dir, lang)
    scores = [-(lm.perplexity(text) or float("inf")) for _g, text, _good in examples]
    return roc_auc(scores, [good for _g, _t, good in examples])


def plain_perplexity(model, text: str) -> float:
    """Per-line KenLM scores of whitespace tokens with <s> </s>, cc_net's document formula, no normalisation."""
    total, n = 0.0, 0
    for line in text.split("\n"):
        if line.strip():
            total += model.score(line.strip(), bos=True, eos=True)
            n += len(line.split()) + 1
    return 10 ** (-total / n) if n else float("inf")


def train_plain(reference: Path, work: Path, order: int = 5) -> Path:
    """``lmplz -o 5`` on the raw reference (``--discount_fallback`` only if lmplz asks for it) + build_binary."""
    arpa, binary = work / f"{reference.stem}.plain.arpa", work / f"{reference.stem}.plain.binary"
    # --skip_symbols: wikitext writes <unk> for rare words, which lmplz refuses as text.
    for extra in (["--skip_symbols"], ["--skip_symbols", "--discount_fallback"]):
        with reference.open("rb") as stdin, arpa.open("wb") as stdout:
            cmd = [find_kenlm_tool("lmplz"), "-o", str(order), "-S", "1G", "-T", str(work), *extra]
            proc = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, check=False)
        if proc.returncode == 0:
            break
    else:
        raise RuntimeError(proc.stderr.decode(errors="replace")[-1000:])
    subprocess.run([find_kenlm_tool("build_binary"), str(arpa), str(binary)], check=True, capture_output=True)
    return binary


def plain_lmplz_auc(reference: Path, examples, work: Path) -> tuple[float, float]:
    """(AUC, training seconds) of a plain lmplz word model trained on the raw reference lines."""
    import kenlm

    t0 = time.perf_counter()
    model = kenlm.Model(str(train_plain(reference, work)))
    secs = time.perf_counter() - t0
    scores = [-plain_perplexity(model, text) for _g, text, _good in examples]
    return roc_auc(scores, [good for _g, _t, good in examples]), secs
