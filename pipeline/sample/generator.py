"""Generate a synthetic crawl (WARC.gz files) with exact ground truth, for tests, demos and benchmarks.

Output layout (`generate_sample(out_dir, pages, seed, pages_per_file)`):

    out_dir/warc/sample-00000.warc.gz ...   warcinfo, then request/response/metadata per capture
    out_dir/ground_truth.jsonl              one JSON object per capture (response record), in WARC order
    out_dir/summary.json                    counts (by kind, language, charset case, PII type, edit rate)
    out_dir/reference/<lang>.txt            clean articles for reference-corpus training: one paragraph
                                            per line, a blank line between articles; generated from a
                                            separate seed stream, so never a copy of a crawl page

Ground-truth fields: page_id, warc_file, record_id (the response's WARC-Record-ID), url, http_status,
content_type, kind (article | near_dup | exact_dup | spam | lorem | boilerplate | non_html | redirect |
error), subkind, language, title, main_text (article body, paragraphs joined by "\\n"; "" when the page
has none), dup_group (page_id of the group's original; set on originals that may be copied and on their
copies), dup_of, edit_rate / edits / edit_units (near duplicates; units are words, or characters for
zh/ja), pii (list of {type, value, format, where}; every value occurs verbatim in main_text), and
charset_case / charset_http / charset_meta / charset_real (see pages.py).

Distinct articles of one language share templates, so they are not unrelated text: their 5-gram
shingle Jaccard similarity is at most ~0.35 (words) or ~0.5 (zh/ja characters), against ~0.6+ for near
duplicates at edit rate 0.02-0.05. Dedup thresholds should be scored with that in mind.

Everything random comes from `random.Random` streams derived from the seed (and the seeded faker pools),
so the same (seed, pages, pages_per_file) gives byte-identical output. Memory stays bounded: pages are
streamed to disk and only a window of recent originals is kept for copying.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, deque
from pathlib import Path

from . import pages as pg
from .html import make_sites
from .pii import choose_pii_types, make_pii
from .texts import LanguagePack, insert_sentence, load_language, make_article
from .variants import NEAR_DUP_RATES, lorem_text, near_duplicate, spam_text
from .warc import SampleWarcWriter as WarcWriter

KIND_WEIGHTS = (
    ("article", 0.60), ("near_dup", 0.12), ("exact_dup", 0.05), ("spam", 0.05), ("lorem", 0.025),
    ("boilerplate", 0.025), ("non_html", 0.05), ("redirect", 0.04), ("error", 0.04),
)  # fmt: skip
LANGUAGE_WEIGHTS = (("en", 0.28), ("de", 0.12), ("fr", 0.12), ("es", 0.12), ("ru", 0.1), ("zh", 0.16), ("ja", 0.1))
SPAM_LANGUAGES = (("en", 0.4), ("zh", 0.35), ("ru", 0.15), ("de", 0.1))
PII_SHARE = 0.2  # share of original articles that carry planted PII
DUP_SOURCE_SHARE = 0.3  # share of PII-free originals that may be copied
DUP_WINDOW = 500  # originals kept in memory as copy sources


class _Builder:
    """Holds the seeded streams and state of one generation run; `next_page` makes page `index`."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:pages")
        self.packs = {code: load_language(code, seed) for code, _ in LANGUAGE_WEIGHTS}
        site_rng = random.Random(f"{seed}:sites")
        self.sites = {code: make_sites(code, site_rng) for code in self.packs}
        self.sources: deque = deque(maxlen=DUP_WINDOW)
        self.rate_turn = 0

    def _url(self, site, index: int, suffix: str = ".html") -> str:
        r = self.rng
        return f"https://{site.domain}/news/{r.randint(2015, 2024)}/{r.randint(1, 12):02d}/story-{index:07d}{suffix}"

    def next_page(self, index: int) -> pg.Page:
        kind = pg.pick(self.rng, KIND_WEIGHTS)
        if kind in ("near_dup", "exact_dup") and not self.sources:
            kind = "article"
        page = getattr(self, f"_{kind}")(index)
        page.truth = {"kind": kind, **page.truth}
        return page

    def _article(self, index: int) -> pg.Page:
        lang = pg.pick(self.rng, LANGUAGE_WEIGHTS)
        pack = self.packs[lang]
        article, pii = make_article(pack, self.rng), []
        if self.rng.random() < PII_SHARE:
            article, pii = self._plant_pii(article, pack)
        site = self.rng.choice(self.sites[lang])
        page = pg.article_page(pack, site, article, self._url(site, index), self.rng)
        group = None
        if not pii and self.rng.random() < DUP_SOURCE_SHARE:
            group = f"p{index:07d}"
            self.sources.append((group, article))
        page.truth.update(_text_truth(article, lang), dup_group=group, pii=pii)
        return page

    def _plant_pii(self, article, pack: LanguagePack):
        planted = []
        for kind in choose_pii_types(self.rng, pack.code):
            item = make_pii(kind, self.rng, pack.code)
            sentence = pack.raw["pii"][kind].replace("{value}", item.value)
            article = insert_sentence(article, sentence, self.rng, pack.joiner)
            planted.append({"type": item.type, "value": item.value, "format": item.format, "where": "main"})
        return article, planted

    def _near_dup(self, index: int) -> pg.Page:
        group, source = self.rng.choice(self.sources)
        rate = NEAR_DUP_RATES[self.rate_turn % len(NEAR_DUP_RATES)]
        self.rate_turn += 1
        pack = self.packs[source.language]
        edited = near_duplicate(source, pack, rate, self.rng)
        site = self.rng.choice(self.sites[source.language])
        page = pg.article_page(pack, site, edited.article, self._url(site, index), self.rng, charset=False)
        page.truth.update(_text_truth(edited.article, source.language), dup_group=group, dup_of=group)
        page.truth.update(edit_rate=rate, edits=edited.edits, edit_units=edited.units)
        return page

    def _exact_dup(self, index: int) -> pg.Page:
        group, source = self.rng.choice(self.sources)
        pack, same_site = self.packs[source.language], self.rng.random() < 0.5
        site = self.rng.choice(self.sites[source.language])
        # Either the same page under a tracking-parameter URL (identical layout) or a syndicated copy.
        layout = "semantic" if same_site else None
        url = self._url(site, index) + ("?utm_source=newsletter&utm_medium=email" if same_site else "")
        page = pg.article_page(pack, site, source, url, self.rng, charset=False, layout=layout)
        page.truth.update(_text_truth(source, source.language), subkind="tracking_url" if same_site else "syndicated")
        page.truth.update(dup_group=group, dup_of=group)
        return page

    def _spam(self, index: int) -> pg.Page:
        lang = pg.pick(self.rng, SPAM_LANGUAGES)
        article = spam_text(lang, self.rng)
        url = f"https://www.best-deals{self.rng.randint(1, 999)}.top/p/{index:07d}.html"
        page = pg.text_page(article, url, as_list=True, links=self.rng.randint(20, 60))
        page.truth.update(_text_truth(article, lang), subkind="keyword_stuffing")
        return page

    def _lorem(self, index: int) -> pg.Page:
        article = lorem_text(self.rng)
        site = self.rng.choice(self.sites["en"])
        page = pg.text_page(article, self._url(site, index), as_list=False, links=0)
        page.truth.update(_text_truth(article, "la"), subkind="lorem_ipsum")
        return page

    def _boilerplate(self, index: int) -> pg.Page:
        lang = pg.pick(self.rng, LANGUAGE_WEIGHTS)
        site = self.rng.choice(self.sites[lang])
        page = pg.boilerplate_page(self.packs[lang], site, self._url(site, index), self.rng)
        page.truth.update(language=lang, title=site.name, main_text="")
        return page

    def _non_html(self, index: int) -> pg.Page:
        site = self.rng.choice(self.sites["en"])
        return pg.non_html_page(self._url(site, index, suffix=""), self.rng)

    def _redirect(self, index: int) -> pg.Page:
        site = self.rng.choice(self.sites[pg.pick(self.rng, LANGUAGE_WEIGHTS)])
        return pg.redirect_page(self._url(site, index), self._url(site, index + 10**6), self.rng)

    def _error(self, index: int) -> pg.Page:
        site = self.rng.choice(self.sites[pg.pick(self.rng, LANGUAGE_WEIGHTS)])
        return pg.error_page(self._url(site, index), self.rng)


