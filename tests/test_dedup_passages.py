"""Passage-level dedup on real text: sentence splitting (en, zh, ja) and the Spark stage."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest

from jobs.dedup_passages import passage_dedup
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.passages import batch_spans, covered_sentences, remove_sentences, split_sentences
from schemas.documents import empty_row, rows_to_table
from tests.conftest import shared_path


def _wikitext_paragraphs(count: int) -> list[str]:
    """Long paragraphs of wikitext-2 (one per line, headings skipped), with its spaced punctuation folded."""
    out = []
    for line in shared_path("corpora", "wikitext-2", "valid.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip().replace(" , ", ", ").replace(" . ", ". ").replace(" @.@ ", ".").replace("<unk>", "unk")
        if not line.startswith("=") and len(split_sentences(line)) >= 8:
            out.append(line)
            if len(out) == count:
                break
    return out


def _zh_articles(count: int) -> list[str]:
    with gzip.open(shared_path("corpora", "zh-news", "articles.jsonl.gz"), "rt", encoding="utf-8") as fh:
        texts = (json.loads(line)["text"] for line in fh)
        return [t for t in texts if len(split_sentences(t)) >= 8][:count]


def _ja_paragraphs(count: int) -> list[str]:
    text = shared_path("corpora", "sentencepiece", "wagahaiwa_nekodearu.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.splitlines() if len(split_sentences(p)) >= 6][:count]


def test_sentences_split_on_chinese_japanese_and_english_marks():
    zh = _zh_articles(1)[0]
    zh_sentences = split_sentences(zh)
    assert len(zh_sentences) >= 8
    body = [s for s in zh_sentences if "。" in s]
    assert body and all(s.endswith(("。", "”", "」", "）")) for s in body if s[-1] in "。”」）")
    assert "".join("".join(zh_sentences).split()) == "".join(zh.split())  # nothing lost but spacing
    ja = split_sentences("吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。「ニャー！」と泣いた")
    assert ja == [
        "吾輩は猫である。",
        "名前はまだ無い。",
        "どこで生れたかとんと見当がつかぬ。",
        "「ニャー！」",
        "と泣いた",
    ]
    en = split_sentences("It weighs 0.7 kg. See example.com for more! Really? Yes.\nA new line")
    assert en == ["It weighs 0.7 kg.", "See example.com for more!", "Really?", "Yes.", "A new line"]


def test_remove_sentences_keeps_untouched_text_byte_for_byte():
    text = "One sentence here. Two sentence here. Three here.\n\nFour is here. Five is here."
    doc = batch_spans([text], n=2, min_span_chars=5)[0]
    assert remove_sentences(text, doc.sentences, [False] * len(doc.sentences)) == text
    drop = covered_sentences([1], 2, len(doc.sentences))
    assert remove_sentences(text, doc.sentences, drop) == "One sentence here.\n\nFour is here. Five is here."


def _doc(doc_id, text, day, language="en"):
    row = empty_row()
    row.update(
        id=doc_id,
        text=text,
        language=language,
        status="kept",
        fetch_time=datetime(2024, 1, day, tzinfo=UTC),
        n_chars=len(text),
    )
    return row


@pytest.mark.spark
def test_copied_passage_is_removed_from_all_but_the_survivor(spark):
    from pipeline.engines.spark import to_spark_schema

    en, zh, ja = _wikitext_paragraphs(6), _zh_articles(3), _ja_paragraphs(2)
    passage = " ".join(split_sentences(en[0])[2:6])  # 4 real sentences of the first paragraph
    zh_passage = "".join(split_sentences(zh[0])[3:7])
    docs = [_doc("src", en[0], day=9)]  # latest fetch: the survivor
    docs.append(_doc("copy1", f"{en[1]}\n{passage}\n{en[2]}", day=2))
    docs.append(_doc("copy2", f"{passage} {en[3]}", day=3))
    docs.append(_doc("short", f"Intro line here.\n{passage}", day=4))  # nothing left but a line
    docs += [_doc(f"clean{i}", en[i], day=1) for i in (4, 5)]
    docs.append(_doc("zh_src", zh[0], day=9, language="zh"))
    docs.append(_doc("zh_copy", zh[1] + "\n" + zh_passage, day=1, language="zh"))
    docs.append(_doc("zh_clean", zh[2], day=1, language="zh"))
    docs += [_doc(f"ja{i}", ja[i], day=1, language="ja") for i in range(2)]
    frame = spark.createDataFrame(rows_to_table(docs).to_pandas(), to_spark_schema())
    out, extra = passage_dedup(frame, DedupConfig())
    rows = {r["id"]: r.asDict() for r in out.collect()}
    log = extra.pop("_log").collect()

    assert len(rows) == len(docs)
    assert rows["src"]["text"] == en[0] and rows["zh_src"]["text"] == zh[0]
    for clean in ("clean4", "clean5", "zh_clean", "ja0", "ja1"):
        assert rows[clean]["text"] == next(d["text"] for d in docs if d["id"] == clean)
    assert rows["copy1"]["text"] == f"{en[1]}\n{en[2]}" and rows["copy1"]["status"] == "kept"
    assert rows["copy1"]["n_chars"] == len(rows["copy1"]["text"])
    assert rows["copy2"]["text"] == en[3]
    assert rows["zh_copy"]["text"] == zh[1]
    short = rows["short"]
    assert (short["status"], short["removed_by"], short["removed_reason"]) == (
        "removed",
        "passage_dedup",
        "passage_dedup_too_short",
    )
    assert short["removed_detail"].startswith("chars=") and short["removed_detail"].endswith("survivor=src")
    assert {r["id"] for r in log} == {"copy1", "copy2", "short", "zh_copy"}
    assert {r["survivor"] for r in log} == {"src", "zh_src"}
    copy1 = next(d["text"] for d in docs if d["id"] == "copy1")
    first = min((r for r in log if r["id"] == "copy1"), key=lambda r: r["char_start"])
    assert copy1[first["char_start"] :].startswith(split_sentences(passage)[0])
    assert extra["passage_documents_cut"] == 4 and extra["passage_spans_removed"] == len(log)
