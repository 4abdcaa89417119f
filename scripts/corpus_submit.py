"""spark-submit application for every stage: ``spark-submit [options] corpus_submit.py STAGE [stage options]``.

``STAGE ...`` is exactly a ``corpus`` command line (``extract --input ... --output ...``); the stage's
Spark session takes the master and settings spark-submit gives it. The session is stopped before
the interpreter exits, so a cluster manager sees the application finish instead of losing its
executors (a local cluster otherwise waits ~30 s in its shutdown hooks).

This file sits outside the package on purpose: spark-submit puts the script's folder first on
``sys.path``, and a package folder such as ``jobs/`` (which has a ``tokenize.py``) would shadow the
standard library. ``make dist`` copies it to ``dist/corpus_submit.py``.
"""

from __future__ import annotations

import sys


def main() -> int:
    from pipeline.cli.main import main as corpus

    try:
        return corpus(sys.argv[1:])
    finally:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()


if __name__ == "__main__":
    sys.exit(main())
