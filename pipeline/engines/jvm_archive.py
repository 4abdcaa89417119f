"""Faster Spark start-up: an archive of the classes a Spark driver loads (JDK class-data sharing).

Before its first job a local Spark driver loads some 12,000 classes from Spark's jars; finding,
parsing and verifying them is most of the several seconds a session takes to start. Since JDK 13 a
JVM can write the classes it loaded to an archive when it exits (``-XX:ArchiveClassesAtExit``) and a
later JVM maps that archive instead (``-XX:SharedArchiveFile``), which is the same classes, already
parsed and verified.

``build()`` (the ``corpus jvm-archive`` command, run by ``make setup``) runs a small pipeline on a
generated crawl in a child process whose JVM writes the archive, checks that a fresh JVM maps it, and
only then moves it into place. ``current()`` finds a usable one and ``get_session``
adds it when it starts the JVM itself (not under ``spark-submit``, where the JVM is already running).

An archive fits one JVM build and one set of jar files: the JVM checks the jars' sizes and times and
refuses (silently, with the logging below) an archive made for others. A truncated archive, though,
crashes the JVM at start, so an archive is used only when its record (``<name>.json``, written last)
names this JVM, these jars and the archive's own size and time.

Where: ``$CORPUS_JVM_ARCHIVE`` (a folder), else ``$XDG_CACHE_HOME/corpus-pipeline/jvm`` (``~/.cache``).
``CORPUS_JVM_ARCHIVE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ENV = "CORPUS_JVM_ARCHIVE"
OFF = ("off", "0", "false", "no", "none")
# The JVM's own messages about archives it cannot map would go to the command's stdout.
QUIET = "-Xlog:cds*=off"
MIN_SHARED_CLASSES = 1000  # a usable archive of a Spark driver holds many thousands


class ArchiveError(RuntimeError):
    """Building or checking the archive failed; Spark still starts, only without it."""


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in OFF


def archive_dir() -> Path:
    configured = os.environ.get(ENV, "").strip()
    if configured and configured.lower() not in OFF:
        return Path(configured).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "corpus-pipeline" / "jvm"


def java_home() -> Path | None:
    """The JVM ``spark-submit`` starts: ``$JAVA_HOME`` if set, else the ``java`` on PATH."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"]).resolve()
    java = shutil.which("java")
    return Path(java).resolve().parent.parent if java else None


def spark_jars_dir() -> Path | None:
    """The jars of the pyspark this interpreter imports (``$SPARK_HOME/jars`` when that is set)."""
    if os.environ.get("SPARK_HOME"):
        jars = Path(os.environ["SPARK_HOME"]) / "jars"
    else:
        import importlib.util

        spec = importlib.util.find_spec("pyspark")
        if spec is None or not spec.submodule_search_locations:
            return None
        jars = Path(list(spec.submodule_search_locations)[0]) / "jars"
    return jars.resolve() if jars.is_dir() else None


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def fingerprint() -> dict[str, Any] | None:
    """What an archive is valid for: the JVM build, the jar files (name, size, time), the conf folder.

    ``None`` when there is no JVM or no Spark jars to fingerprint."""
    home, jars = java_home(), spark_jars_dir()
    if home is None or jars is None:
        return None
    libjvm = next(
        (p for p in (home / "lib" / "server" / "libjvm.so", home / "lib" / "server" / "libjvm.dylib") if p.exists()),
        None,
    )
    return {
        "java_home": str(home),
        "libjvm": _stat(libjvm) if libjvm else None,
        "jars_dir": str(jars),
        "jars": sorted([p.name, *_stat(p)] for p in jars.glob("*.jar")),
        # spark-submit puts the conf folder first on the class path; the JVM refuses an archive made
        # with another class path.
        "spark_conf_dir": os.environ.get("SPARK_CONF_DIR", ""),
    }


def conf_dir_problem(jars: Path) -> str | None:
    """Why the JVM would archive nothing: ``spark-submit`` puts the conf folder (``$SPARK_CONF_DIR``, else
    ``$SPARK_HOME/conf``) first on the class path, and the JDK writes no archive for a class path with a
    folder that holds files."""
    conf = Path(os.environ.get("SPARK_CONF_DIR") or jars.parent / "conf")
    if conf.is_dir() and any(conf.iterdir()):
        return (
            f"the Spark conf folder {conf} is on the JVM's class path and is not empty; the JDK archives no "
            "classes then (unset SPARK_CONF_DIR, or move its files, to build one)"
        )
    return None


def key_of(fp: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fp, sort_keys=True).encode("utf-8")).hexdigest()[:20]


def paths(key: str) -> tuple[Path, Path]:
    folder = archive_dir()
    return folder / f"spark-{key}.jsa", folder / f"spark-{key}.json"


