"""Trainer subcommands: ``train-tokenizer``, ``extend-tokenizer``, ``tokenize``, ``train``, ``eval-shards``.

Handlers import the trainer (and through it torch) only when they run, so ``corpus --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys


def _print(report) -> None:
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))


def register(subparsers) -> None:
    p = subparsers.add_parser("train-tokenizer", help="train a SentencePiece BPE tokenizer on kept documents")
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="DIR|FILE",
        help="documents folder (status=kept rows are read), Parquet, JSONL or text file; repeatable",
    )
    p.add_argument("--output", required=True, metavar="MODEL", help="where to write the .model file")
    p.add_argument("--vocab-size", type=int, default=32000)
    p.add_argument("--mix", metavar="YAML", help="sample sources by these mixing weights (default: equal)")
    p.add_argument("--max-chars", type=int, default=100_000_000, help="characters sampled for training")
    p.add_argument("--user-symbols", nargs="*", default=[], help="extra pieces never split (e.g. <|im_start|>)")
    p.add_argument("--control-symbols", nargs="*", default=[], help="extra control pieces (ids only, no text)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=handle_train_tokenizer)

    p = subparsers.add_parser("extend-tokenizer", help="add pieces learned on another language to a tokenizer")
    p.add_argument("--base", required=True, metavar="MODEL")
    p.add_argument("--input", action="append", required=True, metavar="FILE|DIR", help="text in the new language")
    p.add_argument("--output", required=True, metavar="MODEL")
    p.add_argument("--new-vocab-size", type=int, default=8000, help="vocabulary of the helper model on the new text")
    p.add_argument("--eval", action="append", metavar="FILE|DIR", help="held-out text to report tokens/char on")
    p.set_defaults(handler=handle_extend_tokenizer)

    p = subparsers.add_parser("tokenize", help="kept documents -> per-source token shards (Spark)")
    p.add_argument("--input", required=True, metavar="DIR", help="a published documents folder")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--tokenizer", required=True, metavar="MODEL")
    p.add_argument("--partitions", type=int, help="tasks (default: Spark's default parallelism)")
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle_tokenize)

    p = subparsers.add_parser("train", help="train the decoder-only model on mixed token shards")
    p.add_argument("--config", metavar="YAML", help="training config (see trainer/config.py)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key")
    p.add_argument("--no-resume", action="store_true", help="start fresh even if out_dir holds a checkpoint")
    p.set_defaults(handler=handle_train)

    p = subparsers.add_parser("eval-shards", help="score shards or documents with a model; list the worst ones")
    p.add_argument("--checkpoint", required=True)
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="DIR|FILE",
        help="token shards folder, or documents (needs --tokenizer)",
    )
    p.add_argument("--tokenizer", metavar="MODEL", help="needed for documents and for bits per byte")
    p.add_argument("--top", type=int, default=20, help="how many highest-perplexity documents to report")
    p.add_argument("--max-docs", type=int, help="score at most this many documents per source")
    p.add_argument("--report", metavar="JSON", help="also write the report here")
    p.set_defaults(handler=handle_eval_shards)


def handle_train_tokenizer(args: argparse.Namespace) -> int:
    from trainer.documents import texts_by_source
    from trainer.tokenizer import load, tokens_per_char, train_tokenizer, weighted_sample

    texts = texts_by_source(args.input)
    weights = dict.fromkeys(texts, 1.0)
    if args.mix:
        from trainer.mixing import load_mix

        declared = load_mix(args.mix).weights
        missing = sorted(set(texts) - set(declared))
        if missing:
            raise SystemExit(f"sources {missing} have documents but no weight in {args.mix}")
        weights = {s: declared[s] for s in texts}
    by_source = weighted_sample(texts, weights, args.max_chars, args.seed)
    sample = [t for docs in by_source.values() for t in docs]
    try:
        path = train_tokenizer(sample, args.output, args.vocab_size, args.user_symbols, args.control_symbols)
    except ValueError as exc:  # e.g. a vocabulary smaller than the characters it must hold: one line, exit 2
        print(f"train-tokenizer: {exc}", file=sys.stderr)
        return 2
    sp = load(path)
    _print(
        {
            "model": str(path),
            "pieces": sp.get_piece_size(),
            "documents_sampled": len(sample),
            "chars_by_source": {s: sum(len(t) for t in docs) for s, docs in by_source.items()},
            "weights": weights,
            "tokens_per_char": round(tokens_per_char(sp, sample[:1000]), 4),
        }
    )
    return 0


def handle_extend_tokenizer(args: argparse.Namespace) -> int:
    from trainer.documents import iter_documents
    from trainer.tokenizer import extend_tokenizer

    texts = [t for _i, _s, t in iter_documents(args.input)]
    held_out = [t for _i, _s, t in iter_documents(args.eval)] if args.eval else None
    _print(extend_tokenizer(args.base, texts, args.output, args.new_vocab_size, held_out))
    return 0


def handle_tokenize(args: argparse.Namespace) -> int:
    from jobs.tokenize_shards import tokenize_documents
    from pipeline.engines.spark import get_session
    from pipeline.io.publish import StagePublisher

    spark = get_session(master=args.master, app_name="corpus-tokenize")
    publisher = StagePublisher(args.output)
    publisher.clean_leftovers()
    try:
        manifest = tokenize_documents(spark, args.input, publisher.tmp_uri, args.tokenizer, args.partitions)
        stats = {
            "stage": "tokenize",
            **manifest["totals"],
            "sources": {
                k: {n: v[n] for n in ("n_docs", "n_tokens", "tokens_per_char")} for k, v in manifest["sources"].items()
            },
        }
        publisher.publish({"stage": "tokenize", "input": args.input, **manifest}, stats)
    except BaseException:
        publisher.abort()
        raise
    _print(stats)
    return 0


def handle_train(args: argparse.Namespace) -> int:
    from pipeline.config import ConfigError
    from trainer.config import load_train_config
    from trainer.train import train

    try:
        cfg = load_train_config(args.config, args.set)
        result = train(cfg, resume=not args.no_resume)
    except ConfigError as exc:  # a bad config or a source too short for it: one line, exit 2
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    _print(
        {
            "step": result["step"],
            "final_loss": result["losses"][-1] if result["losses"] else None,
            "skipped_steps": result["skipped"],
            "sources": result["plan"],
            "eval": result.get("eval"),
        }
    )
    return 0


def handle_eval_shards(args: argparse.Namespace) -> int:
    from trainer.evaluate import eval_shards

    report = eval_shards(args.checkpoint, args.input, args.tokenizer, args.top, args.max_docs)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
    _print(report)
    return 0
