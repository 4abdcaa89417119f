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


class FailFirstAttempt(Step):
    """Fails the first attempt of one Spark task (partition ``partition``), then behaves: to check that
    a retried task leaves no duplicated or lost rows. ``mode``: "raise" (an exception in the step) or
    "exit" (the Python worker process dies). A marker file per failure lets the test see it happened."""

    name = "fail_first_attempt"
    outputs = ("quality_score",)

    def __init__(self, marker_dir: str, mode: str = "raise", partition: int = 1):
        self.marker_dir, self.mode, self.partition = marker_dir, mode, partition

    def process_batch(self, docs):
        import os
        import uuid

        from pyspark import TaskContext

        ctx = TaskContext.get()
        if self.mode != "none" and ctx.partitionId() == self.partition and ctx.attemptNumber() == 0:
            with open(os.path.join(self.marker_dir, f"failed-{uuid.uuid4().hex}"), "w") as fh:
                fh.write(self.mode)
            if self.mode == "exit":
                os._exit(3)
            raise RuntimeError("injected failure on the first attempt")
        for doc in docs:
            doc["quality_score"] = float(len(doc["text"] or ""))
        return docs
