"""The ``fineweb`` recipe runs C4's line rules before Gopher's: the Gopher rules judge the lines that are
kept, not the code lines, menus and per-post lines C4 removes anyway (FineWeb's order, kept by the
``fineweb-en`` parity recipe, runs Gopher first)."""

from __future__ import annotations

import pytest

from pipeline.recipe import load_recipe
from pipeline.step import run_steps
from tests.conftest import wceb_extracted

RULES = ("c4_lines", "repeated_lines", "c4_quality", "gopher_repetition", "gopher_quality", "fineweb_quality")
GOPHER_FIRST = ("gopher_repetition", "gopher_quality", "c4_lines", "c4_quality", "fineweb_quality")

PROSE = [
    "The fetch function takes one mandatory argument, the path to the resource you want to fetch.",
    "It returns a promise that resolves to the response to that request, whether it is successful or not.",
    "You can also optionally pass in an options object as the second argument to change the request.",
    "Once a response is retrieved, there are a number of methods available to read the body of the reply.",
    "The promise does not reject on an HTTP error status, even if the response is a server error.",
    "Instead, it resolves normally with the ok property of the response set to false, so check it first.",
]
CODE = ["async function getData() {", "try {", "const response = await fetch(url);", "}", "});", "}"]


def rule_steps(recipe: str, order: tuple[str, ...], overrides: tuple[str, ...] = ()):
    steps = {s.name: s for s in load_recipe(recipe, list(overrides)).steps}
    return [steps[name] for name in order]


def outcome(steps, text: str, language: str = "en") -> dict:
    doc = {"id": "d", "url": "https://example.org/d", "text": text, "language": language, "status": "kept"}
    return run_steps(steps, [doc])[0]


def test_builtin_recipes_run_c4_lines_before_gopher_and_the_parity_recipe_keeps_finewebs_order():
    for name in ("fineweb", "rules"):
        names = [s.name for s in load_recipe(name).steps]
        assert [n for n in names if n in RULES] == list(RULES), name
    names = [s.name for s in load_recipe("fineweb-en").steps]
    assert [n for n in names if n in RULES] == list(GOPHER_FIRST)


def test_code_lines_c4_removes_do_not_make_a_tutorial_a_repetitive_document():
    # a tutorial: each paragraph followed by its code sample, whose closing braces repeat
    text = "\n".join(line for i, sentence in enumerate(PROSE) for line in [sentence, *CODE[i % 2 :]])
    doc = outcome(rule_steps("fineweb", RULES), text)
    assert doc["status"] == "kept", doc.get("removed_reason")
    assert doc["text"].split("\n") == PROSE  # the code lines are gone, every sentence kept
    first = outcome(rule_steps("fineweb", GOPHER_FIRST), text)
    assert (first["status"], first.get("removed_reason")) == ("removed", "gopher_dup_line_frac")


def test_repeated_sentences_are_still_removed():
    spam = "\n".join(PROSE[:3] + ["Cheap phones shipped free to every city, call us now to order today."] * 6)
    doc = outcome(rule_steps("fineweb", RULES), spam)
    assert doc["status"] == "removed" and doc["removed_reason"].startswith("gopher_dup_"), doc.get("removed_reason")
    # a page that is mostly menu lines: what C4 keeps is judged, and it is too little
    menu = "\n".join(["Home", "Products", "About us", "Contact"] * 10 + PROSE[:2])
    doc = outcome(rule_steps("fineweb", RULES), menu)
    assert doc["status"] == "removed", doc["text"]


