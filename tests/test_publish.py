"""Atomic, idempotent publishing: replace never append, crashes leave the old output or none."""

import json

from pipeline.io.publish import StagePublisher, is_published


def fake_spark_write(pub, files):
    for rel in files:
        path = f"{pub.tmp_path}/{rel}"
        __import__("os").makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with open(path, "wb") as f:
            f.write(rel.encode())
        with open(path.rsplit("/", 1)[0] + "/." + rel.rsplit("/", 1)[-1] + ".crc", "wb") as f:
            f.write(b"crc")


def test_publish_renames_parts_and_replaces_previous_output(tmp_path):
    out = tmp_path / "stage"
    pub = StagePublisher(str(out))
    fake_spark_write(
        pub,
        [
            "status=kept/part-00003-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet",
            "status=kept/part-00004-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet",
        ],
    )
    assert not is_published(str(out))
    files = pub.stabilise_names()
    assert files == ["status=kept/part-00003.c000.zstd.parquet", "status=kept/part-00004.c000.zstd.parquet"]
    pub.publish({"stage": "t"}, {"rows": 2})
    assert is_published(str(out))
    assert json.loads((out / "_manifest.json").read_text())["stage"] == "t"
    assert not list(out.rglob("*.crc"))

    second = StagePublisher(str(out))
    fake_spark_write(second, ["status=kept/part-00000-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet"])
    second.stabilise_names()
    second.publish({"stage": "t2"}, {"rows": 1})
    assert sorted(p.name for p in out.rglob("*.parquet")) == ["part-00000.c000.zstd.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stage"]


def test_leftovers_of_a_crashed_run_are_removed_and_old_output_survives(tmp_path):
    out = tmp_path / "stage"
    first = StagePublisher(str(out))
    fake_spark_write(first, ["part-00000-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet"])
    first.stabilise_names()
    first.publish({}, {})
    crashed = StagePublisher(str(out))
    fake_spark_write(crashed, ["part-00009-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet"])
    # the crashed run never published: readers still see the first output, complete
    assert is_published(str(out))
    assert [p.name for p in out.glob("*.parquet")] == ["part-00000.c000.zstd.parquet"]
    again = StagePublisher(str(out))
    removed = again.clean_leftovers()
    assert len(removed) == 1 and ".stage.tmp-" in removed[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stage"]


def test_abort_removes_the_temporary(tmp_path):
    pub = StagePublisher(str(tmp_path / "x"))
    fake_spark_write(pub, ["part-00000-0a1b2c3d-1111-2222-3333-444455556666.c000.zstd.parquet"])
    pub.abort()
    assert list(tmp_path.iterdir()) == []
