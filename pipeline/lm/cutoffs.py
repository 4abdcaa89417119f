"""Per-language perplexity cut-offs for the head / middle / tail buckets (``corpus lm-cutoffs``).

cc_net splits each language into three parts by perplexity percentiles measured on a sample of
that language's documents, because perplexities of different languages' models are not
comparable (a Finnish model is more perplexed by good Finnish than an English one by good English).
The paper describes even thirds (head/middle/tail); the default here is the 33rd and 66th percentiles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from pipeline.lm.sampling import reservoir_by_language
from pipeline.lm.scoring import LanguageModel

DEFAULT_PERCENTILES = (33.0, 66.0)


def _check_percentiles(percentiles) -> tuple[float, float]:
    low, high = (float(p) for p in percentiles)
    if not 0 < low < high < 100:
        raise ValueError(f"percentiles must satisfy 0 < low < high < 100, got {percentiles}")
    return low, high


def sample_by_language(docs: Iterable[Mapping], languages: Iterable[str], per_language: int, seed: int = 0):
    """A seeded reservoir sample of up to ``per_language`` texts for each wanted language."""
    pairs = ((doc.get("language"), doc.get("text")) for doc in docs if doc.get("text"))
    return reservoir_by_language(pairs, per_language, seed, languages)


def compute_cutoffs(
    models: Mapping[str, str | Path],
    docs: Iterable[Mapping],
    percentiles: tuple[float, float] = DEFAULT_PERCENTILES,
    per_language: int = 5000,
    seed: int = 0,
) -> dict:
    """Score a sample of ``docs`` (dicts with ``text`` and ``language``) and return the cut-offs.

    Returns ``{"percentiles": [..], "cutoffs": {lang: [low, high]}, "sample_sizes": {lang: n}}``;
    a language without scored documents gets no cut-offs (its documents stay unbucketed).
    """
    low, high = _check_percentiles(percentiles)
    samples = sample_by_language(docs, models, per_language, seed)
    cutoffs, sizes = {}, {}
    for lang in sorted(models):
        model = LanguageModel.load(models[lang], lang)
        values = [p for p in (model.perplexity(t) for t in samples[lang]) if p is not None]
        sizes[lang] = len(values)
        if values:
            cuts = np.percentile(np.asarray(values, dtype=np.float64), [low, high])
            cutoffs[lang] = [round(float(c), 1) for c in cuts]
    return {"percentiles": [low, high], "cutoffs": cutoffs, "sample_sizes": sizes}


def write_cutoffs(result: Mapping, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)
    return path


def load_cutoffs(source: str | Path | Mapping | None) -> dict[str, list[float]]:
    """Cut-offs from a JSON file or a mapping: either ``compute_cutoffs``'s result or ``{lang: [low, high]}``."""
    if source is None:
        return {}
    data = json.loads(Path(source).read_text()) if isinstance(source, str | Path) else dict(source)
    table = data.get("cutoffs", data) if isinstance(data.get("cutoffs"), Mapping) else data
    out = {}
    for lang, pair in table.items():
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not float(pair[0]) <= float(pair[1]):
            raise ValueError(f"cut-offs for {lang!r} must be [low, high] with low <= high, got {pair!r}")
        out[lang] = [float(pair[0]), float(pair[1])]
    return out
