"""Dedup stages on real local Spark: exact, URL, line and MinHash-LSH dedup, connected components."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from jobs.dedup_components import components_on_driver, connected_components, union_find_components
from jobs.dedup_lib import exact_dedup, line_dedup, minhash_dedup, url_dedup
from pipeline.dedup.config import DedupConfig
from schemas.documents import empty_row, rows_to_table

pytestmark = pytest.mark.spark


def _doc(doc_id, text, url=None, day=1, status="kept", language="en", **extra):
    row = empty_row()
    row.update(
        id=doc_id,
        text=text,
        url=url or f"https://site.example/{doc_id}",
        language=language,
        status=status,
        fetch_time=datetime(2024, 1, day, tzinfo=UTC) if day else None,
        n_chars=len(text),
        **extra,
    )
    return row


def _frame(spark, docs):
    from pipeline.engines.spark import to_spark_schema

    return spark.createDataFrame(rows_to_table(docs).to_pandas(), to_spark_schema())


def _rows(df):
    return {r["id"]: r.asDict() for r in df.collect()}


def _words(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(n))


def test_exact_dedup_keeps_latest_fetch_then_smallest_id(spark):
    docs = [
        _doc("a", "Hello, World! Same text.", day=1),
        _doc("b", "hello world   same TEXT", day=3),
        _doc("c", "HELLO WORLD same text", day=3),
        _doc("d", "Something else entirely."),
        _doc("e", "hello world same text", status="removed", removed_by="x", removed_reason="r"),
        _doc("f", " ... ", day=None),
    ]
    out, _ = exact_dedup(_frame(spark, docs), DedupConfig())
    rows = _rows(out)
    assert len(rows) == 6
    assert rows["b"]["status"] == "kept" and rows["b"]["dup_cluster_size"] == 3
    for loser in ("a", "c"):
        assert (rows[loser]["status"], rows[loser]["removed_by"], rows[loser]["removed_reason"]) == (
            "removed",
            "exact_dedup",
            "exact_duplicate",
        )
        assert rows[loser]["removed_detail"] == "survivor=b"
        assert rows[loser]["dup_cluster"] == rows["b"]["dup_cluster"] and rows["b"]["dup_cluster"].startswith("exact-")
    assert rows["d"]["status"] == "kept" and rows["d"]["dup_cluster"] is None
    assert rows["e"]["removed_by"] == "x" and rows["e"]["dup_cluster"] is None  # passed through untouched
    assert rows["f"]["status"] == "kept"


def test_url_dedup_collapses_canonical_urls(spark):
    docs = [
        _doc("1", "v1", url="http://www.example.com/page/?utm_source=a", day=2),
        _doc("2", "v2", url="https://example.com/page#top", day=5),
        _doc("3", "v3", url="https://example.com/other", day=1),
        _doc("4", "v4", url=None),
    ]
    rows = _rows(url_dedup(_frame(spark, docs), DedupConfig())[0])
    assert rows["2"]["status"] == "kept" and rows["2"]["dup_cluster_size"] == 2
    assert (rows["1"]["removed_reason"], rows["1"]["removed_detail"]) == ("url_duplicate", "survivor=2")
    assert rows["3"]["status"] == rows["4"]["status"] == "kept"


@pytest.mark.parametrize("broadcast_limit", [1000, 0])
def test_line_dedup_removes_repeated_lines_and_short_leftovers(spark, broadcast_limit):
    banner, nav = "Subscribe to our newsletter!", "Home | News | Contact"
    docs = [_doc(f"d{i}", f"{nav}\n{_words(i, 30)}\n{banner} {'alpha' if i % 2 else 'beta'}") for i in range(6)]
    docs.append(_doc("short", f"{nav}\nTiny body.\n{banner} alpha"))
    docs.append(_doc("gone", f"{nav}\n{_words(99, 30)}", status="removed", removed_by="x", removed_reason="r"))
    cfg = DedupConfig(line_max_repeats=3, line_min_chars=20, line_broadcast_limit=broadcast_limit)
    out, extra = line_dedup(_frame(spark, docs), cfg)
    rows = _rows(out)
    assert len(rows) == 8
    assert extra["line_lookup"] == ("broadcast" if broadcast_limit else "join")
    # The nav line is in 7 kept docs, "banner alpha" in 4 and "banner beta" in 3 (not more than 3: stays).
    assert extra["line_repeated_distinct"] == 2 and extra["line_doc_occurrences_removed"] == 11
    assert rows["d0"]["text"] == f"{_words(0, 30)}\n{banner} beta"
    assert rows["d1"]["text"] == _words(1, 30) and rows["d1"]["n_chars"] == len(_words(1, 30))
    short = rows["short"]
    assert (short["status"], short["removed_by"], short["removed_reason"]) == (
        "removed",
        "line_dedup",
        "line_dedup_too_short",
    )
    assert short["removed_detail"] == "chars=9<20 after 2 repeated lines"
    assert rows["gone"]["text"].startswith(nav)


def test_connected_components_labels_each_component_with_its_smallest_node(spark):
    # A long chain (needs several rounds), a star, and a cycle.
    chain = [(f"c{i:02d}", f"c{i + 1:02d}") for i in range(8, -1, -1)]
    edges = chain + [("s0", "s1"), ("s0", "s2"), ("s3", "s0"), ("y2", "y1"), ("y1", "y3"), ("y3", "y2")]
    comps, rounds = connected_components(spark.createDataFrame(edges, "src string, dst string"))
    got = {r["node"]: r["component"] for r in comps.collect()}
    assert len(got) == 10 + 4 + 3
    assert {got[f"c{i:02d}"] for i in range(10)} == {"c00"}
    assert {got[n] for n in ("s0", "s1", "s2", "s3")} == {"s0"}
    assert {got[n] for n in ("y1", "y2", "y3")} == {"y1"}
    assert rounds >= 1
    assert connected_components(spark.createDataFrame([("b", "a"), ("c", "a")], "src string, dst string"))[1] == 0


def test_union_find_labels_each_component_with_its_smallest_node():
    # Unions in an order where the first root of the set is not its smallest node.
    edges = [("d", "e"), ("c", "d"), ("e", "b"), ("x", "x"), ("z", "y"), ("a", "b"), ("y", "w")]
    assert union_find_components(edges) == {
        **dict.fromkeys("abcde", "a"),
        **dict.fromkeys("wyz", "w"),
    }  # the self-loop alone adds no node, as in the Spark rounds
    assert union_find_components([]) == {}


def test_components_on_driver_equal_the_distributed_rounds(spark):
    # Random forests of chains and cycles, ids with non-ASCII characters (Spark orders strings by
    # UTF-8 bytes, Python by code points: the same order), a self-loop and a repeated edge.
    rng = random.Random(5)
    names = [f"{rng.choice(['a', 'é', '中', 'Z', '0'])}{i}" for i in range(300)]
    edges = [(rng.choice(names), rng.choice(names)) for _ in range(260)]
    edges += [(names[0], names[0]), edges[0], edges[1][::-1]]
    frame = spark.createDataFrame(edges, "src string, dst string")
    distributed = {r["node"]: r["component"] for r in connected_components(frame)[0].collect()}
    local = components_on_driver(frame)
    assert local.schema.simpleString() == "struct<node:string,component:string>"
    assert {r["node"]: r["component"] for r in local.collect()} == distributed
    assert len(distributed) > 100 and len(set(distributed.values())) > 10
    empty = components_on_driver(spark.createDataFrame([], "src string, dst string"))
    assert empty.count() == 0 and empty.columns == ["node", "component"]


def _near_dup_docs():
    docs = []
    for cluster in range(3):
        base = _words(100 + cluster, 200).split()
        for copy in range(3):
            words = list(base)
            for pos in range(copy * 2):  # 0, 2 and 4 substitutions out of 200 words
                words[10 + 40 * pos] = f"edit{pos}"
            docs.append(_doc(f"k{cluster}{copy}", " ".join(words), day=copy + 1))
    docs += [_doc(f"u{i}", _words(500 + i, 200)) for i in range(4)]
    docs.append(_doc("zh1", "我们今天去公园散步了天气很好大家都很开心" * 3, language="zh"))
    docs.append(_doc("zh2", "我们今天去公园散步了天气很好大家都很开心" * 3 + "。", language="zh", day=2))
    docs.append(_doc("empty1", "", day=1))
    docs.append(_doc("empty2", "", day=1))
    docs.append(_doc("r", docs[0]["text"], status="removed", removed_by="x", removed_reason="r"))
    return docs


@pytest.mark.parametrize(("verify", "driver_max_edges"), [(False, 1_000_000), (True, 1_000_000), (False, 0)])
def test_minhash_dedup_clusters_near_duplicates(spark, verify, driver_max_edges):
    docs = _near_dup_docs()
    cfg = DedupConfig(verify=verify, cc_driver_max_edges=driver_max_edges)
    out, extra = minhash_dedup(_frame(spark, docs), cfg)
    rows = _rows(out)
    assert len(rows) == len(docs)
    assert (extra["bands"], extra["rows"]) == (20, 5) and extra["candidate_edges"] > 0
    assert extra["cc_method"] == ("driver" if driver_max_edges else "spark")
    for cluster in range(3):
        survivor = rows[f"k{cluster}2"]  # latest fetch_time
        assert survivor["status"] == "kept" and survivor["dup_cluster_size"] == 3
        for copy in range(2):
            loser = rows[f"k{cluster}{copy}"]
            assert (loser["status"], loser["removed_by"], loser["removed_reason"]) == (
                "removed",
                "minhash_dedup",
                "near_duplicate",
            )
            assert (
                loser["dup_cluster"] == survivor["dup_cluster"] and loser["removed_detail"] == f"survivor=k{cluster}2"
            )
    assert rows["zh2"]["status"] == "kept" and rows["zh1"]["removed_reason"] == "near_duplicate"
    assert all(rows[f"u{i}"]["status"] == "kept" and rows[f"u{i}"]["dup_cluster"] is None for i in range(4))
    assert rows["empty1"]["status"] == rows["empty2"]["status"] == "kept"  # no shingles: never candidates
    assert rows["r"]["removed_by"] == "x"
    assert len({rows[f"k{c}0"]["dup_cluster"] for c in range(3)}) == 3
