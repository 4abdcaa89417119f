"""``corpus dedup --input`` reads JSONL and Parquet from other tools, as ``corpus filter`` does."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.dedup import DedupStageConfig, load_config, run
from pipeline.config import ConfigError
from pipeline.dedup.passages import split_sentences
from pipeline.engines.spark import read_documents
from pipeline.io.parquet_input import read_parquet_documents
from pipeline.io.publish import read_json
from tests.conftest import shared_path


def _paragraphs(count: int) -> list[str]:
    lines = shared_path("corpora", "wikitext-2", "test.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(split_sentences(line)) >= 8][:count]


def test_parquet_reader_takes_text_id_and_known_columns(tmp_path):
    path = tmp_path / "other.parquet"
    table = pa.table(
        {
            "id": [7, 8, 9],
            "text": ["first text", None, "third"],
            "url": ["https://a.example/1", None, None],
            "meta": [{"k": 1}, {"k": 2}, {"k": 3}],  # another tool's column: ignored
        }
    )
    pq.write_table(table, path)
    rows = list(read_parquet_documents(str(path), "hf"))
    assert [r["id"] for r in rows] == ["7", "8", "9"]
    assert (rows[0]["text"], rows[0]["url"], rows[0]["source"], rows[0]["status"]) == (
        "first text",
        "https://a.example/1",
        "hf",
        "kept",
    )
    assert (rows[1]["status"], rows[1]["removed_reason"]) == ("removed", "missing_text")
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "bad.parquet")
    with pytest.raises(ValueError, match="no column 'text'"):
        list(read_parquet_documents(str(tmp_path / "bad.parquet")))


def test_passages_is_a_valid_method_and_bad_methods_name_the_choices():
    assert "passages" in load_config(None, ["methods=[exact,passages]"]).methods
    assert "passages" not in DedupStageConfig().methods  # opt-in
    with pytest.raises(ConfigError, match="valid values"):
        load_config(None, ["methods=[exact,paragraphs]"])


@pytest.mark.spark
def test_dedup_reads_jsonl_and_accounts_for_every_line(spark, tmp_path):
    text = _paragraphs(2)
    lines = [
        json.dumps({"id": "a", "text": text[0]}),
        json.dumps({"id": "b", "text": text[0].upper()}),  # an exact copy once normalised
        json.dumps({"id": "c", "text": text[1]}),
        "{not json",
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    stats = run(spark, [str(path)], str(tmp_path / "out"), load_config(None, ["methods=[exact]"]))
    assert (stats["rows"], stats["kept"], stats["removed"], stats["accounting_ok"]) == (4, 2, 2, True)
    assert stats["removed_by_reason"] == {"exact_dedup/exact_duplicate": 1, "read_jsonl/bad_json": 1}


@pytest.mark.spark
def test_dedup_reads_parquet_and_writes_the_passage_log(spark, tmp_path):
    text = _paragraphs(3)
    passage = " ".join(split_sentences(text[0])[1:5])
    table = pa.table(
        {"id": ["p1", "p2", "p3"], "text": [text[0], f"{text[1]}\n{passage}", text[2]], "score": [0.1, 0.2, 0.3]}
    )
    pq.write_table(table, tmp_path / "shard-0.parquet")
    out = tmp_path / "out"
    cfg = load_config(None, ["methods=[exact,passages]"])
    stats = run(spark, [str(tmp_path / "*.parquet")], str(out), cfg)
    assert (stats["rows"], stats["kept"], stats["accounting_ok"]) == (3, 3, True)
    log = pq.read_table(out / "_passage_removals").to_pylist()
    assert log and {r["id"] for r in log} == {"p2"} and {r["survivor"] for r in log} == {"p1"}
    manifest = read_json(str(out), "_manifest.json")
    assert manifest["dedup"]["passages"]["passage_documents_cut"] == 1
    assert all(not f.startswith("_") for f in manifest["outputs"])
    rows = read_documents(spark, str(out), status=None).collect()  # the _passage_removals table is skipped
    assert len(rows) == 3 and next(r["text"] for r in rows if r["id"] == "p2") == text[1]
