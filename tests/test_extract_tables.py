"""Layout tables in trafilatura's output: prose cells become lines, data tables stay rows."""

from __future__ import annotations

from pipeline.extract.html import extract_main_text
from pipeline.extract.tables import unwrap_layout_tables

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
