"""URL filter: domain blocklist with parent matching, banned words, banned host substrings, soft words."""

from __future__ import annotations

import pickle

import pytest

from pipeline.filters.url import UrlFilter, host_suffixes, url_host, url_tokens


def check(url, **params):
    return UrlFilter(**params).check({"url": url})


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Example.COM:8080/a?b=c", "www.example.com"),
        ("http://user:pw@shop.example.org./x", "shop.example.org"),
        ("example.net/page", "example.net"),
        ("//cdn.example.com/lib.js", "cdn.example.com"),
        ("mailto:someone@example.com", None),
    ],
)
def test_url_host(url, host):
    assert url_host(url) == host


def test_host_suffixes_and_tokens():
    assert host_suffixes("a.b.example.com") == ["a.b.example.com", "b.example.com", "example.com", "com"]
    assert url_tokens("https://ex.com/Free_Porn-videos?q=%E8%8C%B6%20tea") == {
        "https",
        "ex",
        "com",
        "free",
        "porn",
        "videos",
        "q",
        "茶",
        "tea",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.pornhub.com/view", ("url_blocked_domain", "host=www.pornhub.com matches pornhub.com")),
        ("https://a.b.xvideos.com/", ("url_blocked_domain", "host=a.b.xvideos.com matches xvideos.com")),
        ("http://anything.xxx/", ("url_blocked_domain", "host=anything.xxx matches xxx")),
        ("https://blog.example.com/free-porn/today", ("url_banned_word", "banned word 'porn' in url")),
        ("https://example.com/p?tag=HENTAI", ("url_banned_word", "banned word 'hentai' in url")),
        ("https://freepornclips.example/", ("url_banned_subword", "host=freepornclips.example contains 'porn'")),
    ],
)
def test_default_lists(url, expected):
    assert check(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Lighthouse",
        "https://notxvideos.com.example.org/",  # parent matching is by whole labels
        "https://example.com/history-of-pornography-laws",  # whole tokens only
        "https://example.com/sexy-hot-girls",  # soft words are off by default
        "",
        None,
    ],
)
def test_innocent_or_missing_urls_are_kept(url):
    assert check(url) is None


def test_domain_column_is_used_without_a_url():
    assert UrlFilter().check({"url": None, "domain": "m.xnxx.com"})[0] == "url_blocked_domain"


def test_user_files_with_comments_extend_the_defaults(tmp_path):
    domains = tmp_path / "domains.txt"
    domains.write_text("# spam farms\nspam-farm.example   # seen 2024\n\n.Link-Wheel.test\n", encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("# words\ncasino\n", encoding="utf-8")
    f = UrlFilter(blocklist_paths=[str(domains)], banned_words_paths=[str(words)])
    assert f.check({"url": "https://www.spam-farm.example/x"})[0] == "url_blocked_domain"
    assert f.check({"url": "https://a.link-wheel.test/"}) == (
        "url_blocked_domain",
        "host=a.link-wheel.test matches link-wheel.test",
    )
    assert f.check({"url": "https://example.com/online-casino/"}) == ("url_banned_word", "banned word 'casino' in url")
    assert f.check({"url": "https://pornhub.com/"})[0] == "url_blocked_domain"  # defaults still apply
    only_user = UrlFilter(blocklist_paths=[str(domains)], use_default_lists=False)
    assert only_user.check({"url": "https://pornhub.com/"}) is None


def test_soft_words_need_the_threshold(tmp_path):
    url = "https://example.com/hot-sexy-girls-casino"
    assert check(url, soft_word_threshold=3) == ("url_soft_words", "soft_words=4 >= 3: casino, girls, hot, sexy")
    assert check(url, soft_word_threshold=5) is None
    assert check("https://example.com/hot-weather-today", soft_word_threshold=2) is None


def test_bad_configuration_fails_at_construction(tmp_path):
    with pytest.raises(FileNotFoundError, match="blocklist_paths"):
        UrlFilter(blocklist_paths=[str(tmp_path / "missing.txt")])
    with pytest.raises(ValueError, match="soft_word_threshold"):
        UrlFilter(soft_word_threshold=0)


def test_filter_pickles_without_its_loaded_lists(tmp_path):
    f = UrlFilter()
    f.check({"url": "https://example.com"})
    state = pickle.dumps(f)
    assert b"pornhub" not in state
    assert pickle.loads(state).check({"url": "https://pornhub.com"})[0] == "url_blocked_domain"
