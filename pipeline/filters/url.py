"""URL blocklist filter: removes documents by the domain or the words of their URL.

Lists are plain text files, one entry per line, ``#`` starting a comment. The filter merges the
user's files (paths given as parameters) with small defaults shipped in
``pipeline/filters/data/`` (``use_default_lists=False`` drops them). The defaults are a
handful of examples written for this project, not a maintained blocklist: see their headers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter, process_cached
from pipeline.text.stopwords import read_word_list

DATA_DIR = Path(__file__).with_name("data")
DEFAULT_LISTS = {
    "domains": DATA_DIR / "url_blocklist_domains.txt",
    "banned_words": DATA_DIR / "url_banned_words.txt",
    "banned_subwords": DATA_DIR / "url_banned_subwords.txt",
    "soft_words": DATA_DIR / "url_soft_words.txt",
}
# Schemes whose URLs name no host ("mailto:a@b.c" must not read as host "mailto").
_HOSTLESS_SCHEMES = frozenset({"mailto", "tel", "data", "javascript", "about", "urn", "news"})
# Letters and digits of any script; everything else separates URL tokens.
_TOKEN_SPLIT = re.compile(r"[\W_]+")


def url_host(url: str) -> str | None:
    """The lowercased host of a URL (no port, user info or trailing dot); None if it has none."""
    text = url.strip()
    if text.split(":", 1)[0].lower() in _HOSTLESS_SCHEMES:
        return None
    if "://" not in text and not text.startswith("//"):
        text = "//" + text  # "example.com/page": without a scheme urlsplit sees no host
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def host_suffixes(host: str) -> list[str]:
    """The host and each parent domain: "a.b.com" -> ["a.b.com", "b.com", "com"]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def url_tokens(url: str) -> set[str]:
    """Distinct lowercased tokens of the percent-decoded URL."""
    return {t for t in _TOKEN_SPLIT.split(unquote(url).lower()) if t}


class UrlFilter(Filter):
    """Removes a document whose ``url`` (or, without one, ``domain``) is blocklisted.

    * ``url_blocked_domain``: the host or one of its parent domains is in the domain lists
      (``blocklist_paths`` + default), so "example.com" also blocks "www.example.com".
    * ``url_banned_word``: a whole URL token is in the banned-word lists (``banned_words_paths``
      + default), e.g. "porn" in ``/free-porn/``, but not "pornography" (whole tokens only).
    * ``url_banned_subword``: the host contains a banned substring (``banned_subwords_paths`` +
      default), catching glued hosts like ``freepornsite.example``.
    * ``url_soft_words``: at least ``soft_word_threshold`` distinct soft words are URL tokens
      (``soft_words_paths`` + default); off while the threshold is None (the default).

    A document with neither URL nor domain is kept: there is nothing to judge. Missing list
    files fail at construction, before any job starts.
    """

    name = "url_filter"
    reasons: ClassVar[tuple[str, ...]] = (
        "url_blocked_domain",
        "url_banned_word",
        "url_banned_subword",
        "url_soft_words",
    )
    params_spec: ClassVar[dict[str, Param]] = {
        "blocklist_paths": Param("list[str]", (), "files of blocked domains, one per line (added to the defaults)"),
        "banned_words_paths": Param("list[str]", (), "files of banned URL words (whole tokens)"),
        "banned_subwords_paths": Param("list[str]", (), "files of banned host substrings"),
        "soft_words_paths": Param("list[str]", (), "files of soft words, counted against soft_word_threshold"),
        "soft_word_threshold": Param(
            "int", None, "this many distinct soft words remove the page", "words", min=1, nullable=True
        ),
        "use_default_lists": Param("bool", True, "also use the small lists shipped in pipeline/filters/data/"),
    }

    def __init__(
        self,
        blocklist_paths: list[str] | tuple[str, ...] = (),
        banned_words_paths: list[str] | tuple[str, ...] = (),
        banned_subwords_paths: list[str] | tuple[str, ...] = (),
        soft_words_paths: list[str] | tuple[str, ...] = (),
        soft_word_threshold: int | None = None,
        use_default_lists: bool = True,
    ):
        self.blocklist_paths = [os.fspath(p) for p in blocklist_paths]
        self.banned_words_paths = [os.fspath(p) for p in banned_words_paths]
        self.banned_subwords_paths = [os.fspath(p) for p in banned_subwords_paths]
        self.soft_words_paths = [os.fspath(p) for p in soft_words_paths]
        self.soft_word_threshold = soft_word_threshold
        self.use_default_lists = use_default_lists
        for key in ("blocklist_paths", "banned_words_paths", "banned_subwords_paths", "soft_words_paths"):
            for path in getattr(self, key):
                if not os.path.isfile(path):
                    raise FileNotFoundError(f"UrlFilter {key}: no such file {path!r}")
        if soft_word_threshold is not None and soft_word_threshold < 1:
            raise ValueError(f"UrlFilter soft_word_threshold must be >= 1 or None, got {soft_word_threshold!r}")

    def setup(self) -> None:
        key = ("pipeline.filters.url", self._list_paths())
        self._lists = process_cached(key, self._load_lists)

    def _list_paths(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        user = {
            "domains": self.blocklist_paths,
            "banned_words": self.banned_words_paths,
            "banned_subwords": self.banned_subwords_paths,
            "soft_words": self.soft_words_paths,
        }
        default = {kind: [str(path)] if self.use_default_lists else [] for kind, path in DEFAULT_LISTS.items()}
        return tuple((kind, tuple(default[kind] + list(paths))) for kind, paths in user.items())

    def _load_lists(self) -> dict[str, frozenset[str]]:
        lists = {}
        for kind, paths in self._list_paths():
            entries: set[str] = set()
            for path in paths:
                entries |= read_word_list(path)
            lists[kind] = frozenset(e.strip(".") for e in entries) if kind == "domains" else frozenset(entries)
        return lists

    def check(self, doc: Document):
        self.ensure_setup()
        url = doc.get("url") or ""
        host = url_host(url) if url else None
        host = host or (doc.get("domain") or "").strip().lower().rstrip(".") or None
        if host is None:
            return None
        lists = self._lists
        for suffix in host_suffixes(host):
            if suffix in lists["domains"]:
                return "url_blocked_domain", f"host={host} matches {suffix}"
        tokens = url_tokens(url) if url else set(host.split("."))
        banned = sorted(tokens & lists["banned_words"])
        if banned:
            return "url_banned_word", f"banned word {banned[0]!r} in url"
        for sub in sorted(lists["banned_subwords"]):
            if sub in host:
                return "url_banned_subword", f"host={host} contains {sub!r}"
        if self.soft_word_threshold is not None:
            soft = sorted(tokens & lists["soft_words"])
            if len(soft) >= self.soft_word_threshold:
                return "url_soft_words", f"soft_words={len(soft)} >= {self.soft_word_threshold}: {', '.join(soft)}"
        return None
