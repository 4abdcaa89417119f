"""``corpus quality-cutoffs``: per-language quality-score thresholds measured on a sample of the crawl."""

from __future__ import annotations

import argparse

from pipeline.cli.lm_cutoffs import add_sampling_arguments, sampled_documents


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "quality-cutoffs",
        help="per-language quality_filter thresholds that remove a given share of each language",
        description="Score a seeded sample of each language's documents with a train-quality classifier and "
        "write, per language, the score under which --drop of them lie, as JSON for quality_filter's "
        "min_score (the same share removed in every language; see pipeline/lm/quality_cutoffs.py).",
    )
    p.add_argument("--model", required=True, metavar="FILE", help="classifier from corpus train-quality")
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="PATH",
        help="documents to measure on, normally the filter stage's output; .parquet, .jsonl or a directory; repeatable",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="JSON to write")
    p.add_argument("--drop", type=float, default=0.33, help="share of each language to remove (default 0.33)")
    p.add_argument("--languages", nargs="+", metavar="LANG", help="as quality_classifier's languages")
    p.add_argument(
        "--score-untrained",
        action="store_true",
        help="score languages without reference examples too (quality_classifier's skip_untrained=false)",
    )
    p.add_argument(
        "--ignore-reference-threshold",
        action="store_true",
        help="cut at the crawl quantile alone (default: the lower of it and the model's own reference threshold)",
    )
    add_sampling_arguments(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.lm.quality_cutoffs import compute_quality_cutoffs, write_quality_cutoffs

    if not 0.0 <= args.drop < 1.0:
        raise SystemExit(f"--drop must be in [0, 1), got {args.drop}")
    docs = sampled_documents(args)
    result = compute_quality_cutoffs(
        args.model,
        docs,
        args.drop,
        args.sample,
        args.seed,
        args.languages,
        not args.score_untrained,
        not args.ignore_reference_threshold,
    )
    if not result["sample_sizes"]:
        raise SystemExit("no documents with a language and text in --input")
    write_quality_cutoffs(result, args.out)
    for lang, cut in sorted(result["min_score"].items()):
        if lang == "default":
            print(f"default (other languages): min_score {cut:.4g}")
            continue
        share, n = result["removed_in_sample"][lang], result["sample_sizes"][lang]
        why = "" if cut == result["crawl_quantile"][lang] else " (the model's reference threshold is lower)"
        print(f"{lang}: min_score {cut:.4g}, removes {share:.1%} of the {n} sampled documents{why}")
    tied = [
        lang
        for lang, share in result["removed_in_sample"].items()
        if share < 0.5 * args.drop and result["min_score"][lang] == result["crawl_quantile"][lang]
    ]
    if tied:
        print(
            f"note: in {' '.join(sorted(tied))} under half of --drop is removed: many documents tie at one score "
            "(identical documents, or a model trained before train-quality kept its output layer, whose scores "
            "stop at 1e-5: retrain it); a larger --drop removes more"
        )
    if result["unscored_languages"]:
        print(f"not scored by this model (kept by quality_filter): {' '.join(result['unscored_languages'])}")
    print(f"wrote {args.out}")
    return 0
