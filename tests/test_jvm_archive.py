"""The JVM class archive (``corpus jvm-archive``): when it is used, and a real one built, mapped and survived."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli.main import main as corpus_main
from pipeline.engines import jvm_archive

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_install(tmp_path, monkeypatch):
    """A fake JVM home and Spark jars folder, and an archive folder of the test's own."""
    home = tmp_path / "jdk"
    (home / "lib" / "server").mkdir(parents=True)
    (home / "lib" / "server" / "libjvm.so").write_bytes(b"\0" * 10)
    jars = tmp_path / "jars"
    jars.mkdir()
    for name in ("spark-core.jar", "spark-sql.jar"):
        (jars / name).write_bytes(b"jar")
    monkeypatch.setattr(jvm_archive, "java_home", lambda: home)
    monkeypatch.setattr(jvm_archive, "spark_jars_dir", lambda: jars)
    monkeypatch.setenv(jvm_archive.ENV, str(tmp_path / "archives"))
    monkeypatch.delenv("SPARK_CONF_DIR", raising=False)
    return home, jars


def _install_archive(size: int = 4096) -> tuple[Path, Path]:
    fp = jvm_archive.fingerprint()
    archive, record = jvm_archive.paths(jvm_archive.key_of(fp))
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_bytes(b"\1" * size)
    st = archive.stat()
    record.write_text(json.dumps({"fingerprint": fp, "archive": [st.st_size, st.st_mtime_ns], "shared_classes": 1}))
    return archive, record


def test_fingerprint_follows_jvm_jars_and_conf_folder(fake_install, monkeypatch):
    home, jars = fake_install
    base = jvm_archive.key_of(jvm_archive.fingerprint())
    assert jvm_archive.key_of(jvm_archive.fingerprint()) == base
    os.utime(jars / "spark-sql.jar", ns=(1, 1))  # the JVM checks each jar's time and size
    touched = jvm_archive.key_of(jvm_archive.fingerprint())
    assert touched != base
    (jars / "extra.jar").write_bytes(b"x")
    added = jvm_archive.key_of(jvm_archive.fingerprint())
    assert added not in (base, touched)
    (home / "lib" / "server" / "libjvm.so").write_bytes(b"\0" * 11)  # another JVM build
    assert jvm_archive.key_of(jvm_archive.fingerprint()) != added
    monkeypatch.setenv("SPARK_CONF_DIR", "/etc/spark")  # another class path
    assert jvm_archive.key_of(jvm_archive.fingerprint()) != added


def test_an_archive_is_used_only_when_its_record_vouches_for_it(fake_install, monkeypatch):
    assert jvm_archive.current() is None  # nothing built
    archive, record = _install_archive()
    found = jvm_archive.current()
    assert found is not None and found[0] == archive
    options = jvm_archive.with_archive({}, found)["spark.driver.defaultJavaOptions"]
    assert options.split() == [f"-XX:SharedArchiveFile={archive}", jvm_archive.QUIET]

    # a truncated archive (an interrupted copy, a full disk) would crash the JVM at start: not used
    with open(archive, "r+b") as fh:
        fh.truncate(100)
    assert jvm_archive.current() is None

    archive, record = _install_archive()
    assert jvm_archive.current() is not None
    os.utime(fake_install[1] / "spark-core.jar", ns=(5, 5))  # jars replaced since: other key, no archive
    assert jvm_archive.current() is None

    _install_archive()
    monkeypatch.setenv(jvm_archive.ENV, "off")
    assert jvm_archive.current() is None
    assert jvm_archive.with_archive({"a": "b"}, None) == {"a": "b"}


def test_a_conf_folder_with_files_is_named_before_any_jvm_starts(fake_install, tmp_path, monkeypatch):
    conf = tmp_path / "spark-conf"
    conf.mkdir()
    monkeypatch.setenv("SPARK_CONF_DIR", str(conf))
    assert jvm_archive.conf_dir_problem(fake_install[1]) is None  # empty: fine
    (conf / "spark-defaults.conf").write_text("spark.ui.enabled false\n")
    assert str(conf) in jvm_archive.conf_dir_problem(fake_install[1])
    with pytest.raises(jvm_archive.ArchiveError, match="not empty"):
        jvm_archive.build(workload="minimal")


