"""Parsing a decoded page with lxml, for the extraction fix-ups that need the page's tree."""

from __future__ import annotations


def parse_html(html: str, parser=None):
    """``html`` parsed by ``lxml.html.fromstring`` (with ``parser`` when given), or None when libxml2 finds
    no document in it. A string that declares an XML encoding is parsed from its UTF-8 bytes (lxml
    refuses such strings with a ValueError)."""
    from lxml import etree
    from lxml.html import fromstring

    for source in (html, html.encode("utf-8", "surrogatepass")):
        try:
            return fromstring(source, parser=parser)
        except ValueError:
            continue
        except etree.ParserError:
            return None
    return None
