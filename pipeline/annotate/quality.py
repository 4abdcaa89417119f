"""fastText quality score annotation (scores only; ``QualityThresholdFilter`` decides)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pipeline.annotate.language import load_fasttext
from pipeline.annotate.language_codes import normalize_languages
from pipeline.document import Document, is_kept
from pipeline.params import REQUIRED, Param
from pipeline.step import Step, file_key, process_cached


class QualityClassifierAnnotator(Step):
    """Writes ``quality_score``: the probability, in [0, 1], that a document looks like the
    reference text, from a classifier trained by ``corpus train-quality`` (the GPT-3 recipe,
    Brown et al. 2020, appendix A: reference corpora as positives, random crawl as negatives).

    - ``model``: path of the fastText model (``.ftz`` or ``.bin``), loaded once per worker process.
    - ``label``: the positive label the score is the probability of.
    - ``languages``: score only documents in these languages (others get null); None scores all,
      which suits a classifier trained on one language only when the stage already filtered language.
    - ``skip_untrained`` (default true): a document in a language the model had no reference
      (positive) examples of gets null, which ``quality_filter`` keeps, as ``perplexity`` does for a
      language without a KenLM model. The score of an unseen language is noise pushed to "crawl":
      bench/quality_models measured 100 % of clean real German, French, Spanish, Russian, Italian,
      Portuguese, Polish and Dutch documents under 0.5 from an en / zh / ja model. The languages come
      from ``<model>.meta.json`` (``train_by_language``); a model whose examples carried no language
      (``und`` only) or without a meta file scores every language.

    The score is computed from fastText's hidden vector and the output layer kept in
    ``<model>.meta.json`` (``positive_probabilities``): exact in float64, where fastText's ``predict``
    stops at 1e-5 (models trained before the layer was kept fall back to ``predict``).

    Each document is prepared as the model's examples were (``<model>.meta.json``'s ``text``: CJK
    characters as tokens, the document's language as a leading token), so Chinese and Japanese are
    read as text, not as one unknown token per line.
    """

    name: ClassVar[str] = "quality_classifier"
    outputs: ClassVar[tuple[str, ...]] = ("quality_score",)
    params_spec: ClassVar[dict[str, Param]] = {
        "model": Param("str", REQUIRED, "fastText classifier (.ftz or .bin) from corpus train-quality"),
        "label": Param("str", "__label__reference", "positive label whose probability is the score"),
        "languages": Param(
            "list[lang]", None, "score only these languages (others get null)", nullable=True, null_means="all"
        ),
        "language_column": Param("str", "language", "column holding the document's language"),
        "skip_untrained": Param("bool", True, "null score for languages without reference examples in training"),
    }

    def __init__(
        self,
        model: str,
        label: str = "__label__reference",
        languages: Sequence[str] | None = None,
        language_column: str = "language",
        skip_untrained: bool = True,
    ):
        self.model = str(model)
        self.skip_untrained = bool(skip_untrained)
        self.label = label
        self.languages = normalize_languages(languages) if languages else None  # zho/zh, nob/nb ...
        self.language_column = language_column

    def setup(self) -> None:
        from pipeline.lm.quality import load_output_layer, load_text_options, reference_languages

        # keyed by the files' mtime and size too: a model retrained at the same path is loaded again
        self._model = process_cached(("fasttext", *file_key(self.model)), lambda: load_fasttext(self.model))
        # How the model's examples were prepared (unit, language token), from <model>.meta.json.
        meta = file_key(f"{self.model}.meta.json")
        self._text = process_cached(("fasttext-text", *meta), lambda: load_text_options(self.model))
        trained = process_cached(("fasttext-langs", *meta), lambda: reference_languages(self.model))
        self._output = process_cached(("fasttext-output", *meta), lambda: load_output_layer(self.model))
        self._trained = trained if self.skip_untrained and trained else None

    def _wanted(self, doc: Document) -> bool:
        lang = doc.get(self.language_column)
        return (self.languages is None or lang in self.languages) and (self._trained is None or lang in self._trained)

    def process(self, doc: Document) -> Document:
        return self.process_batch([doc])[0]

    def process_batch(self, docs: Sequence[Document]) -> list[Document]:
        from pipeline.lm.quality import classifier_text, positive_probabilities

        self.ensure_setup()
        todo = [d for d in docs if is_kept(d) and self._wanted(d)]
        unit, lang_token = self._text.get("unit", "words"), bool(self._text.get("lang_token"))
        line_token = bool(self._text.get("line_token"))
        texts = [
            classifier_text(d.get("text") or "", d.get(self.language_column), unit, lang_token, line_token=line_token)
            for d in todo
        ]
        scores = positive_probabilities(self._model, texts, self.label, output=self._output)
        for doc, text, score in zip(todo, texts, scores):
            doc["quality_score"] = score if text else None
        for doc in docs:
            if is_kept(doc) and not self._wanted(doc):
                doc["quality_score"] = None
        return list(docs)
