"""Model filters on text without spaces (issue #14): real fastText and KenLM trained on small real text."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from pipeline.lm.metrics import roc_auc
from pipeline.lm.quality import MIN_EXAMPLES_PER_CLASS, classifier_text, train_quality_classifier
from pipeline.lm.units import cjk_chars, segmented_words, split_units
from tests.conftest import shared_path

pytest.importorskip("fasttext")

ZH = "中共中央政治局常务委员会召开会议，听取新冠肺炎疫情防控工作汇报。"
JA = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"


def zh_sentences(limit: int) -> list[str]:
    with gzip.open(shared_path("corpora", "zh-news", "articles.jsonl.gz"), "rt", encoding="utf-8") as fh:
        out = []
        for line in fh:
            for part in json.loads(line)["text"].split("\n")[1:]:
                out += [s + "。" for s in part.split("。") if len(s) >= 15]
            if len(out) >= limit:
                return out[:limit]
    return out


def en_paragraphs(limit: int) -> list[str]:
    lines = shared_path("corpora", "wikitext-2", "valid.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if len(x.split()) > 20 and not x.strip().startswith("=")][:limit]


def shuffled(text: str, rng: random.Random, words) -> str:
    toks = words(text)
    rng.shuffle(toks)
    return (" " if " " in text else "").join(toks)


def test_text_without_spaces_yields_many_tokens():
    assert len(ZH.split()) == 1 and len(cjk_chars(ZH)) == len(ZH)
    assert cjk_chars("GDP增长5.2% in 2023") == ["GDP", "增", "长", "5.2%", "in", "2023"]
    assert len(classifier_text(JA).split()) == len(JA)
    assert classifier_text(ZH, "zh", lang_token=True).split()[:3] == ["__lang__zh", "中", "共"]
    words = segmented_words(ZH, "zh")
    assert 10 <= len(words) < len(ZH) and "召开" in words
    assert 10 <= len(segmented_words(JA, "ja")) < len(JA)
    assert split_units("plain English words", "chars") == ["plain", "English", "words"]


@pytest.fixture(scope="module")
def mixed_model(tmp_path_factory):
    """One model on mixed zh + en data: real sentences vs their word-shuffled copies."""
    import jieba

    rng = random.Random(0)
    zh, en = zh_sentences(400), en_paragraphs(300)
    pos = [(t, "zh") for t in zh] + [(t, "en") for t in en]
    neg = [(shuffled(t, rng, jieba.lcut), "zh") for t in zh] + [(shuffled(t, rng, str.split), "en") for t in en]
    root = tmp_path_factory.mktemp("mixed")
    report = train_quality_classifier(pos, neg, root / "q.bin", heldout_fraction=0.25, quantize=False, epoch=25)
    return root, report


def test_mixed_language_model_separates_chinese_good_from_bad(mixed_model):
    _root, report = mixed_model
    zh = report["metrics_by_language"]["zh"]
    assert zh["positives"] > 50 and zh["negatives"] > 50
    assert zh["auc"] >= 0.85 and zh["precision"] >= 0.75, zh
    assert report["metrics_by_language"]["en"]["auc"] >= 0.85
    assert set(report["min_score_by_language"]) == {"en", "zh", "default"}
    assert all(c["positive"] == c["negative"] for c in report["train_by_language"].values())  # balanced per language
    assert report["text"]["unit"] == "chars" and report["text"]["lang_token"] is True


def test_whitespace_tokens_learn_nothing_about_chinese(tmp_path):
    """The pre-#14 behaviour, for contrast: split on spaces only, held-out Chinese is a coin toss."""
    rng = random.Random(1)
    zh = zh_sentences(300)
    pos, neg = [(t, "zh") for t in zh], [(shuffled(t, rng, list), "zh") for t in zh]
    report = train_quality_classifier(
        pos, neg, tmp_path / "w.bin", heldout_fraction=0.25, unit="words", lang_token=False, quantize=False, epoch=5
    )
    assert abs(report["metrics_by_language"]["zh"]["auc"] - 0.5) < 0.1


