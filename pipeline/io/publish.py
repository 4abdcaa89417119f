"""Atomic, idempotent stage outputs.

A stage writes into a hidden sibling ``.<name>.tmp-<token>`` directory, adds ``_manifest.json``
and ``_stats.json``, renames Spark's part files to stable names, writes ``_SUCCESS`` last and
then swaps the directory into place. Re-running a stage replaces its output, never appends;
a crash leaves either the old complete output or none, plus a hidden temporary that the next
run removes. Readers trust only directories that hold ``_SUCCESS``.

Paths go through ``pyarrow.fs`` so the same code publishes to a local disk, HDFS or an object
store. On object stores a directory rename is not atomic; there the ``_SUCCESS`` marker written
last is what makes the output trustworthy.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import PurePosixPath
from typing import Any

import pyarrow.fs as pafs

SUCCESS = "_SUCCESS"
MANIFEST = "_manifest.json"
STATS = "_stats.json"

_SPARK_PART = re.compile(r"^part-(\d+)-[0-9a-f]{8}-[0-9a-f-]{27}(\.c\d+)?(\..+)$")


def filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem of ``uri`` and the path inside it (local paths may be relative)."""
    if "://" not in uri:
        import os

        return pafs.LocalFileSystem(), os.path.abspath(uri)
    return pafs.FileSystem.from_uri(uri)


def _parent_and_name(path: str) -> tuple[str, str]:
    p = PurePosixPath(path)
    return str(p.parent), p.name


def is_published(uri: str) -> bool:
    fs, path = filesystem(uri)
    return fs.get_file_info(f"{path}/{SUCCESS}").type == pafs.FileType.File


def read_json(uri: str, name: str) -> dict[str, Any]:
    fs, path = filesystem(uri)
    with fs.open_input_stream(f"{path}/{name}") as f:
        return json.loads(f.read().decode("utf-8"))


def write_json(fs: pafs.FileSystem, path: str, data: Any) -> None:
    payload = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    with fs.open_output_stream(path) as f:
        f.write(payload + b"\n")


class StagePublisher:
    """Owns one stage output: where Spark writes, and the final atomic publish."""

    def __init__(self, output_uri: str):
        self.output_uri = output_uri.rstrip("/")
        self.fs, self.path = filesystem(self.output_uri)
        parent, name = _parent_and_name(self.path)
        self.parent, self.name = parent, name
        self.token = uuid.uuid4().hex[:12]
        self.tmp_path = f"{parent}/.{name}.tmp-{self.token}"

    @property
    def tmp_uri(self) -> str:
        if "://" in self.output_uri:
            scheme = self.output_uri.split("://", 1)[0]
            return f"{scheme}://{self.tmp_path}"
        return self.tmp_path

    def clean_leftovers(self) -> list[str]:
        """Remove temporaries and half-swapped outputs of earlier crashed runs of this stage."""
        removed = []
        self.fs.create_dir(self.parent, recursive=True)
        for info in self.fs.get_file_info(pafs.FileSelector(self.parent)):
            base = PurePosixPath(info.path).name
            if base.startswith(f".{self.name}.tmp-") or base.startswith(f".{self.name}.old-"):
                self.fs.delete_dir(info.path)
                removed.append(info.path)
        return removed

    def data_files(self) -> list[str]:
        """Parquet files written under the temporary directory, sorted, relative to it."""
        selector = pafs.FileSelector(self.tmp_path, recursive=True)
        files = [i.path for i in self.fs.get_file_info(selector) if i.type == pafs.FileType.File]
        return sorted(f[len(self.tmp_path) + 1 :] for f in files if f.endswith(".parquet"))

    def stabilise_names(self) -> list[str]:
        """Rename Spark's ``part-NNNNN-<uuid>...`` files to ``part-NNNNN...``: names stay equal across runs."""
        for rel in self.data_files():
            directory, base = _parent_and_name(rel)
            match = _SPARK_PART.match(base)
            if match:
                new = f"part-{match.group(1)}{match.group(2) or ''}{match.group(3)}"
                prefix = f"{self.tmp_path}/{directory}/" if directory not in ("", ".") else f"{self.tmp_path}/"
                self.fs.move(prefix + base, prefix + new)
        # Spark may leave hidden checksum files; they would name the old file.
        selector = pafs.FileSelector(self.tmp_path, recursive=True)
        for info in self.fs.get_file_info(selector):
            if info.type == pafs.FileType.File and PurePosixPath(info.path).name.endswith(".crc"):
                self.fs.delete_file(info.path)
        return self.data_files()

    def publish(self, manifest: dict[str, Any], stats: dict[str, Any]) -> str:
        """Write manifest and stats, then ``_SUCCESS``, then swap the directory into place."""
        write_json(self.fs, f"{self.tmp_path}/{MANIFEST}", manifest)
        write_json(self.fs, f"{self.tmp_path}/{STATS}", stats)
        with self.fs.open_output_stream(f"{self.tmp_path}/{SUCCESS}") as f:
            f.write(b"")
        old = f"{self.parent}/.{self.name}.old-{self.token}"
        existing = self.fs.get_file_info(self.path).type != pafs.FileType.NotFound
        if existing:
            self.fs.move(self.path, old)
        self.fs.move(self.tmp_path, self.path)
        if existing:
            self.fs.delete_dir(old)
        return self.output_uri

    def abort(self) -> None:
        if self.fs.get_file_info(self.tmp_path).type != pafs.FileType.NotFound:
            self.fs.delete_dir(self.tmp_path)
