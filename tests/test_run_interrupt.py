"""``corpus run`` stopped by SIGTERM or SIGINT, as ``timeout``, Airflow or Ctrl-C do it (to the whole
process group): one line on stderr, no Java or Python stack trace, Spark stopped (no process of the
run left), the stage's temporary output removed, exit code 143 / 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def alive(pids: set[int]) -> set[int]:
    return {p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text()[-60:]}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    from pipeline.sample import generate_sample

    root = tmp_path_factory.mktemp("interrupt")
    generate_sample(str(root / "sample"), 300, seed=3)
    return root / "sample" / "warc"


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize(
    "command, signum, code",
    [("run", signal.SIGTERM, 143), ("run", signal.SIGINT, 130), ("extract", signal.SIGTERM, 143)],
)
def test_stop_signal_stops_spark_cleans_up_and_exits(crawl, tmp_path, command, signum, code):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    # `run` writes OUTPUT/extract; `extract` writes OUTPUT itself: both leave out/.extract.tmp-* while writing
    out = tmp_path / "out" if command == "run" else tmp_path / "out" / "extract"
    cmd = [sys.executable, "-m", "pipeline.cli.main", command, "--input", f"{crawl}/*.warc.gz", "--output", str(out)]
    out = tmp_path / "out"
    cmd += ["--master", "local[2]"]
    err = open(tmp_path / "stderr", "w+")  # noqa: SIM115 (the child writes to it until it exits)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline and not list(out.glob(".extract.tmp-*")) and proc.poll() is None:
        time.sleep(0.5)
    assert proc.poll() is None and list(out.glob(".extract.tmp-*")), "the extract stage never started writing"
    time.sleep(2)  # Spark tasks are running now
    family = descendants(proc.pid)
    assert family, "the JVM should be a child of the run"
    os.killpg(proc.pid, signum)  # the whole process group, as timeout(1) and a terminal do
    assert proc.wait(timeout=120) == code
    err.seek(0)
    stderr = err.read()
    tail = [line for line in stderr.replace("\r", "\n").splitlines() if line.strip() and not line.startswith("[")]
    assert tail[-1].startswith(f"corpus {command}: stopped by {signal.Signals(signum).name}; Spark stopped")
    for trace in ("Traceback", "Exception", "\tat ", "ERROR"):
        assert trace not in stderr, stderr[-3000:]
    assert not list(out.glob(".*.tmp-*")) and not (out / "extract").exists()
    deadline = time.time() + 30
    while alive(family) and time.time() < deadline:
        time.sleep(0.5)
    assert not alive(family), "processes of the run (JVM, Python workers) are still running"


def test_signals_become_interrupted_with_the_shell_exit_code_and_handlers_are_restored():
    from jobs.interrupt import Interrupted, stop_on_signals

    before = signal.getsignal(signal.SIGTERM)
    for signum, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        with pytest.raises(Interrupted) as stop, stop_on_signals():
            os.kill(os.getpid(), signum)
            time.sleep(5)  # the handler raises before this ends
        assert stop.value.exit_code == code and stop.value.name == signal.Signals(signum).name
    with pytest.raises(Interrupted) as stop, stop_on_signals():
        raise KeyboardInterrupt  # e.g. from PySpark's own SIGINT handler
    assert stop.value.exit_code == 130
    assert signal.getsignal(signal.SIGTERM) is before
