"""Forum threads and Q&A pages: the posts trafilatura leaves out are added from the page's schema.org
microdata (``pipeline/extract/threads.py``), in page order, each once; other pages are untouched."""

from __future__ import annotations

import pytest

from pipeline.extract.html import extract_main_text
from pipeline.extract.threads import add_thread_posts, thread_posts
from tests.conftest import wceb_extracted

OPENING = "I have been trying to set up the resolver for my containers but the lookups keep failing after a restart."
REPLY_1 = "The resolver reads the host configuration only once, so you need to recreate the network after a change."
REPLY_2 = "Thanks, recreating the network fixed it for me as well, and the lookups now survive a restart of the daemon."


def post(text: str, kind: str = "Comment", extra: str = "") -> str:
    return (
        f'<div itemscope itemtype="https://schema.org/{kind}"><span itemprop="author">someone</span>'
        f'<div class="cooked" itemprop="text"><p>{text}</p>{extra}</div>'
        "<button>Reply</button></div>"
    )


def forum_page(*bodies: str, page_type: str = "") -> str:
    head = f'<html itemscope itemtype="https://schema.org/{page_type}">' if page_type else "<html>"
    return head + "<head><title>t</title></head><body>" + "".join(bodies) + "</body></html>"


THREAD = forum_page(post(OPENING, "DiscussionForumPosting"), post(REPLY_1), post(REPLY_2))


def test_the_replies_missing_from_the_text_are_appended_in_page_order():
    assert thread_posts(THREAD) == [OPENING, REPLY_1, REPLY_2]
    assert add_thread_posts(OPENING, THREAD) == "\n".join([OPENING, REPLY_1, REPLY_2])
    assert add_thread_posts(f"{OPENING}\n{REPLY_2}", THREAD) == "\n".join([OPENING, REPLY_2, REPLY_1])
    assert add_thread_posts("", THREAD) == "\n".join([OPENING, REPLY_1, REPLY_2])  # nothing extracted


def test_a_text_holding_every_post_is_unchanged_and_pages_without_markup_are_not_parsed():
    whole = "\n".join(["Title of the thread", OPENING, REPLY_1, REPLY_2])
    assert add_thread_posts(whole, THREAD) == whole
    plain = THREAD.replace("schema.org", "example.org").replace("DiscussionForumPosting", "Posting")
    assert add_thread_posts(OPENING, plain) == OPENING
    one_post = forum_page(post(OPENING, "DiscussionForumPosting"))
    assert add_thread_posts("x", one_post) == "x"  # a single post: nothing to add from a thread


def test_hidden_and_control_text_stays_out_and_a_quote_inside_a_post_is_part_of_it():
    quoted = f'<blockquote itemprop="text">{REPLY_1}</blockquote><script>var tracking = 1;</script>'
    page = forum_page(post(OPENING, "DiscussionForumPosting"), post(REPLY_2, extra=quoted))
    posts = thread_posts(page)
    assert posts == [OPENING, f"{REPLY_2}\n{REPLY_1}"]
    assert not any(line == "Reply" or "tracking" in line for p in posts for line in p.split("\n"))


def test_on_a_qa_page_questions_and_answers_are_taken_not_the_comments_under_them():
    comment = "Did you check the firewall rules first, before anything else on that machine?"
    page = forum_page(
        post(OPENING, "Question"),
        post(comment, "Comment"),
        post(REPLY_1, "Answer"),
        post(REPLY_2, "Answer"),
        page_type="QAPage",
    )
    assert thread_posts(page) == [OPENING, REPLY_1, REPLY_2]


def test_chinese_posts_are_compared_by_characters():
    first = "我最近在配置容器的域名解析，但是每次重启之后解析都会失败，不知道是哪里出了问题。"
    second = "解析器只在启动时读取一次主机配置，修改之后需要重新创建网络才能生效，请试一下。"
    page = forum_page(post(first, "DiscussionForumPosting"), post(second))
    assert add_thread_posts(first, page) == f"{first}\n{second}"
    assert add_thread_posts(f"{first}\n{second}", page) == f"{first}\n{second}"


