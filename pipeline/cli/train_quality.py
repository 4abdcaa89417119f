"""``corpus train-quality``: a quantised fastText reference-vs-crawl classifier."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train-quality",
        help="train the fastText quality classifier (reference text vs random crawl)",
        description="Train a fastText classifier with reference-like text as positives and random crawl as "
        "negatives (GPT-3's filter), print held-out precision/recall and save it quantised (.ftz).",
    )
    p.add_argument(
        "--positive",
        action="append",
        required=True,
        metavar="PATH",
        help="reference-like text: .txt (one example per line), .jsonl, .parquet or a stage output dir",
    )
    p.add_argument("--negative", action="append", required=True, metavar="PATH", help="random crawl; same formats")
    p.add_argument("--out", required=True, metavar="FILE", help="model file, e.g. models/quality.ftz")
    p.add_argument("--heldout", type=float, default=0.1, help="held-out fraction for precision/recall")
    p.add_argument("--no-balance", action="store_true", help="keep class sizes as they are")
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--epoch", type=int, help="passes over the data (default: enough for ~5M tokens, 5-100)")
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--word-ngrams", type=int, default=2)
    p.add_argument("--no-quantize", action="store_true", help="save the full-precision model (much larger)")
    p.add_argument("--cutoff", type=int, default=20_000, help="rows kept by quantisation")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.lm.quality import train_quality_classifier

    report = train_quality_classifier(
        args.positive,
        args.negative,
        args.out,
        heldout_fraction=args.heldout,
        balance=not args.no_balance,
        dim=args.dim,
        epoch=args.epoch,
        lr=args.lr,
        word_ngrams=args.word_ngrams,
        quantize=not args.no_quantize,
        cutoff=args.cutoff,
        seed=args.seed,
    )
    m = report["metrics"]
    print(f"train: {report['train']['positive']} positive, {report['train']['negative']} negative")
    print(
        f"held-out ({m['n']} examples, score >= {m['threshold']}): "
        f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}"
    )
    print(f"wrote {report['model']} ({report['size_bytes']:,} bytes)")
    return 0
