"""Held-out metrics for the model filters: precision / recall at a threshold and ROC AUC."""

from __future__ import annotations

from collections.abc import Sequence


def precision_recall(scores: Sequence[float], truth: Sequence[bool], threshold: float = 0.5) -> dict:
    """Precision, recall and F1 of the positive class when ``score >= threshold`` means positive."""
    tp = sum(1 for s, t in zip(scores, truth) if s >= threshold and t)
    fp = sum(1 for s, t in zip(scores, truth) if s >= threshold and not t)
    fn = sum(1 for s, t in zip(scores, truth) if s < threshold and t)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1, "n": len(truth)}


def roc_auc(scores: Sequence[float], truth: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative, ties counting one half (the Mann-Whitney U statistic over n_pos * n_neg).
    None when one class is absent."""
    pairs = sorted(zip(scores, truth), key=lambda p: p[0])
    n_pos = sum(1 for _s, t in pairs if t)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return None
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid_rank = (i + j + 1) / 2  # average 1-based rank of a run of ties
        rank_sum += mid_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