def test_the_option_is_plumbed_through_the_extract_stage_config():
    from jobs.extract_warc import load_config
    from pipeline.config import to_dict
    from pipeline.extract.warc_extractor import WarcExtractor

    assert WarcExtractor(**to_dict(load_config().extract)).thread_posts is True
    off = load_config(None, ["extract.thread_posts=false"]).extract
    assert WarcExtractor(**to_dict(off)).thread_posts is False


def _shingles(text: str) -> set:
    words = text.split()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


# Discourse topics and a Stack Overflow question, whose extracted text was the opening post or the
# question alone (bench/real_pages: 4-gram recall of the main content 0.24-0.44 before, 0.82-0.99 after).
THREADS = (
    "https://forums.docker.com/t/confusing-resolver-structure/144854",
    "https://forum.obsidian.md/t/plugin-recommendations/88771",
    "https://forums.eveonline.com/t/project-discovery-july-2024/457348",
    "https://stackoverflow.com/questions/21553327/why-is-except-pass-a-bad-programming-practice",
)


def test_real_threads_keep_their_replies(shared_data):
    import sys

    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench" / "real_pages"))
    from pages import wceb_pages

    truth = {p.url: p.truth["main_content"] for p in wceb_pages() if p.url in THREADS}
    for url, (html, text) in wceb_extracted(THREADS).items():
        alone = extract_main_text(html, url=url, thread_posts=False)
        wanted = _shingles(truth[url])
        before = len(wanted & _shingles(alone)) / len(wanted)
        after = len(wanted & _shingles(text)) / len(wanted)
        assert before < 0.5 and after > 0.75, (url, before, after)
        assert text.startswith(alone)  # added to, never changed


@pytest.mark.parametrize("kind", ["DiscussionForumPosting", "QAPage"])
def test_pages_that_only_mention_the_type_in_a_script_are_left_as_they_are(kind):
    page = f'<html><body><script>var t = "{kind}";</script><article><p>{OPENING}</p></article></body></html>'
    assert add_thread_posts(OPENING, page) == OPENING


def jsonld_page(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<html><head>{scripts}</head><body><article><p>{OPENING}</p></article></body></html>"


def test_without_microdata_the_posts_come_from_json_ld():
    import json

    from pipeline.extract.threads import jsonld_posts

    thread = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "text": OPENING,
        "comment": [
            {"@type": "Comment", "text": REPLY_1.replace(", so", ",\n \n\n\tso")},
            {"@type": "Comment", "text": REPLY_2.replace(" and ", " &amp; ")},
        ],
    }
    page = jsonld_page("{not json", json.dumps(thread))  # a broken block is skipped
    reply_1 = REPLY_1.replace(", so", ",\nso")  # its line break kept, the blank lines and the tab dropped
    reply_2 = REPLY_2.replace(" and ", " & ")
    assert jsonld_posts(page) == [OPENING, reply_1, reply_2]
    assert add_thread_posts(OPENING, page) == "\n".join([OPENING, reply_1, reply_2])
    qa = {
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "text": OPENING,
            "comment": [{"@type": "Comment", "text": "A remark under the question, not an answer to it at all."}],
            "acceptedAnswer": {"@type": "Answer", "text": REPLY_1},
            "suggestedAnswer": [{"@type": "Answer", "text": REPLY_2}],
        },
    }
    assert jsonld_posts(jsonld_page(json.dumps(qa))) == [OPENING, REPLY_1, REPLY_2]


def test_a_real_invision_thread_gets_its_replies_from_json_ld(shared_data):
    url = "https://forum.prestashop.com/topic/1103020-payment-issues-how-to-delete-or-change-payment-method/"
    (html, text), *_ = wceb_extracted([url]).values()
    alone = extract_main_text(html, url=url, thread_posts=False)
    from pipeline.extract.threads import jsonld_posts, thread_posts

    assert len(thread_posts(html)) < 2 and len(jsonld_posts(html)) >= 10
    assert text.startswith(alone) and len(text) > len(alone) + 300  # three replies trafilatura left out
