"""``corpus train-lm``: train per-language sentencepiece + KenLM models from reference text."""

from __future__ import annotations

import argparse
from pathlib import Path


def _references(values: list[str]) -> dict[str, Path]:
    """``LANG=FILE`` pairs, or directories whose ``<lang>.txt`` files are references."""
    refs: dict[str, Path] = {}
    for value in values:
        if "=" in value:
            lang, path = value.split("=", 1)
            refs[lang] = Path(path)
        elif Path(value).is_dir():
            refs.update({p.stem: p for p in sorted(Path(value).glob("*.txt"))})
        else:
            raise SystemExit(f"--reference {value!r}: expected LANG=FILE or a directory of <lang>.txt files")
    for lang, path in refs.items():
        if not path.is_file():
            raise SystemExit(f"--reference for {lang!r}: file not found: {path}")
    if not refs:
        raise SystemExit("no reference text found")
    return refs


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train-lm",
        help="train per-language KenLM models (lmplz + build_binary)",
        description="Train an n-gram KenLM model per language from reference text (one paragraph per line). "
        "Writes <out>/<lang>.binary and <lang>.meta.json (and <lang>.sp.model with --unit sentencepiece).",
    )
    p.add_argument(
        "--reference",
        action="append",
        required=True,
        metavar="LANG=FILE|DIR",
        help="reference text for a language, or a directory of <lang>.txt files; repeatable",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="model directory (one set of files per language)")
    p.add_argument("--order", type=int, default=5, help="n-gram order (default 5, as cc_net)")
    p.add_argument(
        "--prune",
        type=int,
        nargs="+",
        metavar="N",
        help="lmplz count thresholds per order, e.g. 0 0 1 (default: no pruning)",
    )
    p.add_argument(
        "--unit",
        choices=["chars", "words", "segmented", "sentencepiece"],
        default="chars",
        help="what an n-gram counts: chars (default: each CJK character a token, whitespace words elsewhere), "
        "words, segmented (jieba/MeCab words for zh/ja), sentencepiece (cc_net); see bench/quality_models",
    )
    p.add_argument("--vocab-size", type=int, default=32000, help="sentencepiece vocabulary (--unit sentencepiece)")
    p.add_argument("--max-lines", type=int, help="use at most this many reference lines per language")
    p.add_argument("--memory", default="1G", help="lmplz sort memory, e.g. 1G or 20%% (default 1G)")
    p.add_argument("--binary-type", choices=["probing", "trie"], default="probing")
    p.add_argument("--keep-arpa", action="store_true", help="also keep the ARPA text model")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.lm.kenlm_train import train_kenlm

    for lang, path in _references(args.reference).items():
        out = train_kenlm(
            path,
            args.out,
            order=args.order,
            prune=args.prune,
            lang=lang,
            unit=args.unit,
            vocab_size=args.vocab_size,
            max_lines=args.max_lines,
            memory=args.memory,
            binary_type=args.binary_type,
            keep_arpa=args.keep_arpa,
            seed=args.seed,
        )
        print(f"{lang}: {out / f'{lang}.binary'} (order {args.order}, unit {args.unit}, from {path})")
    return 0