def current() -> tuple[Path, dict[str, Any]] | None:
    """The usable archive for this JVM and these jars with its record, or ``None``."""
    if not enabled():
        return None
    fp = fingerprint()
    if fp is None:
        return None
    archive, record_path = paths(key_of(fp))
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("fingerprint") != fp or record.get("archive") != [*_stat(archive)]:
            return None
    except (OSError, ValueError):
        return None
    return archive, record


def driver_java_options(archive: Path) -> str:
    return f"-XX:SharedArchiveFile={archive} {QUIET}"


def prepend_driver_options(conf: dict[str, str], options: str) -> dict[str, str]:
    """``conf`` with ``options`` in front of the driver's default JVM options (a copy; the user's
    ``spark.driver.extraJavaOptions`` stay as they are and come after)."""
    if not options:
        return conf
    out = dict(conf)
    key = "spark.driver.defaultJavaOptions"
    out[key] = f"{options} {out[key]}".strip() if out.get(key) else options
    return out


def with_archive(conf: dict[str, str], found: tuple[Path, dict[str, Any]] | None) -> dict[str, str]:
    """``conf`` with the option that maps ``found`` (from ``current()``), if any."""
    return prepend_driver_options(conf, driver_java_options(found[0]) if found else "")


def forget(archive: Path) -> None:
    """Stop using ``archive`` (e.g. after a JVM failed to start with it): remove its record and it."""
    for path in (archive.with_suffix(".json"), archive):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------
# Building


def build(force: bool = False, workload: str = "pipeline", timeout_s: float = 900) -> dict[str, Any]:
    """Build (or find) the archive for this JVM and these jars; returns its record.

    ``workload``: what the dumping JVM runs before it exits, so that the archive holds those classes:
    ``pipeline`` (a generated crawl of 30 pages through extract, the default recipe and dedup) or
    ``minimal`` (a session, an SQL job, a Python job and an Arrow job; for tests).
    """
    if not enabled():
        raise ArchiveError(f"{ENV}=off")
    fp = fingerprint()
    if fp is None:
        raise ArchiveError("no java (JAVA_HOME or java on PATH) or no Spark jars (pyspark) found")
    found = current()
    if found and not force:
        return found[1]
    problem = conf_dir_problem(Path(fp["jars_dir"]))
    if problem:
        raise ArchiveError(problem)
    key = key_of(fp)
    archive, record_path = paths(key)
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot write to {archive.parent} ({exc}); set {ENV} to a writable folder") from exc
    tmp = archive.parent / f".{archive.name}.{os.getpid()}.tmp"
    started = time.time()
    env = dict(os.environ, **{ENV: "off"})  # the dumping JVM must not map an older archive
    try:
        _child(["--dump", str(tmp), "--workload", workload], env, timeout_s)
        if not tmp.exists() or tmp.stat().st_size < 1 << 20:
            raise ArchiveError(f"the JVM wrote no archive to {tmp} (does this JVM support -XX:ArchiveClassesAtExit?)")
        shared = int(_child(["--check", str(tmp)], env, timeout_s).strip().splitlines()[-1])
        if shared < MIN_SHARED_CLASSES:
            raise ArchiveError(f"a JVM started with {tmp} mapped only {shared} classes from it")
        os.replace(tmp, archive)
    finally:
        tmp.unlink(missing_ok=True)
    record = {
        "fingerprint": fp,
        "archive": _stat(archive),
        "path": str(archive),
        "shared_classes": shared,
        "workload": workload,
        "build_seconds": round(time.time() - started, 1),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    tmp_record = record_path.with_name(f".{record_path.name}.{os.getpid()}.tmp")
    tmp_record.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(tmp_record, record_path)  # last: from now on the archive is used
    _remove_superseded(key, fp["jars_dir"])
    return record


def _remove_superseded(key: str, jars_dir: str) -> None:
    """Archives built before for the same jars folder (another JVM build, jars since replaced)."""
    for record_path in archive_dir().glob("spark-*.json"):
        if record_path.name == f"spark-{key}.json":
            continue
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if record.get("fingerprint", {}).get("jars_dir") == jars_dir:
            forget(record_path.with_suffix(".jsa"))


def _child(args: list[str], env: dict[str, str], timeout_s: float) -> str:
    cmd = [sys.executable, "-m", "jobs.jvm_archive", *args]
    root = Path(__file__).resolve().parents[2]
    env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")])))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ArchiveError(f"{' '.join(args[:1])} took more than {timeout_s:.0f} s") from exc
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise ArchiveError(f"{' '.join(args[:1])} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def shared_class_count(class_load_log: Path) -> int:
    """Classes a JVM took from the archive on top of the JDK's (``-Xlog:class+load`` output)."""
    with open(class_load_log, encoding="utf-8", errors="replace") as fh:
        return sum("shared objects file (top)" in line for line in fh)
