"""Seeded reservoir samples per language, for the cut-off commands (``lm-cutoffs``, ``quality-cutoffs``)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def reservoir_by_language(
    items: Iterable[tuple[str, T]], per_language: int, seed: int = 0, languages: Iterable[str] | None = None
) -> dict[str, list[T]]:
    """Up to ``per_language`` of the ``(language, item)`` pairs of each language, uniformly drawn in one pass.

    One random stream serves every language, so a sample depends on the seed and on the order of the
    items. ``languages``: only these, each present in the result (an empty list when none was seen);
    otherwise every language seen.
    """
    rng = random.Random(seed)
    wanted = None if languages is None else set(languages)
    samples: dict[str, list[T]] = {lang: [] for lang in wanted} if wanted is not None else {}
    seen: dict[str, int] = {}
    for lang, item in items:
        if wanted is not None and lang not in wanted:
            continue
        seen[lang] = seen.get(lang, 0) + 1
        bucket = samples.setdefault(lang, [])
        if len(bucket) < per_language:
            bucket.append(item)
        else:
            slot = rng.randrange(seen[lang])
            if slot < per_language:
                bucket[slot] = item
    return samples
