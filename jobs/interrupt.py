"""Stopping a run cleanly on SIGTERM (``timeout``, Airflow, a scheduler) or SIGINT (Ctrl-C).

Without this, the signal reaches the JVM too (it shares the shell's process group), the JVM's
shutdown hooks stop Spark under the running Python code, and the user sees Java stack traces.
So the JVM is started in its own session (:func:`pipeline.engines.spark.get_session` with
``own_process_group=True``: a signal to the run's process group reaches Python only; the JVM still
exits when Python dies, since it watches its stdin pipe), and Python, on the signal:

1. cancels the running Spark jobs and stops the session (quietly: log level ERROR, py4j muted);
2. removes the stage's unpublished temporary output (``.<stage>.tmp-*``; published stages stay
   and are reused by the next run);
3. prints one line and exits 128 + the signal number: 143 for SIGTERM, 130 for SIGINT.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator, Sequence

SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Stage outputs being written right now (jobs.common.publish_documents registers them), so that a
# stop cleans their temporaries even when the command does not know which stage was running.
ACTIVE_OUTPUTS: set[str] = set()


class Interrupted(BaseException):
    """Raised in the main thread when a stop signal arrives (a BaseException, like KeyboardInterrupt,
    so no ``except Exception`` on the way swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum


def _raise(signum, _frame):
    raise Interrupted(signum)


def arm() -> None:
    """(Re)install the handlers: SparkContext's creation installs its own SIGINT handler (it raises
    a bare KeyboardInterrupt), so call this again once the session exists."""
    if threading.current_thread() is threading.main_thread():
        for s in SIGNALS:
            signal.signal(s, _raise)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`Interrupted` inside the block (main thread only);
    a KeyboardInterrupt raised by someone else's handler counts as SIGINT."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    arm()
    try:
        yield
    except KeyboardInterrupt as exc:
        raise Interrupted(signal.SIGINT) from exc
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def shutdown(spark, outputs: Sequence[str]) -> list[str]:
    """Cancel jobs, stop Spark, remove unpublished temporaries of ``outputs``; returns what was removed.

    Further stop signals are ignored meanwhile: a second Ctrl-C must not leave a half-cleaned run.
    """
    from pipeline.io.publish import StagePublisher

    previous = {s: signal.signal(s, signal.SIG_IGN) for s in SIGNALS}
    logging.getLogger("py4j").setLevel(logging.CRITICAL)  # the interrupted call's socket is closed under it
    try:
        for action in (lambda: spark.sparkContext.setLogLevel("OFF"), spark.sparkContext.cancelAllJobs, spark.stop):
            with contextlib.suppress(Exception):
                action()
        removed = []
        for output in sorted(set(outputs) | ACTIVE_OUTPUTS):
            with contextlib.suppress(OSError):
                removed += StagePublisher(output).clean_leftovers()
        ACTIVE_OUTPUTS.clear()
        return removed
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