def test_an_unwritable_archive_folder_is_a_clear_error(fake_install, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(jvm_archive.ENV, str(blocker / "jvm"))
    with pytest.raises(jvm_archive.ArchiveError, match="writable folder"):
        jvm_archive.build(workload="minimal")
    assert corpus_main(["jvm-archive"]) == 1  # the CLI says so instead of a traceback


def test_the_users_own_driver_options_stay(fake_install):
    archive, _ = _install_archive()
    conf = {"spark.driver.defaultJavaOptions": "-Dsite=1", "spark.driver.extraJavaOptions": "-Duser=2"}
    out = jvm_archive.with_archive(conf, jvm_archive.current())
    assert out["spark.driver.defaultJavaOptions"].startswith(f"-XX:SharedArchiveFile={archive} ")
    assert out["spark.driver.defaultJavaOptions"].endswith(" -Dsite=1")
    assert out["spark.driver.extraJavaOptions"] == "-Duser=2"
    assert conf["spark.driver.defaultJavaOptions"] == "-Dsite=1"  # not changed in place


def test_cli_status_remove_and_off(fake_install, monkeypatch, capsys):
    assert corpus_main(["jvm-archive", "--status"]) == 1
    assert "no archive" in capsys.readouterr().out
    archive, record = _install_archive()
    assert corpus_main(["jvm-archive", "--status"]) == 0
    assert '"shared_classes": 1' in capsys.readouterr().out
    assert corpus_main(["jvm-archive"]) == 0  # up to date: nothing built
    assert "up to date" in capsys.readouterr().out
    assert corpus_main(["jvm-archive", "--remove"]) == 0
    assert not archive.exists() and not record.exists()
    monkeypatch.setenv(jvm_archive.ENV, "off")
    assert corpus_main(["jvm-archive"]) == 2
    assert "off" in capsys.readouterr().out


PROBE = """
import sys
from pipeline.engines.spark import get_session
spark = get_session(master="local[1]", extra_conf={"spark.driver.extraJavaOptions": sys.argv[1]})
print("rows", spark.range(7).count())
"""


def _session_in_child(tmp_path: Path, env: dict, java_options: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE, java_options],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # where a crashing JVM leaves its hs_err file
        timeout=300,
        check=False,
    )


def test_a_real_archive_is_built_mapped_by_sessions_and_survived_when_broken(tmp_path, monkeypatch):
    """Real JVM, real Spark: build (minimal workload), a new session maps it, a broken one is dropped."""
    folder = tmp_path / "archives"
    monkeypatch.setenv(jvm_archive.ENV, str(folder))
    env = dict(os.environ, PYTHONPATH=str(ROOT), SPARK_LOCAL_IP="127.0.0.1")
    try:
        record = jvm_archive.build(workload="minimal")
        archive = Path(record["path"])
        assert archive.parent == folder and archive.exists()
        assert record["shared_classes"] >= jvm_archive.MIN_SHARED_CLASSES
        assert not list(folder.glob(".*.tmp"))  # the temporary names are gone
        assert jvm_archive.build(workload="minimal") == record  # up to date: not built again

        log = tmp_path / "classes.log"
        proc = _session_in_child(tmp_path, env, f"-Xlog:class+load=info:file={log}")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "rows 7" in proc.stdout
        assert jvm_archive.shared_class_count(log) >= jvm_archive.MIN_SHARED_CLASSES

        off = _session_in_child(tmp_path, dict(env, CORPUS_JVM_ARCHIVE="off"), f"-Xlog:class+load=info:file={log}")
        assert off.returncode == 0 and "rows 7" in off.stdout
        assert jvm_archive.shared_class_count(log) == 0

        # An archive its record vouches for but that is broken (here: cut short, record rewritten) makes the
        # JVM fail at start: the session starts again without it, says so, and the archive is dropped.
        with open(archive, "r+b") as fh:
            fh.truncate(archive.stat().st_size // 2)
        fixed = dict(record, archive=[archive.stat().st_size, archive.stat().st_mtime_ns])
        archive.with_suffix(".json").write_text(json.dumps(fixed))
        assert jvm_archive.current() is not None
        proc = _session_in_child(tmp_path, env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "rows 7" in proc.stdout
        assert "did not start with the class archive" in proc.stderr
        assert not archive.exists() and jvm_archive.current() is None
    finally:
        for path in folder.glob("*"):
            path.unlink()
