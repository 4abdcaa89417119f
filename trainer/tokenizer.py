"""SentencePiece BPE tokenizers: training on a weighted sample, extension to a new language, measurement.

Models are trained with byte fallback (a character never seen in training becomes its UTF-8 bytes
instead of ``<unk>``), the identity normaliser, no whitespace collapsing and no dummy prefix, so that
``decode(encode(text)) == text`` exactly and the bytes a token stands for are known; bits per byte
in :mod:`trainer.evaluate` relies on that. The special tokens are declared with fixed ids:
``<unk>`` 0, ``<s>`` 1, ``</s>`` 2 (the end-of-document separator of the token shards), ``<pad>`` 3.

No torch import here: Spark workers tokenize with this module.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sentencepiece as spm

from pipeline.step import process_cached

SPECIAL_IDS = {"unk_id": 0, "bos_id": 1, "eos_id": 2, "pad_id": 3}
# SentencePiece drops training "sentences" longer than this many bytes, so documents are fed as lines.
MAX_LINE_BYTES = 16384


def training_lines(texts: Iterable[str]) -> Iterator[str]:
    """Non-empty lines of the texts, each cut to the trainer's maximum sentence length."""
    for text in texts:
        for line in text.split("\n"):
            if line.strip():
                yield line.encode("utf-8")[:MAX_LINE_BYTES].decode("utf-8", errors="ignore")


