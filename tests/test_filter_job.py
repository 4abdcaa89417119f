"""The filter stage on Spark: recipes, JSONL input, overrides, config errors before Spark starts."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from pipeline.config import ConfigError
from pipeline.recipe import load_recipe

GOOD_EN = (
    "The city council met on Tuesday evening to discuss the new library that will be built next to the old market "
    "square. Many residents came to the meeting and most of them said that they were happy with the plans. The "
    "architect explained that the building will have large windows, a quiet reading room for students and a small "
    "cafe on the ground floor. Work is expected to start in the spring and the library should open to the public "
    "within two years, if the weather and the budget allow it.\n"
    "Some people were worried about the cost of the project and asked whether the money could be used for the "
    "schools instead. The mayor answered that the funds came from a regional grant and could only be spent on "
    "cultural buildings. She added that the old library had been too small for many years and that the town "
    "deserved a modern place to read, to learn and to meet friends.\n"
)
GOOD_ZH = (
    "本市图书馆新馆建设方案于本周二在市议会获得通过。新馆将建在老市场广场旁边，设有宽敞的阅览室、儿童阅读区和小型咖啡厅。"
    "建筑师介绍说，新馆采用大面积玻璃窗，白天可以充分利用自然光，既节能又舒适。许多居民参加了会议，大多数人表示支持这一计划。\n"
    "也有一些居民担心工程费用过高，希望把资金用于学校建设。市长解释说，这笔资金来自地区文化专项拨款，只能用于文化设施建设。"
    "她还表示，老图书馆空间狭小的问题已经存在多年，市民需要一个现代化的学习和交流场所。工程预计明年春天开工，两年内完工。\n"
)
SPAM = "Buy cheap pills online today, we ship them fast to every city.\n" * 40  # sentences: C4 keeps the lines


def write_jsonl(path, docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")


def test_recipe_errors_name_the_valid_choices():
    with pytest.raises(ConfigError, match="unknown recipe 'finewebb'.*fineweb"):
        load_recipe("finewebb")
    with pytest.raises(ConfigError, match=r"gopher_quality: unknown parameter 'min_wrods'.*valid parameters"):
        load_recipe("fineweb", ["gopher_quality.min_wrods=3"])
    with pytest.raises(ConfigError, match="not a step of this recipe"):
        load_recipe("fineweb", ["gopher.min_words=3"])


def test_recipe_override_reaches_the_step():
    recipe = load_recipe("fineweb", ["language_filter.min_score=0.5"])
    step = next(s for s in recipe.steps if s.name == "language_filter")
    assert step.params()["min_score"] == 0.5


def test_fineweb_en_recipe_keeps_english_with_c4_punctuation_rule_off():
    recipe = load_recipe("fineweb-en")
    steps = {s.name: s for s in recipe.steps}
    assert list(steps) == [
        "language_id", "language_filter", "gopher_repetition", "gopher_quality", "c4_lines", "c4_quality",
        "fineweb_quality",
    ]  # fmt: skip
    assert steps["language_filter"].check({"text": "x", "language": "de", "language_score": 0.99}) == (
        "language_not_allowed",
        "de",
    )
    line = "Share this article on your favourite social network and tell us what you think"
    doc = steps["c4_lines"].process({"text": line, "language": "en"})
    assert doc["text"] == line
    # as datatrove does, the borders of extracted table rows count as tokens without a letter
    table = "\n".join(["The squad list for the coming season is below, with every player and club."] * 3)
    table += "\n" + "\n".join(["| Player | Club | Position | Nation |"] * 20)
    doc = {"text": table, "language": "en"}
    assert steps["gopher_quality"].check(doc)[0] == "gopher_alpha_words"
    default = next(s for s in load_recipe("fineweb").steps if s.name == "gopher_quality")
    assert default.check(doc) is None


@pytest.mark.spark
def test_filter_stage_on_jsonl(spark, tmp_path):
    from jobs.filter import FilterStageConfig, run

    src = tmp_path / "docs.jsonl"
    write_jsonl(
        src,
        [
            {"id": "en", "text": GOOD_EN, "url": "https://example.org/library"},
            {"id": "zh", "text": GOOD_ZH, "url": "https://example.cn/news/1"},
            {"id": "spam", "text": SPAM},
            {"id": "nojson"},
        ],
    )
    src.write_text(src.read_text() + "{not json\n", encoding="utf-8")
    stats = run(spark, [str(src)], str(tmp_path / "out"), load_recipe("fineweb"), FilterStageConfig())
    assert stats["rows"] == 5 and stats["accounting_ok"]
    rows = {r["id"]: r for r in ds.dataset(str(tmp_path / "out"), partitioning="hive").to_table().to_pylist()}
    assert rows["en"]["status"] == "kept" and rows["en"]["language"] == "en"
    assert rows["zh"]["status"] == "kept" and rows["zh"]["language"] == "zh", rows["zh"]["removed_reason"]
    assert rows["spam"]["status"] == "removed" and rows["spam"]["removed_by"].startswith("gopher")
    reasons = {r["removed_reason"] for r in rows.values() if r["status"] == "removed"}
    assert {"missing_text", "bad_json"} <= reasons
    assert (tmp_path / "out" / "status=kept" / "language=zh").is_dir()


@pytest.mark.spark
def test_filter_stage_on_a_cut_jsonl_gz_keeps_what_it_read_and_accounts_for_the_rest(spark, tmp_path):
    import gzip

    from jobs.filter import FilterStageConfig, run

    lines = [json.dumps({"id": f"d{i}", "text": GOOD_EN}) for i in range(200)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    src = tmp_path / "docs.jsonl.gz"
    src.write_bytes(data[: len(data) // 2])
    stats = run(spark, [str(src)], str(tmp_path / "out"), load_recipe("rules"), FilterStageConfig())
    rows = ds.dataset(str(tmp_path / "out"), partitioning="hive").to_table().to_pylist()
    errors = [r for r in rows if r["removed_reason"] == "read_error"]
    assert stats["accounting_ok"] and stats["rows"] == len(rows) and len(errors) == 1
    assert 0 < len(rows) - 1 < 200 and all(r["id"].startswith("d") for r in rows if r is not errors[0])
