"""``corpus jvm-archive``: build (or show) the archive of Spark's driver classes that makes sessions start faster."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "jvm-archive",
        help="build the JVM class archive that makes Spark start faster (make setup runs it)",
        description="Runs a small pipeline in a JVM that writes the classes it loaded to an archive (JDK "
        "class-data sharing); later Spark sessions started by corpus map it instead of loading those classes "
        "again. Kept in $CORPUS_JVM_ARCHIVE or ~/.cache/corpus-pipeline/jvm, one per JVM build and set of "
        "Spark jars; CORPUS_JVM_ARCHIVE=off turns it off.",
    )
    p.add_argument("--rebuild", action="store_true", help="build even when an up-to-date archive exists")
    p.add_argument("--status", action="store_true", help="only say whether there is a usable archive")
    p.add_argument("--remove", action="store_true", help="remove the archive of this JVM and these jars")
    p.add_argument(
        "--workload",
        choices=("pipeline", "minimal"),
        default="pipeline",
        help="what the archiving JVM runs: a 30-page generated crawl through every stage (default) or only "
        "a session and three tiny jobs",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.engines import jvm_archive

    if not jvm_archive.enabled():
        print(f"{jvm_archive.ENV}=off: Spark starts without a class archive")
        return 0 if args.status else 2
    found = jvm_archive.current()
    if args.remove:
        if found:
            jvm_archive.forget(found[0])
            print(f"removed {found[0]}")
        else:
            print("no archive for this JVM and these Spark jars")
        return 0
    if args.status:
        if found:
            print(json.dumps({k: v for k, v in found[1].items() if k != "fingerprint"}, indent=2))
        else:
            print(f"no archive for this JVM and these Spark jars in {jvm_archive.archive_dir()}")
        return 0 if found else 1
    if found and not args.rebuild:
        print(f"up to date: {found[0]} ({found[1]['shared_classes']} classes)")
        return 0
    try:
        record = jvm_archive.build(force=True, workload=args.workload)
    except (jvm_archive.ArchiveError, OSError) as exc:
        print(f"corpus jvm-archive: no archive built: {exc}\nSpark still works; it starts without the archive.")
        return 1
    size_mb = record["archive"][0] / 1e6
    print(
        f"built {record['path']}: {record['shared_classes']} classes, {size_mb:.0f} MB, in {record['build_seconds']} s"
    )
    return 0
