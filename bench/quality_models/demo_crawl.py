"""Re-decide ``quality_filter`` on the demo crawl's documents that reached it, with a given model.

Reads ``DEMO/run/filter`` (documents kept, or removed by ``quality_filter``), scores them again with
``MODEL`` and its ``min_score_by_language`` (from ``MODEL.meta.json``) and prints kept / removed per
language: how a classifier treats the generated crawl, next to ``demo_fairness.py`` on real text.

    .venv/bin/python bench/quality_models/demo_crawl.py demo-output demo-output/models/quality.ftz
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyarrow.dataset as ds

from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.filters.model_filters import QualityThresholdFilter
from pipeline.step import run_steps


def main() -> None:
    demo, model = Path(sys.argv[1]), sys.argv[2]
    meta = json.loads(Path(f"{model}.meta.json").read_text())
    table = ds.dataset(str(demo / "run" / "filter"), format="parquet", partitioning="hive").to_table()
    rows = [r for r in table.to_pylist() if r.get("status") == "kept" or r.get("removed_by") == "quality_filter"]
    for r in rows:
        r.update(status="kept", removed_by=None, removed_reason=None, removed_detail=None)
    steps = [QualityClassifierAnnotator(model), QualityThresholdFilter(min_score=meta["min_score_by_language"])]
    by: dict[str, list[int]] = {}
    for r in run_steps(steps, rows):
        by.setdefault(r["language"], [0, 0])[0 if r["status"] == "kept" else 1] += 1
    print(f"min_score {meta['min_score_by_language']}")
    print("kept / removed by language: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by.items())))


if __name__ == "__main__":
    main()
