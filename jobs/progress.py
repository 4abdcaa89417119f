"""Progress lines with an ETA for long local runs, read from Spark's status tracker.

Spark's console progress bar (on by default, see pipeline/engines/spark.py) redraws one line per
stage and says nothing about time left. ``StageProgress`` adds, every ``interval`` seconds, a line
per running stage such as::

    [filter 1m05s] stage 5: 40/68 tasks (2 running), ETA 45s

The ETA is the stage's remaining tasks divided by its completion rate since the stage was first
seen: rough on stages with uneven tasks, but honest about its basis. It polls
``SparkContext.statusTracker()`` from a daemon thread, so no JVM listener is registered and
nothing changes in the jobs themselves::

    with StageProgress(spark, label="filter"):
        stats = run(spark, ...)
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


def format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def eta_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Time left at the observed completion rate; None before the first task finishes."""
    if done <= 0 or elapsed <= 0:
        return None
    return max(total - done, 0) * elapsed / done


def stage_line(stage_id: int, done: int, total: int, running: int, elapsed: float) -> str:
    eta = eta_seconds(done, total, elapsed)
    return (
        f"stage {stage_id}: {done}/{total} tasks ({running} running), "
        f"ETA {format_seconds(eta) if eta is not None else '?'}"
    )


class StageProgress:
    """Print a progress line with ETA for each running Spark stage every ``interval`` seconds."""

    def __init__(self, spark, label: str = "corpus", interval: float = 10.0, stream: TextIO | None = None):
        self.tracker = spark.sparkContext.statusTracker()
        self.label, self.interval = label, interval
        self.stream = stream or sys.stderr
        self.first_seen: dict[int, float] = {}
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="corpus-progress", daemon=True)

    def poll(self) -> list[str]:
        """One line per active stage (also usable without the thread)."""
        now = time.monotonic()
        lines = []
        for stage_id in sorted(self.tracker.getActiveStageIds()):
            info = self.tracker.getStageInfo(stage_id)
            if info is None:
                continue
            seen = self.first_seen.setdefault(stage_id, now)
            lines.append(stage_line(stage_id, info.numCompletedTasks, info.numTasks, info.numActiveTasks, now - seen))
        return lines

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            prefix = f"[{self.label} {format_seconds(time.monotonic() - self.started)}]"
            for line in self.poll():
                print(f"{prefix} {line}", file=self.stream, flush=True)

    def __enter__(self) -> StageProgress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 1)
