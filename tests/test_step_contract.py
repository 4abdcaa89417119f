"""The Step / Filter contract: first removal wins, reasons are declared, nothing disappears."""

import pickle

import pytest

from pipeline.document import batch_to_rows, rows_to_batch
from pipeline.step import Filter, Step, check_unique_names, process_cached, run_steps
from schemas.documents import empty_row


class Upper(Step):
    name = "upper"
    outputs = ("text",)

    def process(self, doc):
        doc["text"] = doc["text"].upper()
        return doc


class MinLength(Filter):
    name = "min_length"
    reasons = ("too_short",)

    def __init__(self, min_chars: int):
        self.min_chars = min_chars

    def check(self, doc):
        n = len(doc["text"])
        return ("too_short", f"chars={n} < {self.min_chars}") if n < self.min_chars else None


class Liar(Filter):
    name = "liar"
    reasons = ("declared",)

    def check(self, doc):
        return "undeclared"


def doc(i, text):
    row = empty_row()
    row.update(id=str(i), text=text, status="kept")
    return row


def test_first_removal_wins_and_removed_docs_are_skipped():
    docs = [doc(1, "short"), doc(2, "long enough text")]
    out = run_steps([MinLength(8), Upper(), MinLength(100)], docs)
    assert [d["status"] for d in out] == ["removed", "removed"]
    assert out[0]["removed_by"] == "min_length" and out[0]["removed_detail"] == "chars=5 < 8"
    assert out[0]["text"] == "short"  # a removed document is not transformed further
    assert out[1]["text"] == "LONG ENOUGH TEXT" and out[1]["removed_detail"] == "chars=16 < 100"


def test_undeclared_reason_is_a_bug():
    with pytest.raises(ValueError, match="undeclared"):
        run_steps([Liar()], [doc(1, "x")])


def test_steps_must_not_drop_rows():
    class Dropper(Step):
        name = "dropper"

        def process_batch(self, docs):
            return docs[:-1]

    with pytest.raises(RuntimeError, match="must not drop rows"):
        run_steps([Dropper()], [doc(1, "a"), doc(2, "b")])


def test_params_and_pickle_leave_loaded_state_behind():
    f = MinLength(7)
    f._model = object()  # a loaded resource must not travel to workers
    clone = pickle.loads(pickle.dumps(f))
    assert clone.params() == {"min_chars": 7}
    assert not hasattr(clone, "_model")
    assert f.describe() == {"name": "min_length", "class": "MinLength", "params": {"min_chars": 7}}


def test_process_cached_builds_once():
    calls = []
    for _ in range(3):
        process_cached(("test", 1), lambda: calls.append(1) or len(calls))
    assert calls == [1]


def test_unique_step_names():
    with pytest.raises(ValueError, match="min_length"):
        check_unique_names([MinLength(1), MinLength(2)])


def test_arrow_round_trip_keeps_every_value():
    docs = [doc(1, "héllo 你好"), doc(2, "")]
    docs[0]["language_score"] = 0.5
    assert batch_to_rows(rows_to_batch(docs)) == docs
