"""Parquet input from another tool, damaged: a file without a readable footer gives one ``read_error``
row for the whole file; a row group that cannot be decoded gives one removed row for each of its rows
not read, so the rows out equal the rows in; the other row groups are read. The filter job failed on
both before, with pyarrow's message and no file name."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.io.parquet_input import read_parquet_documents
from pipeline.recipe import load_recipe
from tests.test_filter_job import GOOD_EN

ROWS, GROUP = 3000, 1000


def _texts(seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = ["harbour", "market", "library", "council", "river", "bread", "evening", "window"]
    return [" ".join(rng.choice(words) + str(rng.randrange(50)) for _ in range(60)) for _ in range(ROWS)]


def _write(path, texts) -> None:
    table = pa.table({"id": [f"d{i}" for i in range(len(texts))], "text": texts})
    pq.write_table(table, path, row_group_size=GROUP)


def _damage_group(path, group: int, seed: int = 0) -> None:
    """Overwrite 3,000 bytes of the text column's pages in one row group with random bytes."""
    column = pq.ParquetFile(path).metadata.row_group(group).column(1)
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    first = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
    start = column.data_page_offset + 100
    for i in range(start, min(start + 3000, first + column.total_compressed_size)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def test_a_whole_file_reads_every_row_in_order(tmp_path):
    path = tmp_path / "ok.parquet"
    texts = _texts()
    _write(path, texts)
    rows = list(read_parquet_documents(str(path), batch_rows=700))  # batches cross no row group
    assert [r["id"] for r in rows] == [f"d{i}" for i in range(ROWS)]
    assert [r["text"] for r in rows] == texts and all(r["status"] == "kept" for r in rows)


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.999])
def test_a_file_cut_short_is_one_error_row_naming_the_footer(tmp_path, keep):
    path = tmp_path / "cut.parquet"
    _write(path, _texts())
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    (row,) = list(read_parquet_documents(str(path), "hf"))
    assert (row["status"], row["removed_by"], row["removed_reason"]) == ("removed", "read_parquet", "read_error")
    assert "no readable footer" in row["removed_detail"] and row["source"] == "hf"
    assert row["warc_file"] == str(path)


def test_a_file_that_is_not_parquet_is_one_error_row(tmp_path):
    path = tmp_path / "notes.parquet"
    path.write_text("id,text\n1,hello\n")
    (row,) = list(read_parquet_documents(str(path)))
    assert row["removed_reason"] == "read_error" and "ArrowInvalid" in row["removed_detail"]


def test_a_corrupt_row_group_is_one_removed_row_per_row_and_the_next_group_is_read(tmp_path):
    path = tmp_path / "damaged.parquet"
    texts = _texts()
    _write(path, texts)
    _damage_group(path, 1)
    rows = list(read_parquet_documents(str(path), batch_rows=300))
    assert len(rows) == ROWS  # every row of the file is a row out
    kept = [r for r in rows if r["status"] == "kept"]
    lost = [r for r in rows if r["status"] == "removed"]
    assert [r["id"] for r in kept] == [f"d{i}" for i in range(GROUP)] + [f"d{i}" for i in range(2 * GROUP, ROWS)]
    assert [r["text"] for r in kept] == texts[:GROUP] + texts[2 * GROUP :]
    assert {(r["removed_by"], r["removed_reason"]) for r in lost} == {("read_parquet", "read_error")}
    assert [r["warc_offset"] for r in lost] == list(range(GROUP + 1, 2 * GROUP + 1))
    assert len({r["id"] for r in rows}) == ROWS  # the lost rows' ids collide with nothing
    assert "row group 1 (rows 1001-2000) unreadable from row 1001" in lost[0]["removed_detail"]


def test_missing_text_is_removed_by_the_parquet_reader(tmp_path):
    path = tmp_path / "some.parquet"
    pq.write_table(pa.table({"text": ["a text", None]}), path)
    rows = list(read_parquet_documents(str(path)))
    assert (rows[1]["removed_by"], rows[1]["removed_reason"]) == ("read_parquet", "missing_text")


@pytest.mark.spark
def test_filter_job_on_damaged_parquet_goes_on_and_accounts_for_every_row(spark, tmp_path):
    from jobs.filter import FilterStageConfig, run

    src = tmp_path / "in"
    src.mkdir()
    good = [GOOD_EN] * 50
    pq.write_table(pa.table({"id": [f"g{i}" for i in range(50)], "text": good}), src / "good.parquet")
    _write(src / "damaged.parquet", _texts())
    _damage_group(src / "damaged.parquet", 1)
    cut = src / "cut.parquet"
    _write(cut, _texts(1))
    cut.write_bytes(cut.read_bytes()[:5000])
    stats = run(spark, [str(src / "*.parquet")], str(tmp_path / "out"), load_recipe("rules"), FilterStageConfig())
    rows = ds.dataset(str(tmp_path / "out"), partitioning="hive").to_table().to_pylist()
    errors = [r for r in rows if r["removed_reason"] == "read_error"]
    assert stats["accounting_ok"] and stats["rows"] == len(rows) == 50 + ROWS + 1
    assert len(errors) == GROUP + 1  # the damaged group's rows and the cut file
    assert {r["id"] for r in rows if r["id"].startswith("g") and r["status"] == "kept"} == {f"g{i}" for i in range(50)}
    files = {p.rsplit("/", 1)[-1]: v for p, v in stats["input_files"].items()}
    assert {name: v["outcome"] for name, v in files.items()} == {
        "good.parquet": "ok",
        "damaged.parquet": "error",
        "cut.parquet": "error",
    }
    assert (files["damaged.parquet"]["read_error"], files["damaged.parquet"]["records"]) == (GROUP, ROWS)
    from jobs.filter import summary_lines

    printed = "\n".join(summary_lines(stats, str(tmp_path / "out"), 1.0))
    assert f"damaged.parquet ({GROUP} of {ROWS} rows)" in printed and "cut.parquet (1 of 1 rows)" in printed
