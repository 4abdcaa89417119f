"""Train a per-language KenLM n-gram model from a reference corpus (``corpus train-lm``).

Steps: normalise the reference lines (``pipeline.lm.normalize``, options from ``default_normalize``),
split them into units (``pipeline.lm.units``: CJK characters by default; a sentencepiece model
trained on them with ``unit="sentencepiece"``), estimate a modified Kneser-Ney model with ``lmplz``
and convert it with ``build_binary``. The result is a *model directory*::

    <out_dir>/<lang>.binary      KenLM binary (mmap-able; fast to load)
    <out_dir>/<lang>.sp.model    sentencepiece model (unit sentencepiece only)
    <out_dir>/<lang>.meta.json   order, pruning, unit, normalisation options, line/token counts

``lmplz`` and ``build_binary`` are compiled from the kenlm source distribution by
``scripts/build_kenlm.sh`` into the virtual environment's ``bin/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.lm.normalize import NormalizeOptions, normalize_line
from pipeline.lm.tokenize import PieceTokenizer, train_sentencepiece
from pipeline.lm.units import UNITS

META_VERSION = 2
# What an n-gram counts by default: measured in bench/quality_models (RESULTS.md).
DEFAULT_UNIT = "chars"


# Languages whose models gain from cc_net's digit folding (zh: ROC AUC 0.946 with, 0.930 without);
# English loses a little (0.957 vs 0.961), Japanese is unchanged (bench/quality_models/lm_sweep.py).
DIGITS_TO_ZERO_LANGS = frozenset({"zh", "ja"})


def default_normalize(lang: str | None) -> NormalizeOptions:
    """The normalisation ``train_kenlm`` uses unless told otherwise, chosen by measurement.

    Kept from cc_net: folding typographic / full-width punctuation to ASCII (neutral to helpful).
    Dropped: lower-casing (English clean vs shuffled ROC AUC 0.939 with, 0.957 without: case marks
    sentence starts and proper names) and accent stripping (it also strips Japanese voicing marks,
    が -> か; ja 0.978 with, 0.981 without). Digits -> 0 only for ``DIGITS_TO_ZERO_LANGS``.
    """
    return NormalizeOptions(
        lower=False, strip_accents=False, digits_to_zero=lang in DIGITS_TO_ZERO_LANGS, ascii_punctuation=True
    )


class KenlmToolMissing(RuntimeError):
    """lmplz / build_binary are not installed (run ``make setup`` or ``bash scripts/build_kenlm.sh .venv``)."""


def find_kenlm_tool(name: str) -> str:
    """Locate a KenLM binary: $KENLM_BIN, then the running interpreter's bin/ (the venv), then PATH."""
    candidates = []
    if os.environ.get("KENLM_BIN"):
        candidates.append(Path(os.environ["KENLM_BIN"]) / name)
    candidates.append(Path(sys.executable).parent / name)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if found:
        return found
    raise KenlmToolMissing(f"{name} not found; build it with: bash scripts/build_kenlm.sh .venv")


def _check_prune(order: int, prune: Sequence[int] | None) -> list[int]:
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    if not prune:
        return []
    prune = [int(p) for p in prune]
    # lmplz refuses to prune unigrams (it would lose <unk> mass) and needs non-decreasing thresholds.
    if len(prune) > order or prune[0] != 0 or any(b < a for a, b in zip(prune, prune[1:])) or min(prune) < 0:
        raise ValueError(f"prune must have <= order ({order}) non-decreasing counts starting with 0, got {prune}")
    return prune


def _write_normalized(reference: Path, out: Path, options: NormalizeOptions, max_lines: int | None) -> int:
    n = 0
    with reference.open(encoding="utf-8", errors="replace") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            norm = normalize_line(line, options)
            if norm:
                dst.write(norm + "\n")
                n += 1
                if max_lines and n >= max_lines:
                    break
    if n == 0:
        raise ValueError(f"reference {reference} has no text after normalisation")
    return n


def _write_tokenized(normalized: Path, out: Path, tokenizer: PieceTokenizer) -> int:
    n_tokens = 0
    with normalized.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in tokenizer.tokenize_lines(line.rstrip("\n") for line in src):
            n_tokens += line.count(" ") + 1
            dst.write(line + "\n")
    return n_tokens


