"""Scores for extracted text against the real pages' ground truth.

* wceb, as its benchmark's runner (``scripts/03_run_benchmark.py`` of web-content-extraction-benchmark)
  checks snippets: a snippet is found when it occurs, lower-cased, in the lower-cased extracted text;
  per page the share of ``with`` snippets found (higher is better) and of ``without`` snippets found
  (lower is better), a page without snippets counting 1.0; both averaged over pages. The main text is
  scored with the 4-gram shingle precision/recall/F1 of the Zyte benchmark (which the wceb release README
  says it follows), ``bench/extract_quality/run.py``'s implementation.
* zh-web-extraction: character-level F1 of the non-space characters (multisets), per page, averaged.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from statistics import mean

_EXTRACT_QUALITY = Path(__file__).resolve().parents[1] / "extract_quality"
sys.path.insert(0, str(_EXTRACT_QUALITY))  # its run.py imports its zyte.py
_spec = importlib.util.spec_from_file_location("extract_quality_run", _EXTRACT_QUALITY / "run.py")
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
shingle_score = _module.score
extract_quality_run = _module  # its ours(): the Zyte pages through WarcExtractor


def snippet_share(text: str, snippets: list[str]) -> float:
    if not snippets:
        return 1.0
    lowered = (text or "").lower()
    return sum(snippet.lower() in lowered for snippet in snippets) / len(snippets)


def wceb_scores(truth: dict[str, dict], predicted: dict[str, str]) -> dict[str, float]:
    shingles = shingle_score({k: {"articleBody": t["main_content"]} for k, t in truth.items()}, predicted)
    return {
        "with": mean(snippet_share(predicted.get(k, ""), t.get("with") or []) for k, t in truth.items()),
        "without": mean(snippet_share(predicted.get(k, ""), t.get("without") or []) for k, t in truth.items()),
        **shingles,
        "empty": sum(not (predicted.get(k) or "").strip() for k in truth),
    }


def char_f1(truth: str, predicted: str) -> float:
    expected = Counter(c for c in truth if not c.isspace())
    got = Counter(c for c in (predicted or "") if not c.isspace())
    common = sum((expected & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(expected.values())
    return 2 * precision * recall / (precision + recall)