def test_annotator_uses_the_models_text_options(mixed_model):
    from pipeline.annotate.quality import QualityClassifierAnnotator
    from pipeline.step import run_steps
    from schemas.documents import empty_row

    root, _ = mixed_model
    rng = random.Random(2)
    good = zh_sentences(460)[430:460]
    docs = []
    for i, text in enumerate(good + [shuffled(t, rng, list) for t in good]):
        row = empty_row()
        row.update(id=str(i), text=text, language="zh", status="kept")
        docs.append(row)
    out = run_steps([QualityClassifierAnnotator(str(root / "q.bin"))], docs)
    scores = [d["quality_score"] for d in out]
    assert roc_auc(scores, [True] * 30 + [False] * 30) >= 0.8


def test_languages_without_reference_examples_are_not_scored(mixed_model, tmp_path):
    """A model trained on en + zh has no idea of German: its score there would remove clean text
    (bench/quality_models: 100 % of clean de/fr/... documents under 0.5), so it writes null and
    quality_filter keeps the document, as perplexity does for a language without a KenLM model."""
    from pipeline.annotate.quality import QualityClassifierAnnotator
    from pipeline.filters.model_filters import QualityThresholdFilter
    from pipeline.lm.quality import reference_languages
    from pipeline.step import run_steps
    from schemas.documents import empty_row

    root, _ = mixed_model
    assert reference_languages(root / "q.bin") == {"en", "zh"}
    texts = {"de": "Diese Transportmethode ermöglicht die Verwendung von Depots über HTTPS.", "en": en_paragraphs(1)[0]}

    def rows():
        out = []
        for lang, text in texts.items():
            row = empty_row()
            row.update(id=lang, text=text, language=lang, status="kept")
            out.append(row)
        return out

    out = run_steps([QualityClassifierAnnotator(str(root / "q.bin")), QualityThresholdFilter(1.0)], rows())
    assert out[0]["quality_score"] is None and out[0]["status"] == "kept"
    assert out[1]["quality_score"] is not None and out[1]["status"] == "removed"  # en is scored (cut 1.0)
    scored = run_steps([QualityClassifierAnnotator(str(root / "q.bin"), skip_untrained=False)], rows())
    assert scored[0]["quality_score"] is not None
    # A model whose examples carried no language (``und``), or without meta.json, scores every language.
    meta = json.loads((root / "q.bin.meta.json").read_text())
    (tmp_path / "u.bin.meta.json").write_text(json.dumps({**meta, "train_by_language": {"und": {"positive": 5}}}))
    assert reference_languages(tmp_path / "u.bin") is None and reference_languages(tmp_path / "none.bin") is None


def _cli(args) -> int:
    from pipeline.cli.main import main

    return main(["train-quality", *args])


def test_train_quality_refuses_ambiguous_text_and_too_few_examples(tmp_path, capsys):
    pos, neg = tmp_path / "pos.txt", tmp_path / "neg.txt"
    pos.write_text("\n".join(en_paragraphs(200)) + "\n", encoding="utf-8")
    rng = random.Random(0)
    neg.write_text("\n".join(shuffled(p, rng, str.split) for p in en_paragraphs(200)) + "\n", encoding="utf-8")
    base = ["--positive", str(pos), "--negative", str(neg), "--out", str(tmp_path / "q.ftz")]
    assert _cli(base) == 2
    err = capsys.readouterr().err
    assert "--format lines or --format docs" in err and not (tmp_path / "q.ftz").exists()
    # The bug: two 200-line files read as documents are 1 example each; refused, not trained.
    assert _cli([*base, "--format", "docs"]) == 2
    captured = capsys.readouterr()
    assert "as docs: 1 examples" in captured.out
    assert f"1 positive examples; at least {MIN_EXAMPLES_PER_CLASS} per class" in captured.err
    assert _cli([*base, "--format", "lines", "--lang", "en", "--no-quantize", "--epoch", "5"]) == 0
    out = capsys.readouterr().out
    assert "as lines: 200 examples (en 200)" in out
    assert "ROC AUC" in out and "min_score" in out and "\n      en " in out


def test_balance_is_per_language():
    from pipeline.lm.quality import _balance

    pos = [(f"zh{i}", "zh") for i in range(300)] + [(f"de{i}", "de") for i in range(5)] + [("x", "la")]
    neg = [(f"zh{i}", "zh") for i in range(10)] + [(f"de{i}", "de") for i in range(40)]
    kept_pos, kept_neg = _balance(pos, neg, random.Random(0))
    count = {
        lang: [sum(g == lang for _t, g in kept_pos), sum(g == lang for _t, g in kept_neg)]
        for lang in ("zh", "de", "la")
    }
    assert count == {"zh": [10, 10], "de": [5, 5], "la": [1, 0]}


