"""Keep documents by language and by the language annotator's confidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from pipeline.annotate.language_codes import normalize_languages
from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter

# FineWeb keeps documents whose fastText lid.176 probability for the language is >= 0.65
# (Penedo et al. 2024, "The FineWeb Datasets", base filtering; also datatrove's LanguageFilter default).
FINEWEB_MIN_SCORE = 0.65
# language_score is stored as float32: 0.65 reads back as 0.6499999762. Compare with this slack so a
# score equal to the threshold passes after a round trip through Parquet.
_FLOAT32_SLACK = 1e-6


class LanguageFilter(Filter):
    """Removes documents whose language is uncertain or not wanted.

    Reads ``language`` / ``language_score`` written by ``LanguageAnnotator`` (step ``language_id``).

    - ``min_score``: minimum language probability, unit [0, 1], default 0.65 (FineWeb's threshold,
      see ``FINEWEB_MIN_SCORE``). ``min_score_by_language`` overrides it per language code, e.g.
      ``{"en": 0.65, "hr": 0.4}`` for languages that lid.176 splits with close neighbours and so
      scores lower. Failing it gives ``language_low_score`` with detail ``"score=0.41 < 0.65 (en)"``.
      The annotator's ``"unknown"`` (no letters to judge) has score 0 and always fails it
      (unless a threshold is 0).
    Language codes may be written in any ISO 639 form (``zho`` or ``zh``, ``nob`` or ``nb``; ``no``
    means ``nb`` + ``nn``, ``sh`` means ``sh`` + ``hr`` + ``bs`` + ``sr``): see ``language_codes``. A code the
    annotator can never emit is a configuration error.

    - ``languages``: allow-list of codes (``None`` keeps every language). A confident document of
      another language gives ``language_not_allowed`` with the code as detail. The score is checked
      first: an uncertain label is no ground to call the text a foreign language.
    """

    name: ClassVar[str] = "language_filter"
    reasons: ClassVar[tuple[str, ...]] = ("language_low_score", "language_not_allowed")
    params_spec: ClassVar[dict[str, Param]] = {
        "languages": Param("list[lang]", None, "allowed language codes", nullable=True, null_means="every language"),
        "min_score": Param("float", FINEWEB_MIN_SCORE, "lowest language probability kept", "probability", min=0, max=1),
        "min_score_by_language": Param(
            "map[float]", None, "min_score per language code", "probability", min=0, max=1, nullable=True
        ),
    }

    def __init__(
        self,
        languages: Sequence[str] | None = None,
        min_score: float = FINEWEB_MIN_SCORE,
        min_score_by_language: Mapping[str, float] | None = None,
    ):
        # Codes in any spelling (zho/zh, nob/nb, no -> nb+nn), normalised here so that a bad one fails
        # before Spark starts and the allow-list compares with the annotator's labels.
        self.languages = sorted(normalize_languages(languages)) if languages is not None else None
        self.min_score = float(min_score)
        self.min_score_by_language = {
            code: float(v)
            for k, v in dict(min_score_by_language or {}).items()
            for code in normalize_languages([k], f"min_score_by_language[{k!r}]")
        }
        for key, value in [("min_score", self.min_score), *self.min_score_by_language.items()]:
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"language score threshold for {key!r} must be in [0, 1], got {value}")

    def threshold(self, language: str) -> float:
        return self.min_score_by_language.get(language, self.min_score)

    def check(self, doc: Document) -> tuple[str, str] | None:
        language, score = doc.get("language"), doc.get("language_score")
        if language is None or score is None:
            # A missing annotation is a recipe bug (annotator not run first), not a property of the text.
            raise ValueError(f"document {doc.get('id')!r} has no language annotation; run language_id first")
        needed = self.threshold(language)
        if score < needed - _FLOAT32_SLACK:
            return "language_low_score", f"score={score:.2f} < {needed:.2f} ({language})"
        if self.languages is not None and language not in self.languages:
            return "language_not_allowed", language
        return None