def test_real_documentation_and_forum_pages_are_kept_and_link_lists_are_not(shared_data):
    """wceb pages (bench/real_pages/line_rules.py --order measures all of them): MDN's fetch guide,
    pydantic's page on models and a VirtualBox forum thread are removed by Gopher's duplicate-line rule
    in FineWeb's order, for their code's closing braces and the thread's per-post lines; run after C4
    the rules keep them. Link lists whose lines C4 drops are removed instead, for too few words."""
    kept = (
        "https://developer.mozilla.org/en-US/docs/Web/API/Fetch_API/Using_Fetch",
        "https://docs.pydantic.dev/latest/concepts/models/",
        "https://forums.virtualbox.org/viewtopic.php?t=112320",
    )
    lists = ("https://www.imdb.com/chart/top/", "https://www.amazon.com/Best-Sellers-Electronics/zgbs/electronics")
    for url, (_, text) in wceb_extracted(kept + lists).items():
        doc = outcome(rule_steps("fineweb", RULES), text)
        first = outcome(rule_steps("fineweb", GOPHER_FIRST), text)
        if url in kept:
            assert doc["status"] == "kept", (url, doc.get("removed_reason"), doc.get("removed_detail"))
            assert first.get("removed_reason") == "gopher_dup_line_frac", (url, first.get("removed_reason"))
            assert "}" not in doc["text"].split("\n")
        else:
            assert first["status"] == "kept", (url, first.get("removed_reason"))
            assert doc.get("removed_reason") in ("gopher_too_few_words", "c4_no_lines_left"), (
                url,
                doc.get("removed_reason"),
            )


def test_real_documentation_quoting_code_in_prose_is_kept_without_those_lines(shared_data):
    """wceb documentation pages that C4's page rule removes for a "{" in one or a few prose lines
    (``&File{}``, ``{SVCNAME}_SERVICE_HOST``, ``set(), not {}``): the fineweb recipe drops those lines."""
    wanted = (
        "https://go.dev/doc/effective_go",
        "https://kubernetes.io/docs/concepts/services-networking/service/",
        "https://docs.python.org/3/tutorial/datastructures.html",
    )
    steps = rule_steps("fineweb", RULES)
    as_written = rule_steps("fineweb", RULES, ("c4_lines.drop_curly_brace_lines=false",))
    assert as_written[0].name == "c4_lines" and not as_written[0].drop_curly_brace_lines
    for url, (_, text) in wceb_extracted(wanted).items():
        doc = outcome(steps, text)
        assert doc["status"] == "kept", (url, doc.get("removed_reason"), doc.get("removed_detail"))
        assert "{" not in doc["text"] and len(doc["text"]) > 5000, url
        assert outcome(as_written, text).get("removed_reason") == "c4_curly_brace", url


@pytest.mark.parametrize("recipe", ["fineweb", "rules"])
def test_chinese_prose_with_its_headline_repeated_is_judged_on_its_sentences(recipe):
    # zh-news style: a headline line without a full stop, repeated before each part of the report
    body = [
        "今年以来，各地积极推进城乡供水一体化建设，农村自来水普及率持续提高，群众饮水安全得到有效保障。",
        "据介绍，全省新建和改造供水管网一万多公里，受益人口超过三百万，供水保证率明显提升。",
        "下一步，有关部门将加强水源保护和水质监测，完善长效管护机制，推动农村供水高质量发展。",
        "专家表示，城乡供水一体化是补齐民生短板的重要举措，需要持续加大投入并创新运营模式。",
    ]
    text = "\n".join(line for sentence in body for line in ["城乡供水一体化 让群众喝上放心水", sentence])
    doc = outcome(rule_steps(recipe, RULES), text, language="zh")
    assert doc["status"] == "kept", (doc.get("removed_reason"), doc.get("removed_detail"))
    assert doc["text"].split("\n") == body


@pytest.mark.parametrize("language", ["zh", "en", "de"])
def test_generated_keyword_stuffing_is_removed_even_with_a_sentence_mark_on_every_line(language):
    import random

    from pipeline.sample.variants import spam_text

    rng = random.Random(0)
    steps = rule_steps("fineweb", RULES)
    end = "。" if language == "zh" else "."
    for _ in range(20):
        lines = spam_text(language, rng).paragraphs
        assert outcome(steps, "\n".join(lines), language)["removed_reason"] == "c4_no_lines_left"
        marked = outcome(steps, "\n".join(line + end for line in lines), language)
        assert marked["status"] == "removed" and marked["removed_reason"].startswith("gopher_"), marked["text"][:200]
