"""Docs/s/core of the whole filter stage (the fineweb recipe), plain-Python engine on one core.

Input: the kept documents of an extraction of a generated sample crawl (so the mix of languages,
spam and PII is the sample's). Spark adds scheduling and Arrow transfer on top of these numbers;
the engine-parity test shows both engines run the same steps.

    .venv/bin/python bench/filter_stage/run.py --pages 600
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter

import pyarrow as pa

from pipeline.document import rows_to_batch
from pipeline.engines.local import apply_steps_to_table
from pipeline.extract.warc_extractor import WarcExtractor
from pipeline.recipe import load_recipe
from pipeline.sample.generator import generate_sample


def kept_documents(pages: int, seed: int) -> pa.Table:
    with tempfile.TemporaryDirectory() as tmp:
        generate_sample(tmp, pages, seed=seed, pages_per_file=pages)
        extractor = WarcExtractor()
        rows = []
        for name in sorted(os.listdir(f"{tmp}/warc")):
            rows += [r for r in extractor.extract_file(f"{tmp}/warc/{name}") if r["status"] == "kept"]
    return pa.Table.from_batches([rows_to_batch(rows)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--recipe", default="fineweb")
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    table = kept_documents(args.pages, args.seed)
    recipe = load_recipe(args.recipe)
    apply_steps_to_table(table.slice(0, 20), recipe.steps)  # load models outside the timing
    started = time.perf_counter()
    out = apply_steps_to_table(table, recipe.steps, batch_rows=256)
    seconds = time.perf_counter() - started
    mb = sum(len(t.encode()) for t in table.column("text").to_pylist()) / 1e6
    langs = Counter(out.column("language").to_pylist())
    print(f"recipe {args.recipe}: {table.num_rows} documents ({mb:.2f} MB) in {seconds:.2f} s on one core")
    print(f"  {table.num_rows / seconds:.0f} docs/s/core, {mb / seconds:.2f} MB/s/core")
    print(
        f"  kept {sum(s == 'kept' for s in out.column('status').to_pylist())}; languages {dict(langs.most_common(8))}"
    )


if __name__ == "__main__":
    main()
