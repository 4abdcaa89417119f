"""Quality-score thresholds measured on the crawl (``corpus quality-cutoffs``), on real text."""

from __future__ import annotations

import gzip
import json

import pytest

from pipeline.cli.main import main as corpus
from pipeline.filters.model_filters import QualityThresholdFilter
from pipeline.lm.quality import train_quality_classifier
from pipeline.lm.quality_cutoffs import compute_quality_cutoffs, load_min_scores, lower_quantile
from pipeline.params import validate
from pipeline.step import run_steps

pytest.importorskip("fasttext")


def test_lower_quantile_removes_the_share_asked_for_and_less_on_ties():
    xs = [0.1 * i for i in range(10)]
    assert lower_quantile(xs, 0.3) == pytest.approx(0.3)  # 0.0, 0.1, 0.2 lie below: 3 of 10
    assert lower_quantile(xs, 0.0) == 0.0  # nothing lies below the minimum
    tied = [1e-5] * 6 + [0.2, 0.4, 0.6, 0.8]
    assert sum(x < lower_quantile(tied, 0.3) for x in tied) == 0  # ties at the floor: fewer removed


def test_min_score_file_is_read_when_the_step_is_built(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"drop": 0.3, "min_score": {"en": 0.25, "zh": 0.002, "default": 0.1}}))
    step = QualityThresholdFilter(min_score=str(path))
    assert step.cut_for("zh") == 0.002 and step.cut_for("fr") == 0.1
    assert step.check({"quality_score": 0.001, "language": "zh"}) == ("quality_low_score", "score=0.001<0.002")
    assert step.check({"quality_score": 0.003, "language": "zh"}) is None
    validate(
        "quality_filter", QualityThresholdFilter.params_spec, {"min_score": str(path)}
    )  # declared: a path is valid
    meta = tmp_path / "model.ftz.meta.json"  # a train-quality report works too
    meta.write_text(json.dumps({"min_score_by_language": {"en": 0.4, "default": 0.5}}))
    assert QualityThresholdFilter(min_score=str(meta)).cut_for("en") == 0.4


@pytest.mark.parametrize(
    "content, match",
    [
        (None, "cannot be read as JSON"),
        ("{not json", "cannot be read as JSON"),
        ('{"cutoffs": {}}', "holds no per-language"),
    ],
)
def test_a_bad_min_score_file_is_a_clear_error(tmp_path, content, match):
    path = tmp_path / "q.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError, match=match):
        QualityThresholdFilter(min_score=str(path))


def test_thresholds_out_of_range_in_a_file_are_refused(tmp_path):
    path = tmp_path / "q.json"
    path.write_text('{"min_score": {"en": 2.0}}')
    assert load_min_scores(path) == {"en": 2.0}
    with pytest.raises(ValueError, match="min_score\\['en'\\] must be a number in"):
        QualityThresholdFilter(min_score=str(path))


def _real_sets(shared_data):
    """Reference text (WikiText-2, zh-news) and real web main text (wceb articles, zh-web-extraction),
    the web text split in two by page: one half the classifier's negatives, the other the crawl to filter."""
    lines = (shared_data / "corpora/wikitext-2/valid.txt").read_text(encoding="utf-8").splitlines()
    wiki = [x.strip() for x in lines if len(x.split()) > 40 and not x.strip().startswith("=")]
    with gzip.open(shared_data / "corpora/zh-news/articles.jsonl.gz", "rt", encoding="utf-8") as f:
        news = [json.loads(line)["text"] for _, line in zip(range(300), f)]
    web_en = []
    for path in sorted((shared_data / "pages/wceb/benchmark/ground-truth").glob("*.json"))[:400]:
        text = json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content") or ""
        if len(text) >= 500:
            web_en.append(text)
    web_zh = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((shared_data / "pages/zh-web-extraction/cleaned").glob("*.txt"))
    ]
    web_zh = [t for t in web_zh if len(t) >= 200]
    pos = [(t, "en") for t in wiki[:250]] + [(t, "zh") for t in news[:250]]
    neg = [(t, "en") for t in web_en[0::2]] + [(t, "zh") for t in web_zh[0::2]]
    crawl = [{"text": t, "language": "en"} for t in web_en[1::2]] + [
        {"text": t, "language": "zh"} for t in web_zh[1::2]
    ]
    return pos, neg, crawl


