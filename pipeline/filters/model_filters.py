"""Filters on model scores: perplexity buckets and the quality classifier's score.

They read the columns written by ``KenlmPerplexityAnnotator`` and ``QualityClassifierAnnotator``;
changing a bucket choice or a threshold never requires scoring again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter

BUCKETS = ("head", "middle", "tail")


class PerplexityBucketFilter(Filter):
    """Keeps documents whose ``perplexity_bucket`` is in ``keep`` (cc_net's head / middle / tail).

    - ``keep``: the buckets to keep; default head and middle (CCNet's released corpus drops nothing,
      but Wenzek et al. 2020 show the tail is the noisiest third).
    - ``keep_unscored``: documents without a bucket (no model or cut-offs for their language) are
      kept by default, since a missing model says nothing about the text.
    Reason ``perplexity_bucket``, detail e.g. ``"tail, ppl=1234"``.
    """

    name: ClassVar[str] = "perplexity_filter"
    reasons: ClassVar[tuple[str, ...]] = ("perplexity_bucket",)
    params_spec: ClassVar[dict[str, Param]] = {
        "keep": Param("list[str]", ("head", "middle"), "perplexity buckets kept", choices=BUCKETS),
        "keep_unscored": Param("bool", True, "keep documents without a bucket"),
    }

    def __init__(self, keep: Sequence[str] = ("head", "middle"), keep_unscored: bool = True):
        unknown = sorted(set(keep) - set(BUCKETS))
        if unknown or not keep:
            raise ValueError(f"keep must be a non-empty subset of {list(BUCKETS)}, got {list(keep)}")
        self.keep = [b for b in BUCKETS if b in keep]
        self.keep_unscored = keep_unscored

    def check(self, doc: Document):
        bucket = doc.get("perplexity_bucket")
        if bucket is None:
            return None if self.keep_unscored else ("perplexity_bucket", "unscored")
        if bucket in self.keep:
            return None
        ppl = doc.get("perplexity")
        return "perplexity_bucket", f"{bucket}, ppl={ppl:.0f}" if ppl is not None else bucket


def _doc_seed(seed: int, doc: Document) -> int:
    key = doc.get("id") or doc.get("text") or ""
    return int.from_bytes(hashlib.blake2b(f"{seed}\0{key}".encode(), digest_size=8).digest(), "big")


class QualityThresholdFilter(Filter):
    """Removes documents whose ``quality_score`` is too low.

    - ``mode="threshold"``: remove when ``quality_score < min_score`` (a probability in [0, 1]).
      ``min_score`` is one number, or per language ``{zh: 0.2, en: 0.4, default: 0.5}`` (``default``
      for the others, else 0.5), or the path of a JSON file holding such a mapping: the output of
      ``corpus quality-cutoffs`` (read when the step is built). A classifier's scores are not
      comparable across languages. Two ways to set them: ``corpus quality-cutoffs`` measures, on a
      sample of the crawl, the score under which a given share of each language lies (the same
      share removed in every language; what a classifier trained on reference text vs crawl needs,
      see ``pipeline/lm/quality_cutoffs.py``), and ``corpus train-quality`` reports the threshold that
      keeps 95 % of its held-out positives (``min_score_by_language``; only meaningful when the
      positives are documents like the crawl's good ones: with Wikipedia-like positives it removed
      every real English page of ``bench/real_pages``).
    - ``mode="pareto"``: GPT-3's stochastic rule (Brown et al. 2020, appendix A): keep when
      ``np.random.pareto(alpha) > 1 - quality_score``, with ``alpha=9``, so some low-scoring documents
      survive and the kept set is not only the classifier's idea of good text. The draw is seeded by
      ``seed`` and the document id, so Spark recomputation and reruns decide identically.
    - ``keep_unscored``: documents without a score (other languages) are kept by default.
    Reason ``quality_low_score``, detail e.g. ``"score=0.12<0.50"``.
    """

    name: ClassVar[str] = "quality_filter"
    reasons: ClassVar[tuple[str, ...]] = ("quality_low_score",)
    params_spec: ClassVar[dict[str, Param]] = {
        "min_score": Param(
            "float|map[float]|str",
            0.5,
            "lowest quality score kept (threshold mode); one number, per language {zh: 0.2, default: 0.5}, "
            "or the JSON file of corpus quality-cutoffs",
            "probability",
            min=0,
            max=1,
        ),
        "mode": Param(
            "str", "threshold", "threshold, or GPT-3's stochastic pareto rule", choices=("threshold", "pareto")
        ),
        "alpha": Param("float", 9.0, "pareto shape (GPT-3: 9)", min=0, min_open=True),
        "seed": Param("int", 0, "seed of the pareto draw (with the document id)"),
        "keep_unscored": Param("bool", True, "keep documents without a score"),
    }

    def __init__(
        self,
        min_score: float | Mapping[str, float] = 0.5,
        mode: str = "threshold",
        alpha: float = 9.0,
        seed: int = 0,
        keep_unscored: bool = True,
    ):
        if mode not in ("threshold", "pareto"):
            raise ValueError(f"mode must be 'threshold' or 'pareto', got {mode!r}")
        if isinstance(min_score, str | Path):
            from pipeline.lm.quality_cutoffs import load_min_scores

            self.min_score_source: str | None = str(min_score)
            min_score = load_min_scores(min_score)
        else:
            self.min_score_source = None
        table = dict(min_score) if isinstance(min_score, Mapping) else {"default": min_score}
        for key, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
                raise ValueError(f"min_score[{key!r}] must be a number in [0, 1], got {value!r}")
        if alpha <= 0:
            raise ValueError(f"alpha must be > 0, got {alpha}")
        self.min_score = (
            float(min_score) if not isinstance(min_score, Mapping) else {k: float(v) for k, v in table.items()}
        )
        self._table = {k: float(v) for k, v in table.items()}
        self.mode = mode
        self.alpha = float(alpha)
        self.seed = int(seed)
        self.keep_unscored = keep_unscored

    def cut_for(self, lang: str | None) -> float:
        """The ``min_score`` that applies to a document of language ``lang``."""
        if isinstance(self.min_score, float):
            return self.min_score
        return self.min_score.get(lang, self.min_score.get("default", 0.5))

    def check(self, doc: Document):
        score = doc.get("quality_score")
        if score is None:
            return None if self.keep_unscored else ("quality_low_score", "unscored")
        if self.mode == "threshold":
            cut = self.cut_for(doc.get("language"))
            return None if score >= cut else ("quality_low_score", f"score={score:.3g}<{cut:.3g}")
        draw = float(np.random.default_rng(_doc_seed(self.seed, doc)).pareto(self.alpha))
        if draw > 1.0 - score:
            return None
        return "quality_low_score", f"score={score:.2f}, pareto draw {draw:.3f}<={1.0 - score:.3f}"
