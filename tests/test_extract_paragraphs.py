"""Paragraph breaks restored for extracted text that came out as one line (pipeline/extract/paragraphs.py)."""

from __future__ import annotations

from pipeline.extract.paragraphs import is_one_line_dump, restore_block_breaks
from pipeline.transform.c4_lines import C4LineCleaner
from tests.conftest import wceb_extracted

PARAGRAPHS = [
    "Digital marketing is the use of websites, apps and social media to promote and sell products.",
    "It differs from traditional marketing in that it reaches customers through the channels they use daily.",
    "Companies measure it with key performance indicators such as traffic, conversions and the cost of a lead.",
]
HEADING = "How Digital Marketing Works"


def page(*blocks: str) -> str:
    return "<html><head><title>t</title><script>var a = 1;</script></head><body>" + "".join(blocks) + "</body></html>"


def long_paragraphs(n: int = 4) -> list[str]:
    return [f"{p[:-1]} in part {i} of the guide." for i in range(n) for p in PARAGRAPHS]


def test_a_one_line_text_gets_the_pages_block_breaks_back_and_keeps_its_words():
    paras = long_paragraphs()
    html = page(
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>',
        f"<h2>{HEADING}</h2>",
        *(f"<p>{p}</p>" for p in paras),
        "<div>Related: <a href='/x'>more reading</a></div>",
    )
    dump = " ".join([HEADING, *paras, "Related: more reading"])
    assert is_one_line_dump(dump)
    fixed = restore_block_breaks(dump, html)
    assert fixed.split("\n") == [HEADING, *paras, "Related: more reading"]
    assert fixed.split() == dump.split()
    # C4's line rules now keep the paragraphs; the one-line text lost everything
    c4 = C4LineCleaner()
    assert c4.process({"text": dump, "language": "en"})["text"] == ""
    assert c4.process({"text": fixed, "language": "en"})["text"].split("\n") == paras


def test_short_blocks_do_not_split_a_sentence_and_line_breaks_already_there_stay():
    paras = long_paragraphs(6)
    # "Home" is a menu item and also a word inside the first sentence
    paras[0] = "Home owners can claim the credit for improvements made to their main Home this year."
    html = page("<ul><li>Home</li><li>Taxes</li></ul>", *(f"<p>{p}</p>" for p in paras))
    dump = " ".join(paras[:-1]) + "\n" + paras[-1]
    assert is_one_line_dump(dump)
    fixed = restore_block_breaks(dump, html)
    assert fixed.split("\n") == paras and fixed.split() == dump.split()


def test_texts_that_are_not_one_line_dumps_are_left_alone():
    html = page(*(f"<p>{p}</p>" for p in PARAGRAPHS))
    short = " ".join(PARAGRAPHS)  # under MIN_DUMP_CHARS
    assert not is_one_line_dump(short) and restore_block_breaks(short, html) == short
    lines = "\n".join(long_paragraphs())
    assert not is_one_line_dump(lines) and restore_block_breaks(lines, html) == lines
    # a dump whose blocks cannot be found in the page (another page, no markup) stays as it is
    dump = " ".join(long_paragraphs())
    assert restore_block_breaks(dump, "<html><body><p>Something else entirely here.</p></body></html>") == dump
    assert restore_block_breaks(dump, "") == dump
    # surrounding whitespace is kept
    assert restore_block_breaks("  " + dump + "\n", page(*(f"<p>{p}</p>" for p in long_paragraphs()))).startswith("  ")


def test_real_articles_extracted_as_one_line_keep_their_text_through_c4(shared_data):
    """wceb pages where trafilatura falls back to the page's text on one line (also trafilatura alone):
    an Investopedia article, a blog post, a TurboTax guide and a Linux how-to. C4's punctuation rule
    dropped each whole; with the breaks back it keeps over 8,000 characters of each."""
    import trafilatura

    from pipeline.extract.html import collapse_source_newlines

    wanted = (
        "https://www.investopedia.com/terms/d/digital-marketing.asp",
        "https://davidbau.com/archives/2025/12/16/vibe_coding.html",
        "https://blog.turbotax.intuit.com/tax-planning-2/guide-filing-taxes-2024-tax-law-changes-61904/",
        "https://www.jfpossibilities.com/tech_notes/linux/survival-guide-sysv-init",
    )
    c4 = C4LineCleaner()
    for url, (html, text) in wceb_extracted(wanted).items():
        alone = trafilatura.extract(
            collapse_source_newlines(html), url=url, output_format="txt", include_comments=False, with_metadata=False
        )
        assert is_one_line_dump(alone or ""), url
        assert c4.process({"text": alone, "language": "en"})["text"] == "", url
        assert text.count("\n") >= 40, url
        assert len(c4.process({"text": text, "language": "en"})["text"]) > 8000, url


def test_chinese_and_japanese_one_line_texts_are_left_to_the_cjk_splitter():
    sentences = [
        f"第{i}届经济学年会 在南开大学举行 来自各地的学者就宏观经济政策与金融改革进行了讨论。" for i in range(30)
    ]
    html = page(*(f"<p>{s}</p>" for s in sentences))
    dump = " ".join(sentences)
    assert is_one_line_dump(dump)
    assert restore_block_breaks(dump, html) == dump
    # the same blocks in Latin script are split
    latin = [
        f"Meeting {i} opened at Nankai University, where scholars discussed policy and finance." for i in range(30)
    ]
    assert restore_block_breaks(" ".join(latin), page(*(f"<p>{s}</p>" for s in latin))).count("\n") == 29
