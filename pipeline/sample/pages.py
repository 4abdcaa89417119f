"""One builder per kind of crawled page: each returns the HTTP head, the body bytes and its ground truth.

Charset cases (article pages of languages with a legacy encoding):
- ``utf8``: UTF-8 body, charset in the HTTP header and in <meta>;
- ``utf8_meta_only``: UTF-8 body, charset only in <meta>;
- ``legacy_declared``: GBK / Shift_JIS / windows-125x body, declared correctly in header and <meta>;
- ``legacy_meta_only``: legacy body, declared only (correctly) in <meta>;
- ``legacy_header_wrong``: legacy body, the header claims UTF-8 and there is no <meta> charset;
- ``legacy_missing``: legacy body, no charset anywhere (a detector has to guess).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import html, payloads
from .texts import Article, LanguagePack, render

# Python codec and the label a server would declare.
LEGACY_CHARSETS = {
    "zh": ("gbk", "GBK"),
    "ja": ("shift_jis", "Shift_JIS"),
    "ru": ("cp1251", "windows-1251"),
    "de": ("cp1252", "windows-1252"),
    "fr": ("cp1252", "windows-1252"),
    "es": ("cp1252", "windows-1252"),
}
CHARSET_CASES = (
    ("utf8", 0.74),
    ("utf8_meta_only", 0.06),
    ("legacy_declared", 0.05),
    ("legacy_meta_only", 0.05),
    ("legacy_header_wrong", 0.05),
    ("legacy_missing", 0.05),
)

# Chinese and Japanese sites still serve GBK / Shift_JIS far more often than European sites serve windows-125x.
CHARSET_CASES_CJK = (("utf8", 0.5), ("utf8_meta_only", 0.1), *((case, 0.1) for case, _ in CHARSET_CASES[2:]))


@dataclass
class Page:
    """What goes into one response record, plus its ground-truth fields."""

    url: str
    head: tuple  # (status, reason, content type or None, extra headers)
    body: bytes
    truth: dict = field(default_factory=dict)


def pick(rng: random.Random, weighted: tuple) -> str:
    names, weights = zip(*weighted)
    return rng.choices(names, weights=weights)[0]


def _charset_plan(language: str, rng: random.Random) -> tuple[str, str, str, str | None, str | None]:
    """(case, python codec, real label, header charset, meta charset)."""
    case = pick(rng, CHARSET_CASES_CJK if language in ("zh", "ja") else CHARSET_CASES)
    if case.startswith("legacy") and language not in LEGACY_CHARSETS:
        case = "utf8"
    codec, label = LEGACY_CHARSETS[language] if case.startswith("legacy") else ("utf-8", "utf-8")
    header, meta = {
        "utf8": (label, label),
        "utf8_meta_only": (None, label),
        "legacy_declared": (label, label),
        "legacy_meta_only": (None, label),
        "legacy_header_wrong": ("utf-8", None),
        "legacy_missing": (None, None),
    }[case]
    return case, codec, label, header, meta


def article_page(
    pack: LanguagePack,
    site: html.Site,
    article: Article,
    url: str,
    rng: random.Random,
    *,
    charset: bool = True,
    layout: str | None = None,
) -> Page:
    """A full article page; `charset=False` forces plain UTF-8 (used for duplicates)."""
    case, codec, real, header, meta = (
        _charset_plan(pack.code, rng) if charset else ("utf8", "utf-8", "utf-8", "utf-8", "utf-8")
    )
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    comments = [
        (rng.choice(pack.persons), rng.choice(pack.raw["comments"])) for _ in range(rng.choice((0, 0, 1, 2, 3, 5)))
    ]
    related = [render(rng.choice(pack.titles), rng, {**_related_ctx(pack, rng)}) for _ in range(rng.randint(3, 5))]
    text = html.article_page(
        pack, site, article, rng, meta_charset=meta, byline=rng.choice(pack.persons), date=date,
        comments=comments, related=related, layout=layout or rng.choice(html.LAYOUTS),
    )  # fmt: skip
    content_type = f"text/html; charset={header}" if header else "text/html"
    truth = {"charset_case": case, "charset_http": header, "charset_meta": meta, "charset_real": real}
    return Page(url, (200, "OK", content_type, {}), text.encode(codec, errors="xmlcharrefreplace"), truth)


def _related_ctx(pack: LanguagePack, rng: random.Random) -> dict:
    return {
        "city": rng.choice(pack.cities),
        "org": rng.choice(pack.orgs),
        "topic": rng.choice(pack.raw["topics"]),
        "year": str(rng.randint(1990, 2022)),
    }


def boilerplate_page(pack: LanguagePack, site: html.Site, url: str, rng: random.Random) -> Page:
    related = [render(rng.choice(pack.titles), rng, _related_ctx(pack, rng)) for _ in range(rng.randint(4, 8))]
    body = html.boilerplate_page(pack, site, related, rng.randint(2015, 2024)).encode()
    return Page(url, (200, "OK", "text/html; charset=utf-8", {}), body, _utf8_truth())


def text_page(article: Article, url: str, as_list: bool, links: int) -> Page:
    body = html.text_page(article, article.language, as_list, links).encode()
    return Page(url, (200, "OK", "text/html; charset=utf-8", {}), body, _utf8_truth())


def non_html_page(url_base: str, rng: random.Random) -> Page:
    subkind, content_type, make = rng.choice(payloads.NON_HTML)
    url = f"{url_base}.{subkind}" if subkind != "json" else url_base.replace("/news/", "/api/v2/") + "?format=json"
    return Page(url, (200, "OK", content_type, {}), make(rng), {"subkind": subkind})


def redirect_page(url: str, target: str, rng: random.Random) -> Page:
    status, reason = rng.choice(((301, "Moved Permanently"), (302, "Found")))
    body = html.status_page(status, reason, target).encode()
    return Page(url, (status, reason, "text/html", {"Location": target}), body, {"subkind": str(status)})


def error_page(url: str, rng: random.Random) -> Page:
    status, reason = rng.choice(((404, "Not Found"), (404, "Not Found"), (500, "Internal Server Error")))
    body = html.status_page(status, reason).encode()
    return Page(url, (status, reason, "text/html", {}), body, {"subkind": str(status)})


def _utf8_truth() -> dict:
    return {"charset_case": "utf8", "charset_http": "utf-8", "charset_meta": "utf-8", "charset_real": "utf-8"}
