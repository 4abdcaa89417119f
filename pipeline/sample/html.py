"""HTML for the sample crawl: the article text wrapped in the clutter real pages carry.

Every article page has a cookie banner, a navigation bar, a byline, a "related" box, reader comments,
a footer and scripts, in one of three layouts (semantic HTML5, div soup, blog template), so an
extractor has to find the article body rather than take the page's whole text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from .texts import Article, LanguagePack

LAYOUTS = ("semantic", "divs", "blog")
_SITE_A = ("daily", "city", "metro", "valley", "river", "north", "bay", "lake", "central", "hill")
_SITE_B = ("herald", "courier", "post", "times", "journal", "tribune", "report", "gazette", "news", "today")
_TLDS = {
    "en": ("com", "org", "net"),
    "de": ("de",),
    "fr": ("fr",),
    "es": ("es",),
    "ru": ("ru",),
    "zh": ("cn", "com.cn"),
    "ja": ("jp", "co.jp"),
}
_SCRIPT = "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());</script>"


@dataclass(frozen=True)
class Site:
    domain: str
    name: str
    language: str


def make_sites(language: str, rng: random.Random, n: int = 24) -> tuple[Site, ...]:
    sites = []
    for _ in range(n):
        a, b = rng.choice(_SITE_A), rng.choice(_SITE_B)
        domain = f"www.{a}{b}{rng.randint(1, 99)}.{rng.choice(_TLDS.get(language, ('com',)))}"
        sites.append(Site(domain, f"{a.title()} {b.title()}", language))
    return tuple(sites)


def _head(title: str, lang: str, meta_charset: str | None) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>{meta}<title>{escape(title, quote=False)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/css/main.css">' + _SCRIPT + "</head>\n"
    )


def _cookie(pack: LanguagePack) -> str:
    r = pack.raw
    return (
        f'<div id="cookie-banner" class="cookie-consent" role="dialog"><p>{escape(r["cookie"], quote=False)}</p>'
        f'<button class="accept">{escape(r["cookie_accept"])}</button><button class="settings">{escape(r["cookie_reject"])}</button></div>\n'
    )


def _nav(pack: LanguagePack) -> str:
    items = "".join(f'<li><a href="/{i}/">{escape(label)}</a></li>' for i, label in enumerate(pack.raw["nav"]))
    return f'<nav class="main-nav"><ul>{items}</ul></nav>\n'


def _footer(pack: LanguagePack, site: Site, year: int) -> str:
    first, *links = pack.raw["footer"]
    items = "".join(f'<li><a href="/legal/{i}">{escape(label)}</a></li>' for i, label in enumerate(links))
    return (
        f'<footer class="site-footer"><p>&copy; {year} {escape(site.name)}. {escape(first)}</p><ul>{items}</ul>'
        f'<p class="newsletter"><a href="/newsletter">{escape(pack.raw["subscribe"])}</a></p></footer>\n'
    )


def _related(pack: LanguagePack, titles: list[str]) -> str:
    items = "".join(f'<li><a href="/a/{i}">{escape(t)}</a></li>' for i, t in enumerate(titles))
    return f'<aside class="related"><h3>{escape(pack.raw["related"])}</h3><ul>{items}</ul></aside>\n'


def _comments(pack: LanguagePack, comments: list[tuple[str, str]]) -> str:
    if not comments:
        return ""
    body = "".join(
        f'<div class="comment"><span class="author">{escape(a)}</span><p>{escape(t, quote=False)}</p></div>'
        for a, t in comments
    )
    return (
        f'<section class="comments"><h3>{escape(pack.raw["comments_heading"])} ({len(comments)})</h3>{body}</section>\n'
    )


def article_page(
    pack: LanguagePack,
    site: Site,
    article: Article,
    rng: random.Random,
    *,
    meta_charset: str | None,
    byline: str,
    date: str,
    comments: list[tuple[str, str]],
    related: list[str],
    layout: str,
) -> str:
    """The full HTML of an article page; the article body is exactly `article.paragraphs` as <p>s."""
    paras = "".join(f"<p>{escape(p, quote=False)}</p>\n" for p in article.paragraphs)
    h1 = f"<h1>{escape(article.title, quote=False)}</h1>"
    meta = f'<p class="byline">{escape(pack.raw["by"])} {escape(byline)} · <time datetime="{date}">{date}</time></p>'
    share = f'<div class="share"><a href="#">{escape(pack.raw["share"])}</a></div>'
    year = int(date[:4])
    if layout == "semantic":
        main = f"<main><article>{h1}{meta}\n{paras}{share}</article>\n{_related(pack, related)}{_comments(pack, comments)}</main>\n"
        body = f"<header>{_nav(pack)}</header>\n{main}"
    elif layout == "divs":
        main = f'<div id="content"><div class="headline">{h1}</div>{meta}<div class="story-body">\n{paras}</div>{share}</div>\n'
        body = f'<div id="top">{_nav(pack)}</div>\n<div class="wrapper">{main}<div class="sidebar">{_related(pack, related)}</div>{_comments(pack, comments)}</div>\n'
    else:
        widget = f'<div class="widget"><h4>{escape(pack.raw["read_more"])}</h4><p><a href="/tag/{rng.randint(1, 50)}">#{rng.randint(1, 50)}</a></p></div>'
        main = f'<div class="post"><div class="post-header">{h1}{meta}</div><div class="post-body entry-content">\n{paras}</div></div>\n'
        body = f'{_nav(pack)}<div class="container">{main}<div class="sidebar">{widget}{_related(pack, related)}</div>{_comments(pack, comments)}</div>\n'
    return f"{_head(article.title, pack.code, meta_charset)}<body>\n{_cookie(pack)}{body}{_footer(pack, site, year)}{_SCRIPT}</body></html>\n"


def boilerplate_page(pack: LanguagePack, site: Site, related: list[str], year: int) -> str:
    """Chrome only (banner, menu, link lists, footer): there is no main text to extract."""
    return (
        f"{_head(site.name, pack.code, 'utf-8')}<body>\n{_cookie(pack)}<header>{_nav(pack)}</header>\n"
        f"{_related(pack, related)}{_footer(pack, site, year)}</body></html>\n"
    )


def text_page(article: Article, lang: str, as_list: bool, links: int = 0) -> str:
    """A bare page (spam or lorem ipsum) whose visible text is `article.paragraphs`."""
    if as_list:
        inner = (
            "<ul>"
            + "".join(f'<li><a href="/go/{i}">{escape(p)}</a></li>' for i, p in enumerate(article.paragraphs))
            + "</ul>"
        )
    else:
        inner = "".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)
    extra = "".join(f'<a href="http://promo{i}.example/">{i}</a> ' for i in range(links))
    return (
        f"{_head(article.title, lang, 'utf-8')}<body><h1>{escape(article.title)}</h1>\n{inner}\n{extra}</body></html>\n"
    )


def status_page(status: int, reason: str, location: str | None = None) -> str:
    """The small body a server sends with an error or a redirect."""
    link = f'<p>The document has moved <a href="{escape(location)}">here</a>.</p>' if location else ""
    return f"<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1>{link}<hr><address>nginx</address></body></html>\n"
