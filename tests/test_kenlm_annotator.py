"""The perplexity annotator and bucket filter, on KenLM's own test model (no training needed)."""

from __future__ import annotations

import json
import pickle

import pyarrow.parquet as pq
import pytest

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator
from pipeline.document import batch_to_rows
from pipeline.engines.local import apply_steps_to_table
from pipeline.filters.model_filters import PerplexityBucketFilter
from pipeline.step import _CACHE, run_steps
from schemas.documents import empty_row, rows_to_table
from tests.conftest import shared_path

pytest.importorskip("kenlm")

SENTENCE = "looking on a little the biarritz not_found more ."  # perplexity 1235.0 under test.arpa
FLUENT = "looking on a little more loin"  # perplexity 1.7


def doc(i: int, text: str, language: str | None = "en") -> dict:
    row = empty_row()
    row.update(id=f"d{i}", text=text, language=language, status="kept")
    return row


@pytest.fixture(scope="module")
def arpa():
    return str(shared_path("kenlm", "test.arpa"))


def test_scores_buckets_and_filters(arpa):
    steps = [
        KenlmPerplexityAnnotator({"en": arpa}, cutoffs={"en": [10.0, 1000.0]}),
        PerplexityBucketFilter(keep=["head", "middle"]),
    ]
    docs = [doc(0, FLUENT), doc(1, SENTENCE), doc(2, SENTENCE, "fr"), doc(3, SENTENCE, None), doc(4, "\n\n")]
    out = run_steps(steps, docs)
    assert [d["perplexity"] for d in out] == [1.7, 1235.0, None, None, None]
    assert [d["perplexity_bucket"] for d in out] == ["head", "tail", None, None, None]
    assert [d["status"] for d in out] == ["kept", "removed", "kept", "kept", "kept"]
    assert (out[1]["removed_by"], out[1]["removed_reason"], out[1]["removed_detail"]) == (
        "perplexity_filter",
        "perplexity_bucket",
        "tail, ppl=1235",
    )


def test_no_cutoffs_means_score_without_bucket(arpa):
    out = run_steps([KenlmPerplexityAnnotator({"en": arpa})], [doc(0, SENTENCE)])
    assert (out[0]["perplexity"], out[0]["perplexity_bucket"]) == (1235.0, None)


def test_filter_can_drop_unscored_and_keep_only_head():
    strict = PerplexityBucketFilter(keep=["head"], keep_unscored=False)
    middle = {**doc(0, "x"), "perplexity": 400.0, "perplexity_bucket": "middle"}
    assert strict.check(middle) == ("perplexity_bucket", "middle, ppl=400")
    assert strict.check(doc(1, "x")) == ("perplexity_bucket", "unscored")
    assert strict.check({**doc(2, "x"), "perplexity": 3.0, "perplexity_bucket": "head"}) is None
    with pytest.raises(ValueError, match="subset"):
        PerplexityBucketFilter(keep=["top"])


def test_cutoffs_from_json_file_are_read_on_the_driver(arpa, tmp_path):
    path = tmp_path / "cutoffs.json"
    path.write_text(json.dumps({"percentiles": [33, 66], "cutoffs": {"en": [2.0, 50.0]}, "sample_sizes": {"en": 9}}))
    step = KenlmPerplexityAnnotator({"en": arpa}, cutoffs=str(path))
    assert step.params()["cutoffs"] == {"en": [2.0, 50.0]}
    path.unlink()  # workers never need the file
    clone = pickle.loads(pickle.dumps(step))
    assert run_steps([clone], [doc(0, FLUENT)])[0]["perplexity_bucket"] == "head"


def test_bad_configuration_fails_at_construction(arpa, tmp_path):
    with pytest.raises(ValueError, match="low <= high"):
        KenlmPerplexityAnnotator({"en": arpa}, cutoffs={"en": [500.0, 100.0]})
    with pytest.raises(FileNotFoundError):
        KenlmPerplexityAnnotator({"en": str(tmp_path / "missing")})


def test_models_load_lazily_once_per_process(arpa):
    step = KenlmPerplexityAnnotator({"en": arpa, "de": arpa})
    run_steps([step], [doc(0, FLUENT), doc(1, SENTENCE)])
    loaded = [key for key in _CACHE if key[0] == "kenlm" and key[1] == arpa]
    assert [k[-1] for k in loaded] == ["en"]  # ("kenlm", path, mtime, size, lang): de was never needed
    # A pickled copy (what a Spark worker gets) finds the model already in this process's cache.
    clone = pickle.loads(pickle.dumps(step))
    assert clone._model("en") is step._model("en")


@pytest.mark.spark
def test_spark_and_python_engines_agree(spark, arpa, tmp_path):
    from pipeline.engines.spark import apply_steps, to_spark_schema

    steps = [KenlmPerplexityAnnotator({"en": arpa}, cutoffs={"en": [10.0, 1000.0]}), PerplexityBucketFilter()]
    docs = [doc(i, [FLUENT, SENTENCE, FLUENT + "\n" + SENTENCE][i % 3], ["en", "de"][i % 5 == 4]) for i in range(30)]
    expected = batch_to_rows(apply_steps_to_table(rows_to_table(docs), steps))
    pq.write_table(rows_to_table(docs), tmp_path / "part-0.parquet")
    df = spark.read.schema(to_spark_schema()).parquet(str(tmp_path))
    got = sorted(batch_to_rows(apply_steps(df.repartition(2), steps).toArrow()), key=lambda r: r["id"])
    assert got == sorted(expected, key=lambda r: r["id"])
    assert {r["removed_reason"] for r in got} == {None, "perplexity_bucket"}


def test_model_keys_use_the_annotators_codes(arpa):
    step = KenlmPerplexityAnnotator({"eng": arpa, "nor": arpa}, cutoffs={"zho": [1.0, 2.0]})
    assert sorted(step.models) == ["en", "nb", "nn"] and step.cutoffs == {"zh": [1.0, 2.0]}
    with pytest.raises(ValueError, match="models\\['english'\\]: unknown language code"):
        KenlmPerplexityAnnotator({"english": arpa})