def test_quality_filter_per_language_thresholds_survive_pickling():
    import pickle

    from pipeline.filters.model_filters import QualityThresholdFilter

    step = pickle.loads(pickle.dumps(QualityThresholdFilter(min_score={"zh": 0.1, "en": 0.6, "default": 0.3})))
    assert step.check({"quality_score": 0.2, "language": "zh"}) is None
    assert step.check({"quality_score": 0.5, "language": "en"}) == ("quality_low_score", "score=0.5<0.6")
    assert step.check({"quality_score": 0.25, "language": "fr"}) == ("quality_low_score", "score=0.25<0.3")
    assert step.params()["min_score"] == {"zh": 0.1, "en": 0.6, "default": 0.3}
    with pytest.raises(ValueError, match=r"min_score\['zh'\]"):
        QualityThresholdFilter(min_score={"zh": 1.5})


def test_txt_directory_names_languages_and_formats_are_reported(tmp_path):
    from pipeline.lm.sources import AmbiguousFormat, read_examples

    (tmp_path / "zh.txt").write_text(f"{ZH}\n{ZH}\n\n{ZH}\n", encoding="utf-8")
    (tmp_path / "ja.txt").write_text(f"{JA}\n", encoding="utf-8")
    rows, summary = read_examples([tmp_path], "docs")
    assert [lang for _t, lang in rows] == ["ja", "zh", "zh"]
    assert summary == [{"path": str(tmp_path), "format": "docs", "examples": 3, "languages": {"ja": 1, "zh": 2}}]
    with pytest.raises(AmbiguousFormat, match="--format docs or --format lines"):
        read_examples([tmp_path])
    (tmp_path / "x.jsonl").write_text(json.dumps({"text": ZH}) + "\n", encoding="utf-8")
    rows, summary = read_examples([tmp_path / "x.jsonl"], "lines")
    assert summary[0]["format"] == "jsonl" and rows == [(ZH, "zh")]  # language guessed by lid.176


def test_train_quality_char_ngrams_take_effect_and_bad_values_are_refused(tmp_path, capsys):
    """``--char-ngrams MIN MAX`` reaches fastText: an unseen word gets a vector from its character
    n-grams (zero without them), the meta records minn/maxn; MIN > MAX fails before any input is read."""
    import fasttext

    rng = random.Random(0)
    paras = en_paragraphs(200)
    pos, neg = tmp_path / "pos.txt", tmp_path / "neg.txt"
    pos.write_text("\n".join(paras) + "\n", encoding="utf-8")
    neg.write_text("\n".join(shuffled(p, rng, str.split) for p in paras) + "\n", encoding="utf-8")
    base = ["--positive", str(pos), "--negative", str(neg), "--format", "lines", "--lang", "en"]
    base += ["--no-quantize", "--epoch", "5"]
    vectors = {}
    for name, extra in (("plain", []), ("chars", ["--char-ngrams", "3", "5"])):
        out = tmp_path / f"{name}.bin"
        assert _cli([*base, "--out", str(out), *extra]) == 0
        params = json.loads(out.with_name(f"{name}.bin.meta.json").read_text())["params"]
        assert (params["minn"], params["maxn"]) == ((3, 5) if extra else (0, 0))
        vectors[name] = fasttext.load_model(str(out)).get_word_vector("unseenquarterly")
    assert not vectors["plain"].any() and vectors["chars"].any()
    capsys.readouterr()
    missing = ["--positive", str(tmp_path / "nope.txt"), "--negative", str(neg), "--format", "lines"]
    assert _cli([*missing, "--out", str(tmp_path / "x.ftz"), "--char-ngrams", "5", "3"]) == 2
    assert "--char-ngrams 5 3: need 1 <= MIN <= MAX" in capsys.readouterr().err
    with pytest.raises(ValueError, match="char_ngrams"):
        train_quality_classifier([("a", "en")], [("b", "en")], tmp_path / "y.ftz", char_ngrams=(0, 4))