def run_lmplz(tokenized: Path, arpa: Path, order: int, prune: list[int], memory: str, tmp: Path) -> None:
    """Estimate the ARPA model. ``--discount_fallback`` lets tiny references (tests, demos) train:
    modified Kneser-Ney discounts come from counts-of-counts, which small corpora lack.
    ``--skip_symbols``: a reference that contains ``<unk>``, ``<s>`` or ``</s>`` as text (wikitext
    writes ``<unk>`` for rare words) is read with them as spaces instead of failing."""
    cmd = [find_kenlm_tool("lmplz"), "-o", str(order), "-S", memory, "-T", str(tmp), "--discount_fallback"]
    cmd.append("--skip_symbols")
    if prune:
        cmd += ["--prune", *map(str, prune)]
    with tokenized.open("rb") as stdin, arpa.open("wb") as stdout:
        proc = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"lmplz failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}")


def run_build_binary(arpa: Path, binary: Path, binary_type: str = "probing") -> None:
    """ARPA -> KenLM binary. ``probing`` is the fastest to query; ``trie`` is smaller (cc_net used trie)."""
    if binary_type not in ("probing", "trie"):
        raise ValueError(f"binary_type must be 'probing' or 'trie', got {binary_type!r}")
    cmd = [find_kenlm_tool("build_binary"), binary_type, str(arpa), str(binary)]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"build_binary failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}")


def train_kenlm(
    reference_txt: str | Path,
    out_dir: str | Path,
    order: int = 5,
    prune: Sequence[int] | None = None,
    lang: str = "en",
    vocab_size: int = 32000,
    unit: str = DEFAULT_UNIT,
    normalize: NormalizeOptions | None = None,
    max_lines: int | None = None,
    memory: str = "1G",
    binary_type: str = "probing",
    keep_arpa: bool = False,
    seed: int = 0,
) -> Path:
    """Train the sentencepiece + KenLM pair for ``lang`` from a text file (one paragraph per line).

    ``order`` is the n-gram order (cc_net: 5); ``prune`` are lmplz count thresholds per order
    (e.g. ``[0, 0, 1]`` drops singleton trigrams and above); ``memory`` is lmplz's sort memory.
    ``unit`` is what an n-gram counts (``pipeline.lm.units``): ``chars`` (default), ``words``,
    ``segmented`` or ``sentencepiece`` (with ``vocab_size`` pieces; the only unit that writes a
    ``<lang>.sp.model``). ``normalize`` defaults to ``default_normalize(lang)``.
    Returns the model directory.
    """
    prune_list = _check_prune(order, prune)
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)}, got {unit!r}")
    options = normalize or default_normalize(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"train-lm-{lang}-", dir=out) as tmp_name:
        tmp = Path(tmp_name)
        n_lines = _write_normalized(Path(reference_txt), tmp / "normalized.txt", options, max_lines)
        sp_model = None
        if unit == "sentencepiece":
            sp_model = train_sentencepiece(tmp / "normalized.txt", tmp / f"{lang}.sp.model", vocab_size, seed=seed)
        tokenizer = PieceTokenizer(sp_model, unit=unit, lang=lang)
        n_tokens = _write_tokenized(tmp / "normalized.txt", tmp / "tokenized.txt", tokenizer)
        run_lmplz(tmp / "tokenized.txt", tmp / f"{lang}.arpa", order, prune_list, memory, tmp)
        run_build_binary(tmp / f"{lang}.arpa", tmp / f"{lang}.binary", binary_type)
        meta = {
            "meta_version": META_VERSION,
            "lang": lang,
            "order": order,
            "prune": prune_list,
            "binary_type": binary_type,
            "unit": unit,
            "vocab_size_requested": vocab_size if sp_model else None,
            "normalize": options.to_dict(),
            "reference": str(reference_txt),
            "lines": n_lines,
            "tokens": n_tokens,
            "seed": seed,
        }
        (tmp / f"{lang}.meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        # Publish each file with an atomic rename so a reader never sees a half-written model.
        names = [f"{lang}.binary", f"{lang}.meta.json"] + ([f"{lang}.arpa"] if keep_arpa else [])
        names += [f"{lang}.sp.model"] if sp_model else []
        stale = out / f"{lang}.sp.model"
        if not sp_model and stale.exists():
            stale.unlink()  # a sentencepiece model left by an earlier training would be used by the scorer
        for name in names:
            os.replace(tmp / name, out / name)
    return out
