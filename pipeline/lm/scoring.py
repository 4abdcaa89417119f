"""Document perplexity under a per-language KenLM model, with cc_net's document formula.

cc_net (Wenzek et al., 2020) scores each line of a document, adds up the log10 scores and the token
counts (each line also predicts its end-of-sentence token ``</s>``), and reports
``10 ** (-sum_log10 / sum_tokens)`` rounded to one decimal. Lower is more like the reference.
One difference, on purpose: lines that are empty after normalisation are skipped, because a blank
line is layout, and scoring it would only add a ``</s>`` after ``<s>`` to every paragraph break.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from pipeline.lm.normalize import NormalizeOptions, normalized_lines
from pipeline.lm.tokenize import PieceTokenizer

LM_SUFFIXES = (".binary", ".arpa")


@dataclass(frozen=True)
class ModelFiles:
    """Where a language's model parts live: the KenLM file, the optional sentencepiece model and metadata."""

    lm: Path
    sentencepiece: Path | None
    meta: dict


def _find_lm(directory: Path, lang: str | None) -> Path:
    """``<lang>.binary`` / ``<lang>.arpa`` first, else the directory's only .binary (or only .arpa)."""
    for suffix in LM_SUFFIXES:
        if lang and (directory / f"{lang}{suffix}").is_file():
            return directory / f"{lang}{suffix}"
    for suffix in LM_SUFFIXES:
        found = sorted(directory.glob(f"*{suffix}"))
        if len(found) > 1:
            raise ValueError(f"{directory}: several {suffix} models {[p.name for p in found]}; name one <lang>{suffix}")
        if found:
            return found[0]
    raise FileNotFoundError(f"no .binary or .arpa KenLM model in {directory}")


def resolve_model_files(path: str | Path, lang: str | None = None) -> ModelFiles:
    """Find the model parts from a model directory (as ``train_kenlm`` writes) or a KenLM file.

    For a KenLM file ``x.binary`` or ``x.arpa``, ``x.sp.model`` and ``x.meta.json`` beside it are used
    when present; without a sentencepiece model, lines are split on whitespace (KenLM's convention).
    """
    path = Path(path)
    if path.is_dir():
        path = _find_lm(path, lang)
    elif not path.is_file():
        raise FileNotFoundError(f"language model not found: {path}")
    stem = path.name.rsplit(".", 1)[0]
    sp, meta = path.with_name(f"{stem}.sp.model"), path.with_name(f"{stem}.meta.json")
    meta_dict = json.loads(meta.read_text()) if meta.is_file() else {}
    return ModelFiles(lm=path, sentencepiece=sp if sp.is_file() else None, meta=meta_dict)


class LanguageModel:
    """A loaded KenLM model with the tokeniser and normalisation it was trained with."""

    def __init__(self, files: ModelFiles):
        import kenlm  # native module: imported where a model is actually loaded

        self.files = files
        self.model = kenlm.Model(str(files.lm))
        # Models written before units existed (meta_version 1) are sentencepiece or whitespace words.
        unit = files.meta.get("unit", "words")
        self.tokenizer = PieceTokenizer(files.sentencepiece, unit=unit, lang=files.meta.get("lang"))
        self.options = NormalizeOptions.from_dict(files.meta.get("normalize"))

    @classmethod
    def load(cls, path: str | Path, lang: str | None = None) -> LanguageModel:
        return cls(resolve_model_files(path, lang))

    def log_score(self, text: str) -> tuple[float, int]:
        """Sum of log10 line scores (with <s> and </s>) and the number of predicted tokens."""
        lines = normalized_lines(text, self.options)
        total, length = 0.0, 0
        for pieces in self.tokenizer.pieces_batch(lines):
            total += self.model.score(" ".join(pieces), bos=True, eos=True)
            length += len(pieces) + 1
        return total, length

    def perplexity(self, text: str) -> float | None:
        """cc_net document perplexity, rounded to 0.1; None when the text has nothing to score."""
        total, length = self.log_score(text)
        return perplexity_from_log10(total, length)


def perplexity_from_log10(log10_sum: float, n_tokens: int) -> float | None:
    if n_tokens == 0:
        return None
    value = 10.0 ** (-log10_sum / n_tokens)
    return round(value, 1) if math.isfinite(value) else float("inf")


def bucket_for(perplexity: float | None, cutoffs: tuple[float, float] | list[float] | None) -> str | None:
    """head below the first cut-off, middle below the second, tail otherwise (cc_net's three buckets)."""
    if perplexity is None or not cutoffs:
        return None
    low, high = cutoffs
    if perplexity < low:
        return "head"
    return "middle" if perplexity < high else "tail"


def models_in_dir(directory: str | Path) -> dict[str, str]:
    """``{lang: directory}`` for every ``<lang>.binary`` / ``<lang>.arpa`` in a directory (train-lm's layout)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"model directory not found: {directory}")
    langs = {p.name.rsplit(".", 1)[0] for s in LM_SUFFIXES for p in directory.glob(f"*{s}")}
    return {lang: str(directory) for lang in sorted(langs)}