def _text_truth(article, language: str) -> dict:
    return {"language": language, "title": article.title, "main_text": article.text}


_TRUTH_FIELDS = (
    "page_id", "warc_file", "record_id", "url", "http_status", "content_type", "kind", "subkind", "language",
    "title", "main_text", "dup_group", "dup_of", "edit_rate", "edits", "edit_units", "pii",
    "charset_case", "charset_http", "charset_meta", "charset_real",
)  # fmt: skip


def _truth_line(page: pg.Page, page_id: str, warc_file: str, record_id: str) -> dict:
    values = {**page.truth, "page_id": page_id, "warc_file": warc_file, "record_id": record_id, "url": page.url}
    values.update(http_status=page.head[0], content_type=page.head[2])
    values.setdefault("pii", [])
    values.setdefault("main_text", "")
    return {name: values.get(name) for name in _TRUTH_FIELDS}


def _summarise(counts: dict[str, Counter], truth: dict) -> None:
    counts["by_kind"][truth["kind"]] += 1
    counts["by_status"][str(truth["http_status"])] += 1
    if truth["language"]:
        counts["by_language"][truth["language"]] += 1
    if truth["charset_case"]:
        counts["by_charset_case"][truth["charset_case"]] += 1
    for item in truth["pii"]:
        counts["pii_by_type"][item["type"]] += 1
    if truth["edit_rate"] is not None:
        counts["near_dup_by_rate"][str(truth["edit_rate"])] += 1
    if truth["dup_group"] and not truth["dup_of"]:
        counts["dup_groups"]["originals"] += 1
    if truth["subkind"]:
        counts["by_subkind"][f"{truth['kind']}/{truth['subkind']}"] += 1


