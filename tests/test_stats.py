"""Stats come from written columns and merge exactly across files."""

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.stats import file_partial, finalize, hive_values, merge, table_partial
from schemas.documents import rows_to_table


def rows(n_kept, n_removed, lang="en"):
    out = []
    for i in range(n_kept):
        out.append(
            {
                "id": f"k{lang}{i}",
                "status": "kept",
                "language": lang,
                "n_chars": 100 * (i + 1),
                "pii_email": 1,
                "source": "web",
                "language_score": 0.9,
            }
        )
    for i in range(n_removed):
        out.append(
            {
                "id": f"r{lang}{i}",
                "status": "removed",
                "language": lang,
                "removed_by": "gopher_quality",
                "removed_reason": "gopher_too_few_words",
                "n_chars": 5,
                "source": "web",
            }
        )
    return out


def test_partials_merge_to_the_same_totals_as_one_table():
    a, b = rows(3, 2, "en"), rows(4, 1, "zh")
    merged = finalize(merge(table_partial(rows_to_table(a)), table_partial(rows_to_table(b))))
    whole = finalize(table_partial(rows_to_table(a + b)))
    assert merged == whole
    assert merged["rows"] == 10 and merged["kept"] == 7 and merged["removed"] == 3 and merged["accounting_ok"]
    assert merged["removed_by_reason"] == {"gopher_quality/gopher_too_few_words": 3}
    assert merged["by_language"] == {"en/kept": 3, "en/removed": 2, "zh/kept": 4, "zh/removed": 1}
    assert merged["kept_chars"] == 600 + 1000
    assert merged["pii_kept_docs_totals"]["email"] == 7
    assert set(merged["quantiles"]["n_chars"]) == {
        "all/kept",
        "all/removed",
        "en/kept",
        "en/removed",
        "zh/kept",
        "zh/removed",
    }


def test_small_groups_give_exact_quantiles():
    table = rows_to_table([{"id": str(i), "status": "kept", "n_chars": 1000 + i} for i in range(50)])
    q = finalize(table_partial(table))["quantiles"]["n_chars"]["all/kept"]
    assert (q["p50"], q["min"], q["max"], q["n"]) == (1024, 1000, 1049, 50)


def test_partition_values_come_from_the_path(tmp_path):
    table = rows_to_table(rows(2, 0)).drop_columns(["status", "language"])
    path = tmp_path / "status=kept" / "language=en"
    path.mkdir(parents=True)
    pq.write_table(table, path / "part-0.parquet")
    stats = finalize(file_partial(str(path / "part-0.parquet"), "status=kept/language=en/part-0.parquet"))
    assert stats["by_language"] == {"en/kept": 2}
    assert hive_values("a=1/b=x=y/f.parquet") == {"a": "1", "b": "x=y"}


def test_accounting_mismatch_is_visible():
    stats = finalize({"rows": 3, "counts": {"status": {"kept": 1, "removed": 1}}})
    assert stats["accounting_ok"] is False


def test_empty_table():
    assert finalize(table_partial(pa.table({"status": pa.array([], pa.string())})))["rows"] == 0
