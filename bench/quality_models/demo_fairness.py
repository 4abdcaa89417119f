"""Share of clean real documents that the model filters of a `make demo` run remove, per language.

Reads the demo's ``recipe_with_models.yaml`` (its ``perplexity``, ``quality_classifier`` and
``quality_filter`` steps with their parameters, as the demo set them) and runs those steps through
``run_steps`` on clean held-out documents (``data.clean_documents``: wikitext-2 test articles,
zh-news articles 500-999, a stretch of the Japanese novel; none of them in the demo's reference)
and, for de, fr, es, ru, it, pt, pl, nl, every document ``manpages.py`` makes from the system's
translated man pages (skipped with a reason where they are absent).
The demo's recipe scores perplexity without filtering on it; ``perplexity_filter`` (keep head +
middle, with the demo's cut-offs) is added here to show what it would remove.

    .venv/bin/python bench/quality_models/demo_fairness.py demo-output
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data
from fairness import manpage_documents, print_fairness, print_scores, removed_shares

from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.filters.model_filters import PerplexityBucketFilter, QualityThresholdFilter
from pipeline.recipe import load_recipe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("demo_output", type=Path, help="the directory `make demo` wrote (demo-output)")
    parser.add_argument(
        "--model", type=Path, help="score with this classifier and its min_score_by_language instead (what-if)"
    )
    parser.add_argument(
        "--man-sets",
        nargs="+",
        default=["reference", "calibration", "fairness"],
        help="man-page sets scored (leave out those a --model was trained on)",
    )
    args = parser.parse_args()
    recipe = load_recipe(str(args.demo_output / "recipe_with_models.yaml"))
    by_name = {s.name: s for s in recipe.steps}
    if args.model:
        meta = json.loads(Path(f"{args.model}.meta.json").read_text())
        by_name["quality_classifier"] = QualityClassifierAnnotator(str(args.model))
        by_name["quality_filter"] = QualityThresholdFilter(min_score=meta["min_score_by_language"])
    steps = [by_name["perplexity"], PerplexityBucketFilter(), by_name["quality_classifier"], by_name["quality_filter"]]
    print(f"quality_filter min_score: {by_name['quality_filter'].min_score}")
    print(f"perplexity cut-offs: {by_name['perplexity'].cutoffs}")
    # The demo's models never saw a man page: every man-page document of a language is clean held-out text.
    docs = {**data.clean_documents(), **manpage_documents(tuple(args.man_sets))}
    table = removed_shares(docs, steps)
    print_fairness(f"Fairness: clean held-out real documents removed by the models of {args.demo_output}", table)
    print("(each filter on its own; the demo's recipe runs quality_filter only: its column is what the demo removes)")
    print_scores(table, steps)


if __name__ == "__main__":
    main()
