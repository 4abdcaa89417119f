"""The child processes of ``pipeline.engines.jvm_archive.build()``: the JVM that writes the class archive
while it runs a small pipeline, and the JVM that must map it.

    python -m jobs.jvm_archive --dump PATH [--workload pipeline|minimal]
    python -m jobs.jvm_archive --check PATH     # prints how many classes came from the archive
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pipeline.engines import jvm_archive
from pipeline.engines.spark import get_session, stop_jvm


def _start(java_options: str):
    return get_session(
        master="local[2]",
        app_name="corpus-jvm-archive",
        extra_conf={"spark.driver.defaultJavaOptions": java_options},
    )


def _run_workload(spark, workload: str) -> None:
    spark.range(100).selectExpr("id % 7 AS k").groupBy("k").count().collect()
    spark.sparkContext.parallelize(range(8), 2).map(lambda x: x * 2).collect()
    spark.range(100).mapInArrow(lambda batches: batches, "id long").count()
    if workload == "minimal":
        return
    from jobs.run_pipeline import run_all
    from pipeline.sample import generate_sample

    with tempfile.TemporaryDirectory(prefix="corpus-jvm-archive-") as tmp:
        sample = Path(tmp) / "sample"
        generate_sample(sample, pages=30, seed=5, pages_per_file=15)
        run_all(spark, [str(sample / "warc" / "*.warc.gz")], str(Path(tmp) / "run"), "fineweb", [], [], [])


def _dump(target: str, workload: str) -> None:
    spark = _start(f"-XX:ArchiveClassesAtExit={target} {jvm_archive.QUIET}")
    _run_workload(spark, workload)
    stop_jvm(spark)


def _check(archive: str) -> None:
    """Start a JVM that must map ``archive`` (``-Xshare:on``) and print how many classes came from it."""
    with tempfile.TemporaryDirectory(prefix="corpus-jvm-check-") as tmp:
        log = Path(tmp) / "classes.log"
        spark = _start(
            f"-XX:SharedArchiveFile={archive} -Xshare:on {jvm_archive.QUIET} -Xlog:class+load=info:file={log}"
        )
        spark.range(10).count()
        stop_jvm(spark)
        print(jvm_archive.shared_class_count(log))


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        description="internal: the child processes of pipeline.engines.jvm_archive.build()"
    )
    parser.add_argument("--dump", metavar="PATH")
    parser.add_argument("--check", metavar="PATH")
    parser.add_argument("--workload", default="pipeline", choices=("pipeline", "minimal"))
    args = parser.parse_args(argv)
    if args.dump:
        _dump(args.dump, args.workload)
    elif args.check:
        _check(args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
