"""Layout tables in trafilatura's output: prose cells become lines, data tables stay rows."""

from __future__ import annotations

from pipeline.extract.html import extract_main_text
from pipeline.extract.tables import split_joined_cjk_paragraphs, unwrap_layout_tables

PROSE = "这是一篇用表格排版的旧式中文网页正文，" * 8 + "最后一句话在这里结束。"


def test_layout_rows_become_lines_and_their_separator_goes():
    text = f"| 标题 | \n|---|---|\n| {PROSE} | 作者 |\n| a \\| b | c |"
    assert unwrap_layout_tables(text).split("\n") == ["| 标题 | ", "|---|---|", PROSE, "作者", "| a \\| b | c |"]
    text = f"| {PROSE} |\n|---|\n| {PROSE} |"
    assert unwrap_layout_tables(text).split("\n") == [PROSE, PROSE]


def test_data_tables_and_plain_text_are_unchanged():
    table = "| Name | Age |\n|---|---|\n| Ada | 36 |"
    assert unwrap_layout_tables(table) == table
    assert unwrap_layout_tables("a | b\nno pipes") == "a | b\nno pipes"


def test_a_page_laid_out_in_a_table_extracts_as_paragraphs():
    cells = "".join(f"<tr><td><p>{PROSE}</p></td></tr>" for _ in range(3))
    page = f"<html><body><table><tr><td>导航</td></tr>{cells}</table></body></html>"
    text = extract_main_text(page)
    assert PROSE in text.split("\n") and "|" not in text.replace("| 导航 |", "")


def test_joined_cjk_paragraphs_are_split_latin_text_is_not():
    joined = "第一段结束。 第二段开始，还有“引号。” 第三段！\u3000第四段？ 完。（记者 某某）"
    assert split_joined_cjk_paragraphs(joined).split("\n") == [
        "第一段结束。",
        "第二段开始，还有“引号。”",
        "第三段！",
        "第四段？",
        "完。（记者 某某）",
    ]
    latin = "He said “Stop.” Then he left. Fine! Really? Yes."
    assert split_joined_cjk_paragraphs(latin) == latin
    assert split_joined_cjk_paragraphs("日本語の文。次の文。") == "日本語の文。次の文。"  # no whitespace: one paragraph


def test_real_chinese_layout_pages_keep_their_articles_through_c4_lines(tmp_path, shared_data):
    """17 of the 69 zh-web-extraction pages were one joined line per article, all dropped by C4's
    terminal-punctuation rule; after the split C4's line rules leave text on nearly every page."""
    import re
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "real_pages"))
    from pages import write_warc, zh_pages

    from pipeline.extract.warc_extractor import WarcExtractor
    from pipeline.transform.c4_lines import C4LineCleaner

    path = tmp_path / "zh.warc.gz"
    write_warc(zh_pages(), path)
    rows = [r for r in WarcExtractor().extract_file(str(path)) if r["status"] == "kept"]
    cleaner = C4LineCleaner()
    emptied = [r["url"] for r in rows if not cleaner.process({**r, "language": "zh"})["text"]]
    assert len(rows) >= 66 and len(emptied) <= 3, emptied
    joined = [r["url"] for r in rows if re.search(r"。[ \u3000]+\S", r["text"])]
    assert not joined, joined  # before: articles of up to 12,700 characters joined on one line
