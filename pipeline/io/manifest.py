"""Stage manifests: what produced an output (config, steps, schema and code version, inputs)."""

from __future__ import annotations

import glob
import hashlib
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

from pipeline import __version__
from pipeline.io.publish import filesystem
from schemas.documents import DOCUMENT_SCHEMA_VERSION

_CHUNK = 1 << 20


def expand_inputs(patterns: list[str] | str) -> list[str]:
    """Expand local globs (sorted, de-duplicated); remote URIs are passed through as given."""
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    out: set[str] = set()
    for pattern in patterns:
        if "://" in pattern:
            out.add(pattern)
            continue
        matches = glob.glob(os.path.expanduser(pattern), recursive=True)
        out.update(os.path.abspath(m) for m in matches if os.path.isfile(m))
    return sorted(out)


def fingerprint(uri: str, checksum: bool = True) -> dict[str, Any]:
    """Size, modification time and (optionally) sha256 of one input file; errors are recorded, not raised."""
    fs, path = filesystem(uri)
    info = fs.get_file_info(path)
    entry: dict[str, Any] = {"path": uri}
    if info.type != pafs.FileType.File:
        entry["error"] = "not found" if info.type == pafs.FileType.NotFound else "not a file"
        return entry
    entry["size"] = info.size
    entry["mtime_ns"] = info.mtime_ns
    if checksum:
        digest = hashlib.sha256()
        try:
            with fs.open_input_stream(path, compression=None) as f:  # hash the bytes on disk, not a decompressed view
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
            entry["sha256"] = digest.hexdigest()
        except OSError as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
    return entry


def code_version() -> dict[str, str]:
    """Package version, plus the git commit when running from a checkout."""
    out = {"package": __version__}
    root = Path(__file__).resolve().parents[2]
    if (root / ".git").exists():
        try:
            commit = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
            ).stdout.strip()
            if commit:
                out["git_commit"] = commit
        except (OSError, subprocess.SubprocessError):
            pass
    return out


def build_manifest(
    stage: str,
    config: dict[str, Any],
    steps: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    outputs: list[str],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "stage": stage,
        "schema": {"name": "documents", "version": DOCUMENT_SCHEMA_VERSION},
        "code": code_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config,
        "steps": steps,
        "inputs": inputs,
        "outputs": outputs,
        **(extra or {}),
    }
