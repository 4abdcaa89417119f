"""The decontaminate stage on local Spark: removal with reasons, flag mode, hits per set in _stats.json."""

from __future__ import annotations

import json
import re

import pytest

from jobs.common import publish_documents
from jobs.decontaminate import HITS_DIR, load_config, run
from pipeline.engines.spark import read_documents, to_spark_schema
from schemas.documents import empty_row, rows_to_table
from tests.conftest import shared_path

pytestmark = pytest.mark.spark


def _detok(line: str) -> str:
    line = line.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".").replace("<unk>", "Smith")
    return re.sub(r" ([,.;:'])", r"\1", line).strip()


def _published_input(spark, tmp_path, root):
    test = [line for line in (root / "test.txt").read_text("utf-8").splitlines() if len(line.split()) > 60]
    valid = [line for line in (root / "valid.txt").read_text("utf-8").splitlines() if len(line.split()) > 60]
    rows = []
    for i in range(6):
        text = f"News of the day.\n{_detok(test[10 * i])}\nComments are closed." if i < 3 else _detok(valid[i])
        row = empty_row()
        row.update(id=f"doc{i}", url=f"https://site.example/{i}", text=text, language="en", status="kept")
        rows.append(row)
    df = spark.createDataFrame(rows_to_table(rows).to_pandas(), to_spark_schema())
    path = str(tmp_path / "dedup")
    publish_documents(spark, df, path, "dedup", {}, [], [], partition_by=("status", "language"))
    return path


@pytest.mark.parametrize("mode", ["remove", "flag"])
def test_stage_removes_or_flags_documents_holding_eval_passages(spark, tmp_path, mode):
    root = shared_path("corpora", "wikitext-2")
    source = _published_input(spark, tmp_path, root)
    cfg = load_config(
        None, [f"decontam.eval_sets=[{json.dumps('wiki=' + str(root / 'test.txt'))}]", f"decontam.mode={mode}"]
    )
    out = str(tmp_path / "decontaminate")
    stats = run(spark, source, out, cfg)
    assert stats["accounting_ok"] and stats["rows"] == 6
    sets = stats["decontamination"]["sets"]
    assert sets["wiki"]["documents"] == 3 and sets["wiki"]["shared_ngrams"] > 30
    rows = {r["id"]: r for r in read_documents(spark, out, status=None).collect()}
    hits = [
        json.loads(line) for f in sorted((tmp_path / "decontaminate" / HITS_DIR).glob("*.json")) for line in f.open()
    ]
    assert sorted(h["id"] for h in hits) == ["doc0", "doc1", "doc2"] and {h["eval_set"] for h in hits} == {"wiki"}
    if mode == "remove":
        assert stats["removed_by_reason"] == {"decontaminate/eval_overlap:wiki": 3}
        assert rows["doc0"]["status"] == "removed" and "wiki: " in rows["doc0"]["removed_detail"]
        assert {rows[f"doc{i}"]["status"] for i in range(3, 6)} == {"kept"}
    else:
        assert stats["removed"] == 0 and {r["status"] for r in rows.values()} == {"kept"}
