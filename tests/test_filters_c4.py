"""C4 line cleanup (c4_lines) and page rules (c4_quality) on literal texts."""

from __future__ import annotations

import pytest

from pipeline.filters.c4 import C4QualityFilter
from pipeline.transform.c4_lines import C4LineCleaner


def clean(text: str, language: str | None = "en", **params) -> str:
    doc = C4LineCleaner(**params).process({"text": text, "language": language})
    assert doc["n_chars"] == len(doc["text"])
    return doc["text"]


def page(text: str, **params):
    return C4QualityFilter(**params).check({"text": text})


GOOD_LINE = "The museum opens its new wing to visitors next spring."


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("Share this article on your favourite social network", "no terminal punctuation"),
        ("Read the rest of this very long story here...", "ends with an ellipsis (reference code)"),
        ("Read the rest of this very long story here…", "ends with the ellipsis character"),
        ("Thanks for reading!", "fewer than 5 words"),
        ("Please enable JavaScript in your browser to continue.", "mentions javascript"),
        ("By using this site you agree to our Terms of Use.", "policy notice"),
        ("This website uses cookies to improve your experience.", "cookie notice"),
        ("We have updated our privacy policy for all users.", "policy notice"),
        ("继续浏览本网站即表示您同意我们的隐私政策和相关条款。", "Chinese policy notice (our addition)"),
        ("A " + "x" * 1001 + " word that is far too long.", "word over 1000 characters (reference code)"),
    ],
)
def test_line_rules_drop_the_line(line, why):
    assert clean(f"{GOOD_LINE}\n{line}\n{GOOD_LINE}") == f"{GOOD_LINE}\n{GOOD_LINE}", why


@pytest.mark.parametrize(
    "line",
    [
        'She told the reporters, "We will open the doors at nine."',
        "She told the reporters that they would open at nine”",
        "Why would anyone close a museum on a sunny day?",
        "What a wonderful exhibition this turned out to be!",
    ],
)
def test_terminal_punctuation_of_the_paper_keeps_the_line(line):
    assert clean(line) == line


def test_empty_end_marks_turn_the_punctuation_rule_off():
    line = "Share this article on your favourite social network"
    assert clean(f"{GOOD_LINE}\n{line}", end_marks=[]) == f"{GOOD_LINE}\n{line}"
    assert clean("Read the rest of this very long story here...", end_marks=[]) == ""


def test_citation_markers_are_removed():
    text = "The tower was finished in 1889 after two years of work.[1] It was the tallest structure.[citation needed]"
    assert clean(text) == "The tower was finished in 1889 after two years of work. It was the tallest structure."
    assert clean("Its designer also built bridges in Portugal.[edit]") == "Its designer also built bridges in Portugal."


def test_lines_are_stripped_and_joined_with_newlines():
    assert clean(f"  {GOOD_LINE}  \n\n\n{GOOD_LINE}\t") == f"{GOOD_LINE}\n{GOOD_LINE}"


def test_chinese_lines_count_segmented_words():
    long_line = "茶在中国已经有几千年的历史，人们每天都会喝茶。"
    assert clean(f"{long_line}\n好的。\n首页 | 新闻 | 联系我们", language="zh") == long_line
    # read as a whitespace language the whole sentence is one "word", too few to keep
    assert clean(long_line, language="en") == ""


def test_line_rules_are_configurable():
    assert clean("Thanks for reading!", min_words_per_line=3) == "Thanks for reading!"
    text = "Please enable JavaScript in your browser to continue."
    assert clean(text, drop_javascript_lines=False) == text
    assert clean("Read the rest of this very long story here...", drop_ellipsis_lines=False) != ""


@pytest.mark.parametrize(
    "line",
    [
        "积极推进工业企业绿色化、智能化改造，推动云南工业高质量发展。（记者 胡晓蓉）",
        "“你或向左，或向右，你后边有声音说：‘这是正路，要行在其中。’”（赛30:21）",
        "Over 60% of people are on mobile when browsing the web. (Statista)",
        "The zoo is one of six places in the world to breed the bird. (AP video shot by S. Hodina)",
        "Take an inventory of what you carry before you leave. (Ask your hotel for help.)",
        "“Great web design without functionality is like a sports car with no engine.” – Paul Cookson",
        "Tutoring is having quite the moment, for pretty obvious reasons. – Rick Hess, Education Week",
        "If you are already planning next year, this short guide is for you.—Kate Lee",
        "学而时习之，不亦说乎？有朋自远方来，不亦乐乎？——孔子",
    ],
)
def test_a_short_note_after_the_sentence_end_keeps_the_line(line):
    language = "zh" if any(mark in line for mark in "。？") else "en"
    assert clean(line, language=language) == line
    assert clean(line, language=language, ignore_trailing_notes=False) == ""


@pytest.mark.parametrize(
    "line",
    [
        "推动云南工业高质量发展，记者在现场看到了很多企业（记者 胡晓蓉）",  # no sentence end before the note
        "Read the rest of this very long story here... (2 min read)",  # an ellipsis before the note
        "assign the value of this type to the string str := value.(string)",  # code: no space before "("
        'then print the name of the user with format!("@{}", self.username)',
        "Celebrity wears jewels worth ten million at the gala. (04-19)",  # a date after a headline
        "The wing will show paintings from the northern coast. (" + "a very long aside " * 3 + ")",
        "This is the end of the sentence. (see the note (b) below)",  # nested brackets
        "- “Shift_JIS” — older Japanese sites and some mail clients",  # a term and its gloss, no sentence
        "“Please Reconnect” — Offline UX in Mobile Apps and Games",  # a title
        "The museum opens its new wing. – " + "a very long attribution that goes on " * 3,
    ],
)
def test_what_is_not_a_trailing_note_still_fails_the_punctuation_rule(line):
    assert clean(line) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("c4_no_lines_left", "text is empty after line cleanup")),
        ("  \n ", ("c4_no_lines_left", "text is empty after line cleanup")),
        (
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod. Ut enim ad minim.",
            ("c4_lorem_ipsum", "contains 'lorem ipsum'"),
        ),
        (
            "Call the function like this. It works. Use function f() { return 1; } always.",
            ("c4_curly_brace", "contains '{' at char 56"),
        ),
        ("The museum opens its new wing. Visitors are welcome.", ("c4_too_few_sentences", "sentences=2 < 3")),
        ("茶在中国已经有几千年的历史。人们每天都会喝茶。", ("c4_too_few_sentences", "sentences=2 < 3")),
    ],
)
def test_page_rules_reason_codes(text, expected):
    assert page(text) == expected


