"""KenLM perplexity annotation with head / middle / tail buckets (scores only; the filter decides)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from pipeline.annotate.language_codes import normalize_languages
from pipeline.document import Document
from pipeline.lm.cutoffs import load_cutoffs
from pipeline.lm.scoring import LanguageModel, bucket_for, resolve_model_files
from pipeline.params import REQUIRED, Param
from pipeline.step import Step, file_key, process_cached


class KenlmPerplexityAnnotator(Step):
    """Writes ``perplexity`` (cc_net's document perplexity under the language's KenLM model) and
    ``perplexity_bucket``.

    - ``models``: ``{lang: model directory or .binary/.arpa file}``, as ``corpus train-lm`` writes.
      A model is loaded the first time a document of its language arrives, once per worker process.
      Documents of other languages, or without a language, get null perplexity and bucket.
    - ``cutoffs``: ``{lang: [low, high]}`` or the path of a ``corpus lm-cutoffs`` JSON file. Perplexity
      below ``low`` is ``head``, below ``high`` ``middle``, else ``tail`` (cc_net's buckets, from the
      33rd/66th percentiles of a sample); without cut-offs for the language the bucket is null.
    - ``language_column``: where the document's language is read (the language annotator's output).
    """

    name: ClassVar[str] = "perplexity"
    outputs: ClassVar[tuple[str, ...]] = ("perplexity", "perplexity_bucket")
    params_spec: ClassVar[dict[str, Param]] = {
        "models": Param("map[str]", REQUIRED, "language -> KenLM model directory or .binary/.arpa file"),
        "cutoffs": Param(
            "map[list[float]]|str",
            None,
            "language -> [head, middle] perplexity cut-offs, or a JSON file",
            "perplexity",
            min=0,
            nullable=True,
            null_means="no buckets",
        ),
        "language_column": Param("str", "language", "column holding the document's language"),
    }

    def __init__(
        self,
        models: Mapping[str, str],
        cutoffs: Mapping[str, list[float]] | str | None = None,
        language_column: str = "language",
    ):
        self.models = {}
        for key, path in dict(models).items():
            # A missing model fails on the driver, not in a task. Keys are normalised to the annotator's
            # labels (zho -> zh, no -> nb + nn); a directory is resolved with the key as written.
            found = str(resolve_model_files(str(path), str(key)).lm)
            for code in normalize_languages([key], f"models[{key!r}]"):
                self.models[code] = str(path) if code == str(key) else found
        # A cut-off file is read here, on the driver: bad values fail before Spark starts, workers
        # need no access to the file, and the manifest records the numbers actually used.
        self.cutoffs_source = str(cutoffs) if isinstance(cutoffs, str | Path) else None
        self.cutoffs = {code: pair for key, pair in load_cutoffs(cutoffs).items()
                        for code in normalize_languages([key], f"cutoffs[{key!r}]")}  # fmt: skip
        self.language_column = language_column

    def _model(self, lang: str | None) -> LanguageModel | None:
        if lang not in self.models:
            return None
        path = self.models[lang]
        return process_cached(("kenlm", *file_key(path), lang), lambda: LanguageModel.load(path, lang))

    def process(self, doc: Document) -> Document:
        lang = doc.get(self.language_column)
        model = self._model(lang)
        text = doc.get("text") or ""
        ppl = model.perplexity(text) if model is not None else None
        doc["perplexity"] = ppl
        doc["perplexity_bucket"] = bucket_for(ppl, self.cutoffs.get(lang))
        return doc
