"""``corpus train-quality``: a quantised fastText reference-vs-crawl classifier for every language."""

from __future__ import annotations

import argparse
import sys

FORMAT_HELP = (
    "how inputs are read: lines (.txt, one example per line), docs (.txt, documents separated by blank "
    "lines), jsonl ({'text', optional 'language'} a line), parquet (file or stage output dir); "
    "auto (default) infers only .jsonl/.parquet/stage dirs and refuses plain text"
)


def register(subparsers) -> None:
    from pipeline.lm.quality import MIN_EXAMPLES_PER_CLASS
    from pipeline.lm.sources import FORMATS

    p = subparsers.add_parser(
        "train-quality",
        help="train the fastText quality classifier (reference text vs random crawl)",
        description="Train a fastText classifier with reference-like text as positives and random crawl as "
        "negatives (GPT-3's filter), in every language (CJK characters are tokens; a language token per "
        "example), print held-out precision/recall/ROC AUC per language and save it quantised (.ftz). "
        f"Refuses fewer than {MIN_EXAMPLES_PER_CLASS} examples per class and plain text without --format.",
    )
    p.add_argument("--positive", action="append", required=True, metavar="PATH", help="reference-like text")
    p.add_argument("--negative", action="append", required=True, metavar="PATH", help="random crawl")
    p.add_argument("--format", choices=FORMATS, default="auto", help=FORMAT_HELP)
    p.add_argument("--lang", help="language of inputs that carry none (default: lid.176 guesses per example)")
    p.add_argument("--out", required=True, metavar="FILE", help="model file, e.g. models/quality.ftz")
    p.add_argument("--heldout", type=float, default=0.1, help="held-out fraction for the metrics")
    p.add_argument("--no-balance", action="store_true", help="keep class sizes as they are")
    p.add_argument("--unit", choices=["chars", "segmented", "words"], default="chars", help="tokens (default chars)")
    p.add_argument("--no-lang-token", action="store_true", help="do not lead examples with their language")
    p.add_argument("--min-examples", type=int, default=MIN_EXAMPLES_PER_CLASS, help="per class (default %(default)s)")
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--epoch", type=int, help="passes over the data (default: enough for ~20M tokens, 5-100)")
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--word-ngrams", type=int, default=2)
    p.add_argument(
        "--char-ngrams",
        type=int,
        nargs=2,
        metavar=("MIN", "MAX"),
        default=(0, 0),
        help="fastText subword n-grams of MIN-MAX characters (default off; on real pages 3 6 helped zh, hurt en)",
    )
    p.add_argument("--no-quantize", action="store_true", help="save the full-precision model (much larger)")
    p.add_argument("--cutoff", type=int, default=20_000, help="rows kept by quantisation")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=handle)


def _fail(message: str) -> int:
    print(f"train-quality: {message}", file=sys.stderr)
    return 2


def _print_report(report: dict) -> None:
    m = report["metrics"]
    print(f"train: {report['train']['positive']} positive, {report['train']['negative']} negative")
    print(
        f"held-out ({m['n']} examples, score >= {m['threshold']}): precision {m['precision']:.3f}  "
        f"recall {m['recall']:.3f}  F1 {m['f1']:.3f}  ROC AUC {_fmt(m['auc'])}"
    )
    print(f"{'language':>8} {'pos':>5} {'neg':>5} {'precision':>9} {'recall':>6} {'ROC AUC':>7} {'min_score':>9}")
    for lang, x in report["metrics_by_language"].items():
        print(
            f"{lang:>8} {x['positives']:5d} {x['negatives']:5d} {x['precision']:9.3f} {x['recall']:6.3f} "
            f"{_fmt(x['auc']):>7} {_fmt(x['min_score']):>9}"
        )
    print(f"wrote {report['model']} ({report['size_bytes']:,} bytes) and {report['model']}.meta.json")


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def handle(args: argparse.Namespace) -> int:
    from pipeline.lm.quality import TooFewExamples, train_quality_classifier
    from pipeline.lm.sources import AmbiguousFormat, read_examples

    low, high = args.char_ngrams
    if (low, high) != (0, 0) and not 1 <= low <= high:
        return _fail(f"--char-ngrams {low} {high}: need 1 <= MIN <= MAX (or 0 0 for none)")
    try:
        pos, pos_read = read_examples(args.positive, args.format, args.lang)
        neg, neg_read = read_examples(args.negative, args.format, args.lang)
    except (AmbiguousFormat, FileNotFoundError) as exc:
        return _fail(str(exc))
    for kind, summary in (("positive", pos_read), ("negative", neg_read)):
        for s in summary:
            langs = ", ".join(f"{k} {v}" for k, v in sorted(s["languages"].items(), key=lambda kv: -kv[1]))
            print(f"read {kind} {s['path']} as {s['format']}: {s['examples']} examples ({langs})")
    try:
        report = train_quality_classifier(
            pos,
            neg,
            args.out,
            heldout_fraction=args.heldout,
            balance=not args.no_balance,
            unit=args.unit,
            lang_token=not args.no_lang_token,
            dim=args.dim,
            epoch=args.epoch,
            lr=args.lr,
            word_ngrams=args.word_ngrams,
            char_ngrams=tuple(args.char_ngrams),
            quantize=not args.no_quantize,
            cutoff=args.cutoff,
            min_examples=args.min_examples,
            seed=args.seed,
        )
    except TooFewExamples as exc:
        return _fail(
            f"{exc} (see --min-examples); check --format: a .txt read as docs is one example per blank-line block"
        )
    _print_report(report)
    return 0
