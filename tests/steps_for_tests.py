"""Small importable steps for engine tests (Spark workers must be able to unpickle them)."""

from pipeline.step import Filter, Step


class TitleCase(Step):
    name = "title_case"
    outputs = ("text", "n_chars")

    def process(self, doc):
        doc["text"] = doc["text"].title()
        doc["n_chars"] = len(doc["text"])
        return doc


class MinChars(Filter):
    name = "min_chars"
    reasons = ("too_short",)

    def __init__(self, min_chars: int):
        self.min_chars = min_chars

    def check(self, doc):
        n = len(doc["text"] or "")
        return ("too_short", f"chars={n} < {self.min_chars}") if n < self.min_chars else None


class ScoreLength(Step):
    name = "score_length"
    outputs = ("quality_score",)

    def process_batch(self, docs):
        # vectorised path: one call for the batch, including removed docs' scores untouched
        for d in docs:
            if d["status"] == "kept":
                d["quality_score"] = min(1.0, len(d["text"]) / 100.0)
        return docs
