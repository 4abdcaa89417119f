"""Why the two sides' quality filters disagree: datatrove's own filters run on OUR extracted text.

After a ``run.py`` comparison, the documents one side keeps after the quality filters and the other
removes are collected with our extracted text; datatrove's ``GopherRepetitionFilter``,
``GopherQualityFilter``, ``C4QualityFilter(filter_no_terminal_punct=False)`` and
``FineWebQualityFilter`` (``datatrove_side.quality_filters``) then decide them in datatrove's venv.
If datatrove, given our text, decides as datatrove did, the disagreement is the filters' definitions,
not extraction; the reason it names says which rule.

    .venv/bin/python bench/compare_datatrove/filter_disagreements.py /tmp/cmp
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ids(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as fh:
        return {json.loads(line)["id"] for line in fh}


def collect(workdir: Path, out: Path) -> dict[str, int]:
    """Write the disagreeing documents (our extracted text) to ``out``; returns counts per side."""
    import pyarrow.dataset as ds

    after_language = _ids(workdir / "datatrove" / "after_language.jsonl")
    after_filters = _ids(workdir / "datatrove" / "after_filters.jsonl")

    def table(stage: str, columns: list[str]) -> list[dict]:
        data = ds.dataset(str(workdir / "ours" / stage), format="parquet", partitioning="hive")
        return data.to_table(columns=columns).to_pylist()

    status = {r["warc_record_id"]: r["status"] for r in table("filter", ["warc_record_id", "status"])}
    text = {r["warc_record_id"]: r["text"] or "" for r in table("extract", ["warc_record_id", "text"])}
    only_ours = [i for i in after_language - after_filters if status.get(i) == "kept"]
    only_datatrove = [i for i in after_filters if i in status and status[i] != "kept"]
    with open(out, "w", encoding="utf-8") as fh:
        for side, ids in (("kept only by ours", only_ours), ("kept only by datatrove", only_datatrove)):
            for i in sorted(ids):
                fh.write(json.dumps({"id": i, "text": text[i], "side": side}) + "\n")
    return {"kept only by ours": len(only_ours), "kept only by datatrove": len(only_datatrove)}


def decide(path: Path) -> None:
    """In datatrove's venv: its filters on each document, first removing filter and reason counted."""
    from datatrove.data import Document
    from datatrove_side import quality_filters

    filters = [(type(step).__name__, step) for step in quality_filters()]
    counts: collections.Counter = collections.Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            doc, verdict = Document(text=row["text"], id=row["id"]), "datatrove keeps it"
            for name, step in filters:
                result = step.filter(doc)
                kept = result if isinstance(result, bool) else result[0]
                if not kept:
                    reason = "" if isinstance(result, bool) else result[1]
                    verdict = f"datatrove removes it: {name} {reason}".strip()
                    break
            counts[(row["side"], verdict)] += 1
    for (side, verdict), n in sorted(counts.items()):
        print(f"{side:24} {verdict:60} {n:5}")


def main() -> None:
    if sys.argv[1:2] == ["--decide"]:
        decide(Path(sys.argv[2]))
        return
    workdir = Path(sys.argv[1])
    dt_python = ROOT / ".venv-datatrove" / "bin" / "python"
    if not dt_python.exists():
        raise SystemExit("no .venv-datatrove: run `bash scripts/setup_datatrove.sh` first")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "disagreements.jsonl"
        print(json.dumps(collect(workdir, path)))
        print("datatrove's filters on our extracted text:")
        subprocess.run([str(dt_python), __file__, "--decide", str(path)], check=True)


if __name__ == "__main__":
    main()
