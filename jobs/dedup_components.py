"""Connected components of an edge DataFrame, computed by Spark itself.

Algorithm: alternating large-star and small-star rounds (Kiveris, Lattanzi, Mirrokni, Rastogi,
Vassilvitskii 2014, "Connected Components in MapReduce and Beyond", SoCC), which contracts every
component into a star centred on its smallest node in O(log^2 n) rounds (a handful in practice).
Each round is two shuffles of the current edge list, which only shrinks; no node's neighbourhood is
ever gathered in one place, so executor memory stays bounded (window aggregates spill to disk), and
the driver only sees two booleans per round. Each round is checkpointed to cut the lineage, which
would otherwise grow with every round and be recomputed on any failure.

Nodes may be of any orderable Spark type (here document ids, strings). Returns (node, component)
for every node that has an edge; ``component`` is the smallest node of its component.

A graph small enough for the driver (``cc_driver_max_edges``, 1M edges by default) skips the rounds:
its edges are collected and joined by union-find in one pass (:func:`components_on_driver`), which
gives the same (node, component) rows without a Spark job per round (each costs about a second in
local mode, which dominates the dedup of a few thousand documents).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F


def checkpoint(df: DataFrame) -> DataFrame:
    """Materialise ``df`` and cut its lineage: reliable if a checkpoint dir is set, else local (disk-backed)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)


def _canonical(edges: DataFrame) -> DataFrame:
    """Edges as (src, dst) with src > dst, no self-loops, no repeats."""
    return (
        edges.filter(F.col("src") != F.col("dst"))
        .select(F.greatest("src", "dst").alias("src"), F.least("src", "dst").alias("dst"))
        .distinct()
    )


def large_star(edges: DataFrame) -> DataFrame:
    """Each node u links its larger neighbours v > u to m(u), the minimum of u and all its neighbours."""
    both = edges.select(F.col("src").alias("u"), F.col("dst").alias("v")).unionByName(
        edges.select(F.col("dst").alias("u"), F.col("src").alias("v"))
    )
    with_min = both.withColumn("m", F.least(F.col("u"), F.min("v").over(Window.partitionBy("u"))))
    return _canonical(with_min.filter(F.col("v") > F.col("u")).select(F.col("v").alias("src"), F.col("m").alias("dst")))


def small_star(edges: DataFrame) -> DataFrame:
    """Each node u links itself and its smaller neighbours to m, the minimum of those (edges come src > dst)."""
    with_min = edges.withColumn("m", F.min("dst").over(Window.partitionBy("src")))
    linked = with_min.select(F.col("dst").alias("src"), F.col("m").alias("dst")).unionByName(
        with_min.select(F.col("src"), F.col("m").alias("dst"))
    )
    return _canonical(linked)


def is_star_forest(edges: DataFrame) -> bool:
    """True when every component is a star: no centre is itself a leaf, and every leaf has one centre.

    One aggregation: each node lists its parents (as a leaf) and a null (as a centre)."""
    roles = edges.select(F.col("src").alias("n"), F.col("dst").alias("p")).unionByName(
        edges.select(F.col("dst").alias("n"), F.lit(None).cast(edges.schema["dst"].dataType).alias("p"))
    )
    per_node = roles.groupBy("n").agg(F.countDistinct("p").alias("parents"), F.max(F.col("p").isNull()).alias("centre"))
    return per_node.filter((F.col("parents") > 1) | (F.col("centre") & (F.col("parents") > 0))).isEmpty()


def connected_components(edges: DataFrame, max_iterations: int = 40) -> tuple[DataFrame, int]:
    """(node, component) for every node of ``edges(src, dst)``, and the number of rounds it took."""
    current = checkpoint(_canonical(edges))
    rounds = 0
    while not is_star_forest(current):
        if rounds >= max_iterations:
            raise RuntimeError(f"connected components did not converge in {max_iterations} rounds")
        current = checkpoint(small_star(large_star(current)))
        rounds += 1
    leaves = current.select(F.col("src").alias("node"), F.col("dst").alias("component"))
    centres = current.select(F.col("dst").alias("node"), F.col("dst").alias("component")).distinct()
    return leaves.unionByName(centres), rounds


def union_find_components(edges: Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    """node -> smallest node of its component, for edges held in memory.

    Union-find whose root is always the smallest node of its set (the smaller root wins every union)
    with path halving; self-loops add nothing, as in :func:`connected_components`.
    """
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        while (up := parent[node]) != node:
            parent[node] = parent[up]
            node = up
        return node

    for a, b in edges:
        if a == b:
            continue
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def components_on_driver(edges: DataFrame) -> DataFrame:
    """Same rows as :func:`connected_components`, computed on the driver from the collected edges."""
    table = edges.select("src", "dst").toArrow()
    comps = union_find_components(zip(table.column("src").to_pylist(), table.column("dst").to_pylist()))
    node_type = edges.schema["src"].dataType
    arrow_type = table.schema.field("src").type
    data = pa.table(
        {"node": pa.array(list(comps), arrow_type), "component": pa.array(list(comps.values()), arrow_type)}
    )
    schema = f"node {node_type.simpleString()}, component {node_type.simpleString()}"
    return edges.sparkSession.createDataFrame(data, schema)
