"""Write a mixing YAML with equal weights for every source of a token-shards folder.

The Airflow DAG's short training run uses it when no mix is given: ``python scripts/equal_mix.py
TOKENS_DIR OUT.yaml``. Paths in the YAML are relative to the YAML's folder, as trainer/mixing.py reads them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml


def equal_mix(tokens_dir: str, out: str, seed: int = 0) -> dict:
    manifest = json.loads((Path(tokens_dir) / "tokens.json").read_text(encoding="utf-8"))
    rel = os.path.relpath(tokens_dir, Path(out).parent)
    sources = [
        {"name": name, "weight": 1.0, "path": f"{rel}/{entry['dir']}"}
        for name, entry in sorted(manifest["sources"].items())
    ]
    mix = {"seed": seed, "sources": sources}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(yaml.safe_dump(mix, sort_keys=False), encoding="utf-8")
    return mix


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: equal_mix.py TOKENS_DIR OUT.yaml")
    print(yaml.safe_dump(equal_mix(sys.argv[1], sys.argv[2]), sort_keys=False))
