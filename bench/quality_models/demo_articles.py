"""What a `make demo` run's filter stage did to each kind of generated page, per language.

Joins ``DEMO/run/filter`` with the generator's ground truth (``DEMO/sample/ground_truth.jsonl``, by
WARC record id) and prints, per language and page kind (``article``: the good pages; ``near_dup``,
``exact_dup/...``, ``boilerplate``, ``spam/...``), the documents kept and those removed per step, with
the median quality score. This is how the demo's quality_filter was seen to remove good Chinese and
Japanese articles (RESULTS.md section 4).

    .venv/bin/python bench/quality_models/demo_articles.py demo-output
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds


def outcomes(demo: Path) -> tuple[Counter, dict]:
    truth = {}
    with open(demo / "sample" / "ground_truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            truth[row["record_id"]] = row
    columns = ["warc_record_id", "language", "status", "removed_by", "quality_score"]
    table = ds.dataset(str(demo / "run" / "filter"), format="parquet", partitioning="hive").to_table(columns=columns)
    counts, scores = Counter(), defaultdict(list)
    for row in table.to_pylist():
        page = truth.get(row["warc_record_id"])
        kind = "?" if page is None else page["kind"] + (f"/{page['subkind']}" if page.get("subkind") else "")
        counts[(row["language"], kind, "kept" if row["status"] == "kept" else row["removed_by"])] += 1
        if row["quality_score"] is not None:
            scores[(row["language"], kind)].append(row["quality_score"])
    return counts, scores


def main() -> None:
    counts, scores = outcomes(Path(sys.argv[1]))
    for lang, kind in sorted({(k[0] or "-", k[1]) for k in counts}):
        row = {k[2]: n for k, n in counts.items() if (k[0] or "-", k[1]) == (lang, kind)}
        median = statistics.median(scores[(lang, kind)]) if scores.get((lang, kind)) else None
        score = "-" if median is None else f"{median:.3f}"
        print(f"{lang:4} {kind:26} {dict(sorted(row.items()))}  median quality_score {score}")


if __name__ == "__main__":
    main()
