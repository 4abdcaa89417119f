"""The rule filters run on Spark workers (pickled, segmenters loaded there) with the same results."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.document import batch_to_rows
from pipeline.engines.local import apply_steps_to_table
from schemas.documents import empty_row, rows_to_table
from tests.test_filters_articles import GOOD_DE, GOOD_EN, GOOD_ZH, SPAM_ZH_KEYWORDS, SPAM_ZH_REPEATED, all_rule_steps

pytestmark = pytest.mark.spark


def _docs():
    samples = [
        (GOOD_EN, "en", "https://example.org/a"),
        (GOOD_DE, "de", "https://example.de/b"),
        (GOOD_ZH, "zh", "https://example.cn/c"),
        (GOOD_ZH, None, "https://example.cn/d"),
        (SPAM_ZH_KEYWORDS, "zh", "https://spam.example/e"),
        (SPAM_ZH_REPEATED, None, "https://spam.example/f"),
        (GOOD_EN, "en", "https://www.pornhub.com/g"),
        ("Too short.", "en", "https://example.org/h"),
    ]
    docs = []
    for i, (text, lang, url) in enumerate(samples * 3):
        row = empty_row()
        row.update(id=f"{i:03d}", text=text, language=lang, url=url, status="kept", n_chars=len(text))
        docs.append(row)
    return docs


def test_rule_filters_agree_between_python_and_spark(spark, tmp_path):
    from pipeline.engines.spark import apply_steps, to_spark_schema

    docs = _docs()
    expected = sorted(batch_to_rows(apply_steps_to_table(rows_to_table(docs), all_rule_steps())), key=lambda r: r["id"])
    pq.write_table(rows_to_table(docs), tmp_path / "part-0.parquet")
    df = spark.read.schema(to_spark_schema()).parquet(str(tmp_path))
    got = sorted(batch_to_rows(apply_steps(df.repartition(2), all_rule_steps()).toArrow()), key=lambda r: r["id"])
    assert got == expected
    reasons = [r["removed_reason"] for r in got[:8]]
    assert reasons == [
        None,
        None,
        None,
        None,
        "gopher_stop_words",
        "gopher_dup_line_frac",
        "url_blocked_domain",
        "gopher_too_few_words",
    ]