def write_reference(out_dir: Path, seed: int, docs_per_language: int) -> dict[str, int]:
    """Clean articles per language in `out_dir/reference/<lang>.txt`; returns characters written per language."""
    ref_dir = out_dir / "reference"
    ref_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for code, _ in LANGUAGE_WEIGHTS:
        rng, pack = random.Random(f"{seed}:reference:{code}"), load_language(code, seed)
        with open(ref_dir / f"{code}.txt", "w", encoding="utf-8", newline="\n") as fh:
            for _ in range(docs_per_language):
                fh.write(make_article(pack, rng).text + "\n\n")
            sizes[code] = fh.tell()
    return sizes


def generate_sample(
    out_dir, pages: int, seed: int = 0, pages_per_file: int = 1000, reference_docs: int | None = None
) -> dict:
    """Write the sample crawl, its ground truth and reference texts; returns the summary.

    `reference_docs` articles per language go to reference/ (default: pages // 20, between 20 and 5000).
    The returned summary adds `elapsed_s` and `pages_per_s`, which summary.json leaves out so that the
    files stay byte-identical between runs.
    """
    if pages < 1 or pages_per_file < 1:
        raise ValueError(f"pages and pages_per_file must be >= 1, got {pages} and {pages_per_file}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in (out / "warc").glob("sample-*.warc.gz"):
        stale.unlink()  # a rerun with fewer pages must not leave older files behind
    started = time.perf_counter()
    builder, counts = (
        _Builder(seed),
        {
            k: Counter()
            for k in (
                "by_kind",
                "by_status",
                "by_language",
                "by_charset_case",
                "pii_by_type",
                "near_dup_by_rate",
                "dup_groups",
                "by_subkind",
            )
        },
    )
    writer = WarcWriter(out, pages_per_file, random.Random(f"{seed}:warc"), seed)
    with open(out / "ground_truth.jsonl", "w", encoding="utf-8", newline="\n") as gt:
        for index in range(pages):
            page = builder.next_page(index)
            fetch_ms = builder.rng.randint(40, 2500)
            warc_file, record_id = writer.write_capture(page.url, page.head, page.body, {"fetchTimeMs": fetch_ms})
            truth = _truth_line(page, f"p{index:07d}", warc_file, record_id)
            gt.write(json.dumps(truth, ensure_ascii=False) + "\n")
            _summarise(counts, truth)
    writer.close()
    ref_docs = reference_docs if reference_docs is not None else max(20, min(5000, pages // 20))
    summary = {
        "seed": seed, "pages": pages, "pages_per_file": pages_per_file, "warc_files": writer.files,
        "records": writer.records, **{k: dict(sorted(v.items())) for k, v in counts.items()},
        "near_dup_rates": list(NEAR_DUP_RATES), "reference_chars": write_reference(out, seed, ref_docs),
        "reference_docs_per_language": ref_docs,
    }  # fmt: skip
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    return {**summary, "elapsed_s": round(elapsed, 3), "pages_per_s": round(pages / elapsed, 1)}