def test_crawl_cutoffs_remove_the_same_share_of_every_language_where_the_reference_threshold_removes_nearly_all(
    shared_data, tmp_path
):
    """The failure this exists for, on real text: a classifier trained on reference text (Wikipedia, news
    transcripts) against real web text; its train-quality thresholds (95 % of held-out reference kept)
    remove most real web main text, in both languages. Crawl cut-offs at drop 0.3 remove about 30 % of
    each language, and the held-out web pages it removes are not all of one language."""
    pos, neg, crawl = _real_sets(shared_data)
    model = tmp_path / "q.ftz"
    report = train_quality_classifier(pos, neg, model, min_examples=1)
    rows = [{"id": str(i), **d, "status": "kept"} for i, d in enumerate(crawl)]
    from pipeline.annotate.quality import QualityClassifierAnnotator

    scored = run_steps([QualityClassifierAnnotator(str(model))], [dict(r) for r in rows])

    def removed_share(min_score, lang):
        flt = QualityThresholdFilter(min_score=min_score)
        docs = [d for d in scored if d["language"] == lang]
        return sum(flt.check(d) is not None for d in docs) / len(docs)

    reference = report["min_score_by_language"]
    assert removed_share(reference, "en") >= 0.8  # the pitfall, measured: most good web text goes

    result = compute_quality_cutoffs(model, rows, drop=0.3)
    for lang in ("en", "zh"):
        assert 0.2 <= result["removed_in_sample"][lang] <= 0.31, result
        assert 0.2 <= removed_share(result["min_score"], lang) <= 0.31
        assert result["min_score"][lang] <= reference[lang]  # never above the model's own threshold
    assert result["sample_sizes"] == {
        "en": sum(d["language"] == "en" for d in crawl),
        "zh": sum(d["language"] == "zh" for d in crawl),
    }

    # The CLI writes the same thresholds, and quality_filter reads the file.
    docs = tmp_path / "crawl.jsonl"
    docs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "cutoffs.json"
    assert (
        corpus(["quality-cutoffs", "--model", str(model), "--input", str(docs), "--drop", "0.3", "--out", str(out)])
        == 0
    )
    written = json.loads(out.read_text())
    assert written["min_score"] == pytest.approx(result["min_score"])
    assert QualityThresholdFilter(min_score=str(out)).cut_for("zh") == pytest.approx(result["min_score"]["zh"])


def test_reference_threshold_caps_the_cut_when_the_crawl_looks_like_the_reference(tmp_path):
    """Documents the model rates like its reference are kept even when they are the crawl's lowest third."""
    good = [
        f"the river {w} flows past the old mill and the village of {w} in the valley" for w in "abcdefghijklmnopqrst"
    ] * 8
    bad = [f"buy cheap {w} now click here free shipping best price deal {w}" for w in "abcdefghijklmnopqrst"] * 8
    model = tmp_path / "toy.ftz"
    train_quality_classifier([(t, "en") for t in good], [(t, "en") for t in bad], model, min_examples=1)
    crawl = [{"id": str(i), "text": t, "language": "en"} for i, t in enumerate(good[:60])]
    capped = compute_quality_cutoffs(model, crawl, drop=0.33)
    plain = compute_quality_cutoffs(model, crawl, drop=0.33, use_reference_threshold=False)
    assert capped["removed_in_sample"]["en"] <= 0.05  # all look like the reference: kept
    assert plain["removed_in_sample"]["en"] >= 0.2  # the crawl quantile alone would cut a third
    with pytest.raises(ValueError, match="drop must be in"):
        compute_quality_cutoffs(model, crawl, drop=1.0)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(SystemExit, match="no documents"):
        corpus(["quality-cutoffs", "--model", str(model), "--input", str(empty), "--out", str(tmp_path / "x.json")])
    with pytest.raises(SystemExit, match="--drop must be in"):
        corpus(
            [
                "quality-cutoffs",
                "--model",
                str(model),
                "--input",
                str(empty),
                "--out",
                str(tmp_path / "x.json"),
                "--drop",
                "1",
            ]
        )


def test_a_model_retrained_at_the_same_path_is_loaded_again(tmp_path):
    """Annotators cache models per process; the cache key holds the file's mtime and size, so scoring
    after retraining in place (a notebook, a test, a reused Spark worker) uses the new model."""
    from pipeline.annotate.quality import QualityClassifierAnnotator

    a = [f"the river {w} flows past the old mill" for w in "abcdefghijklmnopqrst"] * 5
    b = [f"buy cheap {w} now click here free shipping" for w in "abcdefghijklmnopqrst"] * 5
    model = tmp_path / "q.ftz"
    doc = {"id": "1", "text": "the river flows past the old mill", "language": "en", "status": "kept"}
    train_quality_classifier([(t, "en") for t in a], [(t, "en") for t in b], model, min_examples=1)
    first = QualityClassifierAnnotator(str(model)).process(dict(doc))["quality_score"]
    train_quality_classifier([(t, "en") for t in b], [(t, "en") for t in a], model, min_examples=1)  # swapped
    second = QualityClassifierAnnotator(str(model)).process(dict(doc))["quality_score"]
    assert first > 0.5 > second


