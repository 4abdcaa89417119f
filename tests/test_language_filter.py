"""LanguageFilter: exact reason codes and details on literal annotations, and with the real annotator."""

import pyarrow as pa
import pytest

from pipeline.annotate.language import LanguageAnnotator
from pipeline.filters.language import FINEWEB_MIN_SCORE, LanguageFilter
from pipeline.step import run_steps
from schemas.documents import DOCUMENT_SCHEMA, empty_row


def doc(language, score, text="x"):
    row = empty_row()
    row.update(id="d", text=text, status="kept", language=language, language_score=score)
    return row


def test_default_threshold_is_finewebs():
    assert LanguageFilter().min_score == FINEWEB_MIN_SCORE == 0.65


def test_low_score_reason_and_detail():
    out = LanguageFilter().process(doc("en", 0.41))
    assert (out["status"], out["removed_by"]) == ("removed", "language_filter")
    assert (out["removed_reason"], out["removed_detail"]) == ("language_low_score", "score=0.41 < 0.65 (en)")


def test_not_allowed_reason_and_detail():
    out = LanguageFilter(languages=["en", "de"]).process(doc("ru", 0.99))
    assert (out["removed_reason"], out["removed_detail"]) == ("language_not_allowed", "ru")


def test_allowed_and_confident_is_kept():
    out = LanguageFilter(languages=["en", "de"]).process(doc("de", 0.9))
    assert out["status"] == "kept" and out["removed_reason"] is None


def test_no_allow_list_keeps_every_confident_language():
    assert LanguageFilter(languages=None).check(doc("arz", 0.7)) is None


def test_low_score_is_reported_before_not_allowed():
    assert LanguageFilter(languages=["en"]).check(doc("ru", 0.2))[0] == "language_low_score"


def test_per_language_override():
    step = LanguageFilter(min_score=0.65, min_score_by_language={"hr": 0.4})
    assert step.check(doc("hr", 0.45)) is None
    assert step.check(doc("sr", 0.45)) == ("language_low_score", "score=0.45 < 0.65 (sr)")


def test_threshold_equal_score_survives_float32_round_trip():
    stored = pa.array([0.65], DOCUMENT_SCHEMA.field("language_score").type).to_pylist()[0]
    assert stored < 0.65  # what Parquet gives back
    assert LanguageFilter().check(doc("en", stored)) is None


def test_missing_annotation_is_a_bug_not_a_reason():
    with pytest.raises(ValueError, match="language_id"):
        LanguageFilter().check(doc(None, None))


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_threshold_out_of_range_fails_early(bad):
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        LanguageFilter(min_score_by_language={"en": bad})


def test_empty_text_is_removed_as_low_score_after_annotation():
    row = empty_row()
    row.update(id="e", text="", status="kept")
    out = run_steps([LanguageAnnotator(), LanguageFilter(languages=["en"])], [row])[0]
    assert (out["language"], out["language_score"]) == ("unknown", 0.0)
    assert (out["removed_reason"], out["removed_detail"]) == ("language_low_score", "score=0.00 < 0.65 (unknown)")


def test_annotate_then_filter_real_text():
    texts = ["The committee will publish its final report on the new railway line next spring.",
             "Der Ausschuss wird seinen Abschlussbericht zur neuen Bahnstrecke im Frühjahr vorlegen."]  # fmt: skip
    rows = []
    for i, text in enumerate(texts):
        row = empty_row()
        row.update(id=str(i), text=text, status="kept")
        rows.append(row)
    out = run_steps([LanguageAnnotator(), LanguageFilter(languages=["en"])], rows)
    assert [d["status"] for d in out] == ["kept", "removed"]
    assert (out[1]["removed_reason"], out[1]["removed_detail"]) == ("language_not_allowed", "de")
