"""KLL quantiles in ``_stats.json``: per-file sketches merged, p1..p99 within 1 % rank error of the
exact quantiles that pyarrow computes on the same column."""

from __future__ import annotations

from functools import reduce

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline.sketches import QUANTILES
from pipeline.stats import STATS_VERSION, file_partial, finalize, merge


def write_files(tmp_path, n_files=6, rows=25_000):
    """Heavy-tailed lengths with many ties (integers) and scores, split over several files."""
    rng = np.random.default_rng(7)
    paths = []
    for i in range(n_files):
        n_chars = np.maximum(1, rng.lognormal(7.0 + 0.2 * i, 1.2, rows)).astype(np.int64)
        score = rng.beta(5, 2, rows)
        lang = rng.choice(["en", "zh"], rows, p=[0.8, 0.2])
        table = pa.table({"status": ["kept"] * rows, "language": lang, "n_chars": n_chars, "language_score": score})
        path = tmp_path / f"part-{i}.parquet"
        pq.write_table(table, path)
        paths.append(path)
    return paths


def rank_interval(values: np.ndarray, v: float) -> tuple[float, float]:
    """Share of values below ``v`` and at or below ``v``: v is a correct q-quantile when q is between."""
    return float(np.mean(values < v)), float(np.mean(values <= v))


@pytest.mark.parametrize("column", ["n_chars", "language_score"])
def test_merged_sketches_match_exact_quantiles_within_one_percent_rank(tmp_path, column):
    paths = write_files(tmp_path)
    stats = finalize(reduce(merge, [file_partial(str(p), p.name) for p in paths], {}))
    assert stats["stats_version"] == STATS_VERSION == 2
    exact_col = pq.read_table(paths).column(column)
    values = exact_col.to_numpy()
    got = stats["quantiles"][column]["all/kept"]
    assert got["n"] == len(values) == 150_000
    for q in QUANTILES:
        v = got[f"p{round(q * 100)}"]
        below, at_or_below = rank_interval(values, v)
        assert below - 0.01 <= q <= at_or_below + 0.01, (column, q, v, below, at_or_below)
        exact = pc.quantile(exact_col, q=q, interpolation="lower")[0].as_py()
        lo, hi = rank_interval(values, exact)
        # both are within 1 % of rank of each other
        assert abs((below + at_or_below) / 2 - (lo + hi) / 2) <= 0.0101 + (at_or_below - below) + (hi - lo)


def test_per_language_groups_and_old_histograms_kept(tmp_path):
    paths = write_files(tmp_path, n_files=2, rows=2000)
    stats = finalize(reduce(merge, [file_partial(str(p), p.name) for p in paths], {}))
    zh = pq.read_table(paths).filter(pc.equal(pq.read_table(paths).column("language"), "zh"))
    assert stats["quantiles"]["n_chars"]["zh/kept"]["n"] == zh.num_rows
    assert stats["quantiles_method"] == "kll(k=400)"
    assert stats["histograms"]["n_chars"]  # the report's charts still have their bins


def test_report_shows_the_sketch_quantiles(tmp_path):
    from pipeline.report.page import quantile_table

    paths = write_files(tmp_path, n_files=1, rows=500)
    stats = finalize(file_partial(str(paths[0]), paths[0].name))
    html = quantile_table(stats, "n_chars")
    q = stats["quantiles"]["n_chars"]["en/kept"]
    assert "kll(k=400)" in html and f"<td>{q['p50']:g}</td>" in html and "<td>zh</td>" in html
    assert quantile_table({"quantiles": {}}, "n_chars") == ""