def test_cli_says_when_ties_keep_it_from_removing_the_share_asked_for(tmp_path, capsys):
    good = [f"the river {w} flows past the old mill and the village" for w in "abcdefghijklmnopqrst"] * 5
    bad = [f"buy cheap {w} now click here free shipping best price" for w in "abcdefghijklmnopqrst"] * 5
    model = tmp_path / "toy.ftz"
    train_quality_classifier([(t, "en") for t in good], [(t, "en") for t in bad], model, min_examples=1)
    crawl = tmp_path / "crawl.jsonl"  # 40 copies of one page: every score ties
    crawl.write_text("".join(json.dumps({"text": bad[0], "language": "en"}) + "\n" for _ in range(40)))
    out = tmp_path / "c.json"
    args = ["quality-cutoffs", "--model", str(model), "--input", str(crawl), "--out", str(out), "--drop", "0.3"]
    assert corpus([*args, "--ignore-reference-threshold"]) == 0
    printed = capsys.readouterr().out
    assert "en: min_score" in printed and "removes 0.0% of the 40 sampled documents" in printed
    assert "under half of --drop is removed" in printed
    assert json.loads(out.read_text())["removed_in_sample"] == {"en": 0.0}


def test_max_files_reads_a_seeded_random_subset_of_a_stage_outputs_shards(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.lm.sources import iter_documents

    stage = tmp_path / "filter" / "status=kept"
    stage.mkdir(parents=True)
    for f in range(10):
        rows = [{"id": f"{f}-{i}", "text": f"document {i} of shard {f}", "language": "en"} for i in range(4)]
        pq.write_table(pa.Table.from_pylist(rows), stage / f"part-{f:05d}.parquet")
    every = list(iter_documents(tmp_path / "filter"))
    some = list(iter_documents(tmp_path / "filter", max_files=3, seed=1))
    assert len(every) == 40 and len(some) == 12
    assert len({r["id"].split("-")[0] for r in some}) == 3
    assert some == list(iter_documents(tmp_path / "filter", max_files=3, seed=1))  # seeded
    assert {r["status"] for r in some} == {"kept"}
    with pytest.raises(SystemExit, match="--max-files must be >= 1"):
        corpus(["lm-cutoffs", "--model", "en=x", "--input", str(tmp_path), "--out", "o", "--max-files", "0"])


def test_scores_are_exact_below_fasttexts_floor_and_equal_to_predict_above_it(shared_data, tmp_path):
    """fastText's predict returns p + 1e-5 in float32: documents a model is sure about all score 1e-5.
    The annotator computes the softmax itself from the kept output layer: the same values where predict
    can tell them apart, and an order below its floor. Real case: reference text vs real web text."""
    import fasttext

    from pipeline.annotate.quality import QualityClassifierAnnotator
    from pipeline.lm.quality import classifier_text, load_output_layer, positive_probabilities

    pos, neg, crawl = _real_sets(shared_data)
    model = tmp_path / "q.ftz"
    train_quality_classifier(pos, neg, model, min_examples=1)
    output = load_output_layer(model)
    assert set(output["labels"]) == {"__label__reference", "__label__crawl"} and len(output["rows"]) == 2
    rows = [{"id": str(i), **d, "status": "kept"} for i, d in enumerate(crawl)]
    scores = [r["quality_score"] for r in QualityClassifierAnnotator(str(model)).process_batch(rows)]
    texts = [classifier_text(d["text"], d["language"], "chars", True, line_token=True) for d in crawl]
    predicted = positive_probabilities(fasttext.load_model(str(model)), texts)  # predict: the old way
    assert all(abs(p - (s + 1e-5)) < 1e-4 for p, s in zip(predicted, scores))
    floor = [i for i, p in enumerate(predicted) if p < 1.00001e-5]
    assert len(floor) >= 10 and len({predicted[i] for i in floor}) < len(floor) / 2  # predict: mostly ties
    assert len({scores[i] for i in floor}) == len(floor)  # exact scores: every one its own