def test_three_sentences_pass_and_abbreviations_or_decimals_are_not_sentence_ends():
    assert page("It rained. The river rose. Everyone stayed home.") is None
    assert page("Pi is 3.14 and e is 2.72 and the site is example.com today.") == (
        "c4_too_few_sentences",
        "sentences=1 < 3",
    )
    assert page("茶在中国已经有几千年的历史。人们每天都会喝茶！你喜欢喝茶吗？") is None


def test_cleanup_then_page_rules_reproduce_c4():
    raw = "\n".join(
        [
            "Home | News | Contact",
            "Please enable JavaScript to view the comments.",
            "The museum opens its new wing to visitors next spring.",
            "The wing will show paintings from the northern coast.",
            "Tickets can be bought online or at the door.",
            "This site uses cookies. By continuing you accept our cookie policy.",
        ]
    )
    doc = C4LineCleaner().process({"text": raw, "language": "en"})
    assert doc["text"].count("\n") == 2
    assert C4QualityFilter().check(doc) is None
    # a "{" on a line the cleanup already dropped no longer removes the page, as in the reference code
    doc = C4LineCleaner().process({"text": raw + "\nvar x = {a: 1}", "language": "en"})
    assert C4QualityFilter().check(doc) is None
    assert page(raw + "\nvar x = {a: 1}")[0] == "c4_curly_brace"


def test_page_rules_can_be_switched_off():
    assert page("Lorem ipsum. Dolor sit. Amet est.", check_lorem_ipsum=False) is None
    assert page("A { b. C d. E f.", check_curly_brace=False) is None
    assert page("One sentence only.", min_sentences=1) is None


def test_real_chinese_paragraphs_ending_in_a_credit_or_verse_are_kept(tmp_path, shared_data):
    """zh-web-extraction: news paragraphs ending in ``。（记者 胡晓蓉）`` and verses ending in
    ``”（诗62:5）`` were dropped by the punctuation rule (f51248cc lost 303 of 391 characters)."""
    import re
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "real_pages"))
    from pages import write_warc, zh_pages

    from pipeline.extract.warc_extractor import WarcExtractor

    path = tmp_path / "zh.warc.gz"
    write_warc(zh_pages(), path)
    lines = [
        line.strip()
        for r in WarcExtractor().extract_file(str(path))
        for line in (r["text"] or "").split("\n")
        if re.search(r"[。！？”]（[^（）]{1,40}）\s*$", line) and len(line.strip()) > 30
    ]
    assert len(lines) >= 10
    cleaner = C4LineCleaner()
    assert [line for line in lines if cleaner.clean_line(line, "zh") is None] == []
    assert all(C4LineCleaner(ignore_trailing_notes=False).clean_line(line, "zh") is None for line in lines)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Höfer lives and works in Cologne, Germany, with her family.20",
            "Höfer lives and works in Cologne, Germany, with her family.",
        ),
        (
            "Your data stays private, and no one else can read it, not even Apple.2",
            "Your data stays private, and no one else can read it, not even Apple.",
        ),
        ("She said “we will open all of the doors today.”12", "She said “we will open all of the doors today.”"),
        ("他在北京生活和工作了很多年，作品多次在国内外展出。3", "他在北京生活和工作了很多年，作品多次在国内外展出。"),
        ("Update your phone to the newest release, version 2.0", None),  # a number, not a footnote
        ("The museum counted visitors in the hall, room 1234", None),
    ],
)
def test_a_footnote_number_glued_to_the_sentence_end_is_removed(line, kept):
    language = "zh" if "。" in line else "en"
    assert C4LineCleaner().clean_line(line, language) == kept
    if kept is not None:
        assert C4LineCleaner(remove_footnote_numbers=False).clean_line(line, language) is None


def test_curly_brace_lines_are_dropped_when_asked_and_the_page_then_passes():
    prose = [
        "The composite literal creates a new instance each time it is evaluated in the program.",
        "As a limiting case, the expression &File{} creates a zero value for the type.",
        "The fields of a composite literal are laid out in order and must all be present.",
        "Taking the address of a composite literal allocates fresh storage for every evaluation.",
    ]
    text = "\n".join(prose)
    kept = C4LineCleaner().process({"text": text, "language": "en"})
    assert kept["text"] == text and C4QualityFilter().check(kept)[0] == "c4_curly_brace"  # C4 as written
    doc = C4LineCleaner(drop_curly_brace_lines=True).process({"text": text, "language": "en"})
    assert doc["text"].split("\n") == [prose[0], prose[2], prose[3]] and doc["n_chars"] == len(doc["text"])
    assert C4QualityFilter().check(doc) is None
    # a page of code still has nothing left
    code = "function f() {\n  return {a: 1};\n}\nconst x = f();"
    doc = C4LineCleaner(drop_curly_brace_lines=True).process({"text": code, "language": "en"})
    assert C4QualityFilter().check(doc)[0] == "c4_no_lines_left"