def train_tokenizer(
    texts: Iterable[str],
    model_path: str | Path,
    vocab_size: int,
    user_symbols: Sequence[str] = (),
    control_symbols: Sequence[str] = (),
    character_coverage: float = 0.9995,
    threads: int = 2,
    **normaliser: Any,
) -> Path:
    """Train a BPE model with byte fallback on ``texts`` and write it to ``model_path``.

    ``character_coverage`` 0.9995 is SentencePiece's recommended value for large character sets (its
    README); the rarest 0.05 % of characters go to byte fallback instead of taking vocabulary slots.
    ``normaliser`` may override ``normalization_rule_name``, ``add_dummy_prefix`` and
    ``remove_extra_whitespaces`` (used by :func:`extend_tokenizer` to match a base model).
    """
    options = {"normalization_rule_name": "identity", "add_dummy_prefix": False, "remove_extra_whitespaces": False}
    options.update(normaliser)
    buffer = io.BytesIO()
    try:
        _train_bpe(texts, buffer, vocab_size, user_symbols, control_symbols, character_coverage, threads, options)
    except RuntimeError as exc:
        if "required_chars" not in str(exc):
            raise
        # SentencePiece keeps one piece per character covered; with byte fallback a smaller vocabulary is
        # fine once fewer characters are kept, so say which knob to turn instead of its internal message.
        raise ValueError(
            f"vocab_size {vocab_size} is smaller than the number of distinct characters that character_coverage "
            f"{character_coverage} keeps in this text ({str(exc).rsplit(' vs ', 1)[-1].split('.')[0]}): raise "
            "vocab_size (text in Chinese or Japanese needs a few thousand) or lower character_coverage"
        ) from None
    path = Path(model_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def _train_bpe(texts, buffer, vocab_size, user_symbols, control_symbols, character_coverage, threads, options) -> None:
    spm.SentencePieceTrainer.train(
        sentence_iterator=training_lines(texts),
        model_writer=buffer,
        model_type="bpe",
        vocab_size=vocab_size,
        byte_fallback=True,
        character_coverage=character_coverage,
        split_digits=True,
        allow_whitespace_only_pieces=True,
        max_sentence_length=MAX_LINE_BYTES,
        hard_vocab_limit=False,
        user_defined_symbols=list(user_symbols),
        control_symbols=list(control_symbols),
        unk_piece="<unk>",
        bos_piece="<s>",
        eos_piece="</s>",
        pad_piece="<pad>",
        num_threads=threads,
        minloglevel=2,
        **SPECIAL_IDS,
        **options,
    )


def load(model: str | Path | bytes) -> spm.SentencePieceProcessor:
    if isinstance(model, bytes):
        return spm.SentencePieceProcessor(model_proto=model)
    return spm.SentencePieceProcessor(model_file=str(model))


def load_cached(model_bytes: bytes) -> spm.SentencePieceProcessor:
    """One processor per worker process and model (Spark tasks reuse Python workers)."""
    import hashlib

    return process_cached(("sentencepiece", hashlib.sha256(model_bytes).hexdigest()), lambda: load(model_bytes))


def tokens_per_char(sp: spm.SentencePieceProcessor, texts: Iterable[str]) -> float:
    """Tokens the model spends per Unicode character of ``texts`` (lower = more compact)."""
    texts = list(texts)
    chars = sum(len(t) for t in texts)
    tokens = sum(len(ids) for ids in sp.encode(texts))
    return tokens / max(chars, 1)


def token_bytes(sp: spm.SentencePieceProcessor) -> np.ndarray:
    """UTF-8 bytes each piece stands for: 1 for byte pieces, 0 for control/unknown, else its text's length."""
    table = np.zeros(sp.get_piece_size(), dtype=np.int64)
    for i in range(sp.get_piece_size()):
        if sp.is_byte(i):
            table[i] = 1
        elif not (sp.is_control(i) or sp.is_unknown(i)):
            table[i] = len(sp.id_to_piece(i).replace("\u2581", " ").encode("utf-8"))
    return table


def _model_proto(data: bytes):
    from sentencepiece import sentencepiece_model_pb2  # needs protobuf; only extension uses it

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(data)
    return proto


def extend_tokenizer(
    base_model: str | Path,
    texts: Sequence[str],
    out_path: str | Path,
    new_vocab_size: int,
    eval_texts: Sequence[str] | None = None,
    new_characters_only: bool = True,
) -> dict[str, Any]:
    """Append pieces learned on ``texts`` (another language) to ``base_model``; report tokens/char before/after.

    A helper BPE model is trained on ``texts`` with the base model's normaliser settings. Its normal
    pieces that the base lacks are appended in their learned order, scored below every base piece
    (SentencePiece's BPE encoder applies merges by descending score). With ``new_characters_only`` only
    pieces holding at least one character the base has no piece for are taken: a merge can then only
    fire on text containing such a character, so text made of characters the base has pieces for is
    segmented exactly as before (English ids do not move when Chinese is added).
    """
    base_bytes = Path(base_model).read_bytes()
    base = _model_proto(base_bytes)
    spec = base.normalizer_spec
    helper_path = Path(out_path).with_suffix(".helper.model")
    train_tokenizer(
        texts,
        helper_path,
        new_vocab_size,
        character_coverage=1.0,
        normalization_rule_name=spec.name or "identity",
        add_dummy_prefix=spec.add_dummy_prefix,
        remove_extra_whitespaces=spec.remove_extra_whitespaces,
    )
    helper = _model_proto(helper_path.read_bytes())
    helper_path.unlink()
    existing = {p.piece for p in base.pieces}
    floor = min((p.score for p in base.pieces), default=0.0)
    normal, user = type(base.pieces[0]).NORMAL, type(base.pieces[0]).USER_DEFINED
    known_chars = {c for p in base.pieces if p.type in (normal, user) for c in p.piece}
    added = 0
    for piece in helper.pieces:
        if piece.type != normal or piece.piece in existing:
            continue
        if new_characters_only and all(c in known_chars for c in piece.piece):
            continue
        added += 1
        new = base.pieces.add()
        new.piece, new.score, new.type = piece.piece, floor - added, normal
    base.trainer_spec.vocab_size = len(base.pieces)
    Path(out_path).write_bytes(base.SerializeToString())
    measured = list(eval_texts) if eval_texts is not None else list(texts)
    before = tokens_per_char(load(base_bytes), measured)
    after = tokens_per_char(load(out_path), measured)
    return {
        "base_pieces": len(existing),
        "added_pieces": added,
        "pieces": len(base.pieces),
        "tokens_per_char_before": round(before, 4),
        "tokens_per_char_after": round(after, 4),
    }


def weighted_sample(
    texts_by_source: dict[str, Sequence[str]], weights: dict[str, float], max_chars: int, seed: int = 0
) -> dict[str, list[str]]:
    """Documents drawn so that each source contributes about ``weight * max_chars`` characters.

    Within a source, documents are taken in a seeded random order until its share is reached (the last
    one may overshoot it by up to one document); a source smaller than its share contributes all it
    has, never a document twice (a tokenizer gains nothing from repeats).
    """
    total = sum(weights[s] for s in texts_by_source)
    rng = np.random.default_rng(seed)
    out: dict[str, list[str]] = {}
    for source in sorted(texts_by_source):
        budget = weights[source] / total * max_chars
        docs, taken = texts_by_source[source], out.setdefault(source, [])
        for i in rng.permutation(len(docs)):
            if budget <= 0:
                break
            taken.append(docs[i])
            budget -= len(docs[i])
    return out
