"""Sentencepiece tokenisation for the n-gram models.

cc_net tokenises with a sentencepiece model before KenLM so that one model handles languages
without spaces (Chinese, Japanese, Thai) and rare words become known sub-word pieces instead of
``<unk>``. Here the sentencepiece model is trained on the same normalised reference text as the
language model, with a fixed seed, so the pair is reproducible.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import sentencepiece as spm

from pipeline.lm.units import UNITS, split_units

# Below ~100 pieces a unigram model degenerates to characters; the reference is then too small.
MIN_VOCAB_SIZE = 100


def train_sentencepiece(
    lines_path: str | Path,
    model_path: str | Path,
    vocab_size: int = 32000,
    character_coverage: float = 0.9995,
    max_sentences: int = 2_000_000,
    seed: int = 0,
) -> Path:
    """Train a unigram sentencepiece model on a file of normalised lines; returns ``model_path``.

    ``vocab_size`` is a soft limit (``hard_vocab_limit=False``): a small reference yields fewer
    pieces instead of an error. ``character_coverage`` 0.9995 is sentencepiece's recommended value
    for large character sets (CJK) and harmless for alphabetic scripts.
    """
    if vocab_size < MIN_VOCAB_SIZE:
        raise ValueError(f"vocab_size={vocab_size} is too small; use at least {MIN_VOCAB_SIZE}")
    model_path = Path(model_path)
    spm.set_random_generator_seed(seed)
    proto = io.BytesIO()
    # Lines are streamed rather than passed as a path: the model records its input path, and a
    # temporary path would make two trainings on the same text differ byte for byte.
    with open(lines_path, encoding="utf-8") as lines:
        spm.SentencePieceTrainer.train(
            sentence_iterator=(line.rstrip("\n") for line in lines),
            model_writer=proto,
            model_type="unigram",
            vocab_size=vocab_size,
            hard_vocab_limit=False,
            character_coverage=character_coverage,
            input_sentence_size=max_sentences,
            shuffle_input_sentence=True,
            num_threads=1,
            minloglevel=2,
        )
    model_path.write_bytes(proto.getvalue())
    return model_path


class PieceTokenizer:
    """Turns normalised lines into space-separated tokens of one unit (see ``pipeline.lm.units``).

    With a sentencepiece model the unit is ``sentencepiece``; without one it is ``unit``
    (``words``, ``chars`` or ``segmented``, the latter using ``lang``'s segmenter).
    """

    def __init__(self, model_path: str | Path | None, unit: str = "words", lang: str | None = None):
        self.model_path = str(model_path) if model_path else None
        self._sp = spm.SentencePieceProcessor(model_file=self.model_path) if self.model_path else None
        self.unit = "sentencepiece" if self._sp is not None else unit
        self.lang = lang
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {list(UNITS)}, got {unit!r}")

    def pieces(self, line: str) -> list[str]:
        if self._sp is None:
            return split_units(line, self.unit, self.lang)
        return self._sp.encode(line, out_type=str)

    def pieces_batch(self, lines: list[str]) -> list[list[str]]:
        if self._sp is None:
            return [split_units(line, self.unit, self.lang) for line in lines]
        return self._sp.encode(lines, out_type=str)

    def tokenize_lines(self, lines: Iterable[str]) -> Iterable[str]:
        for line in lines:
            yield " ".join(self.pieces(line))
