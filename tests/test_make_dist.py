"""``scripts/pack_env.sh`` (the packing step of ``make dist``) writes an archive the cluster can read."""

from __future__ import annotations

import stat
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_packed_env_is_world_readable(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    archive = tmp_path / "dist" / "corpus-env.tar.gz"
    archive.parent.mkdir()
    subprocess.run(["bash", str(ROOT / "scripts" / "pack_env.sh"), str(venv), str(archive)], check=True, timeout=120)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o644  # venv-pack alone leaves 0600
    with tarfile.open(archive) as tar:
        assert any(name.endswith("bin/activate") for name in tar.getnames())


def test_make_dist_packs_through_pack_env():
    script = (ROOT / "scripts" / "make_dist.sh").read_text()
    assert 'scripts/pack_env.sh "$BUILD" "$OUT/corpus-env.tar.gz"' in script and "venv-pack " not in script
