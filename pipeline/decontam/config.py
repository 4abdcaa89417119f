"""Parameters of the decontamination stage, validated before Spark starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.decontam.index import set_name

MODES = ("remove", "flag")


@dataclass(frozen=True)
class DecontamConfig:
    """Every decontamination knob, with its unit and source.

    - ``eval_sets``: files (``path`` or ``name=path``), plain text or JSONL; see ``pipeline/decontam/index.py``.
    - ``word_ngram`` (13 words): GPT-3's overlap length (Brown et al. 2020, appendix C).
    - ``char_ngram`` (20 characters) for ``char_languages`` (zh, ja): our choice, about 13 Chinese words
      (a word averages about 1.5 characters in segmented Chinese corpora).
    - ``min_ngrams`` (1): a document with at least this many n-grams found in one eval set is contaminated
      by it (GPT-3: any 13-gram).
    - ``mode``: ``remove`` (status=removed, ``removed_reason=eval_overlap:<set>``, detail: the count and the
      first shared n-gram) or ``flag`` (documents stay kept; the hits are written in ``_contamination/``).
    - ``text_fields`` (``[text]``): JSONL fields read as passages.
    - ``max_index_ngrams`` (50,000,000 n-grams, 450 MB broadcast): the index size limit.
    """

    eval_sets: tuple[str, ...] = ()
    word_ngram: int = 13
    char_ngram: int = 20
    char_languages: tuple[str, ...] = ("zh", "ja")
    min_ngrams: int = 1
    mode: str = "remove"
    text_fields: tuple[str, ...] = ("text",)
    max_index_ngrams: int = 50_000_000

    def __post_init__(self) -> None:
        errors = []
        if self.mode not in MODES:
            errors.append(f"decontam.mode={self.mode!r}: valid values are {list(MODES)}")
        for key in ("word_ngram", "char_ngram", "min_ngrams", "max_index_ngrams"):
            if getattr(self, key) < 1:
                errors.append(f"decontam.{key}={getattr(self, key)}: must be >= 1")
        if len(self.eval_sets) > 255:
            errors.append("decontam.eval_sets: at most 255 sets")
        names = []
        for spec in self.eval_sets:
            name, path = set_name(spec)
            names.append(name)
            if not Path(path).is_file():
                errors.append(f"decontam.eval_sets: {path!r} is not a file")
        if len(set(names)) != len(names):
            errors.append(f"decontam.eval_sets: names must differ, got {names} (use name=path)")
        if errors:
            raise ValueError("; ".join(errors))
