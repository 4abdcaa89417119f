"""Labelled real text for the quality-model bench, all from ``../shared/data`` (see its SOURCES.md).

Two kinds of task per language, each a list of ``(group, text, is_good)`` examples, where ``group``
keeps every example of one page / one source paragraph on the same side of a held-out split:

- main text vs boilerplate of the same real pages: ``pages/wceb`` (English; ground-truth
  ``main_content`` vs the page's other visible text blocks) and ``pages/zh-web-extraction``
  (Chinese; hand-copied ``cleaned/`` text vs the page's other visible text blocks). A block is
  boilerplate when its text (whitespace removed) does not occur in the main text.
- clean reference text vs the same text with its words shuffled: wikitext-2 ``test.txt`` (en),
  ``corpora/zh-news`` (zh, words from jieba), the Japanese novel (ja, words from MeCab).

References for the language models (disjoint from every evaluation text): wikitext-2 ``valid.txt``,
the zh-news articles not used for evaluation, the first part of the Japanese novel.
"""

from __future__ import annotations

import gzip
import hashlib
import html as html_lib
import json
import random
import re
from pathlib import Path

from pipeline.extract.charset import decode_html

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
_INVISIBLE = re.compile(
    r"<(script|style|noscript|template|svg|head|select)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.I | re.S
)
_BLOCK = re.compile(
    r"<(?:/?(?:p|div|br|li|ul|ol|tr|td|th|h[1-6]|section|article|header|footer|nav|aside|table|dd|dt|dl|"
    r"blockquote|pre|form|main|figure|figcaption|button|label|option|title|hr)\b)[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*(?:>|\Z)")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_WS = re.compile(r"\s+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")  # a Han / kana character, or a run of other word characters


def group_of(key: str, folds: int = 5) -> int:
    """The cross-validation fold of an example group (a page or a source paragraph), by hash."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % folds


def visible_blocks(html: str) -> list[str]:
    """The page's visible text, one entry per block element (scripts, styles and <head> removed)."""
    text = _TAG.sub("", _BLOCK.sub("\n", _INVISIBLE.sub(" ", html)))
    lines = (_SPACE.sub(" ", html_lib.unescape(line)).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _word_key(text: str) -> str:
    return " " + " ".join(_WORD.findall(text)) + " "


def boilerplate_of(html: str, main: str, match: str = "words", min_block_chars: int = 0) -> str:
    """The visible blocks of a page whose text does not occur in its main text, one per line.

    ``match="words"``: a block is main text when its sequence of words (runs of word characters;
    every Han / kana character a word of its own) occurs in the main text's, at word boundaries. The ground truths re-type what they copy
    (wceb: curly quotes made straight, emoji dropped), and on 300 wceb pages the old
    ``match="exact"`` (whitespace removed, exact substring) left 20 % of the "boilerplate"
    characters in blocks whose words were >90 % main text. Blocks shorter than ``min_block_chars``
    (stripped) are left out of the boilerplate."""
    if match == "exact":
        main_key, key = _WS.sub("", main), (lambda b: _WS.sub("", b))
    else:
        main_key, key = _word_key(main), _word_key
    blocks = (b for b in visible_blocks(html) if len(b) >= min_block_chars)
    return "\n".join(b for b in blocks if key(b) not in main_key)


def wceb_pages(limit: int = 300, min_chars: int = 200, seed: int = 0, **block) -> list[tuple[str, str, bool]]:
    """English main text vs boilerplate of ``limit`` seeded-sampled wceb pages (both sides >= min_chars;
    ``block``: ``boilerplate_of``'s options)."""
    root = SHARED / "pages" / "wceb"
    rows = [line.split("\t") for line in (root / "pairs.tsv").read_text().splitlines()[1:]]
    rows = [r for r in rows if r[2] == "en" and r[0]]  # one ground truth (2829) has no HTML
    random.Random(seed).shuffle(rows)
    out: list[tuple[str, str, bool]] = []
    for page, truth, *_ in rows:
        if len(out) >= 2 * limit:
            break
        gt = json.loads((root / truth).read_text())["ground_truth"]
        main = (eval_literal(gt) or {}).get("main_content") or ""
        html = gzip.decompress((root / page).read_bytes()).decode("utf-8", "replace")
        boiler = boilerplate_of(html, main, **block)
        if len(main) >= min_chars and len(boiler) >= min_chars:
            out += [(page, main, True), (page, boiler, False)]
    return out


def eval_literal(value) -> dict | None:
    """wceb stores ground truth as a Python-literal string inside the JSON."""
    import ast

    return value if isinstance(value, dict) else ast.literal_eval(value)


def zh_pages(min_chars: int = 50, **block) -> list[tuple[str, str, bool]]:
    """Chinese main text vs boilerplate of the 69 zh-web-extraction pages."""
    root = SHARED / "pages" / "zh-web-extraction"
    out: list[tuple[str, str, bool]] = []
    for line in (root / "pairs.tsv").read_text().splitlines()[1:]:
        page, cleaned, *_ = line.split("\t")
        main = (root / cleaned).read_text(encoding="utf-8", errors="replace")
        html = _decode((root / page).read_bytes())
        boiler = boilerplate_of(html, main, **block)
        if len(_WS.sub("", main)) >= min_chars and len(_WS.sub("", boiler)) >= min_chars:
            out += [(page, main, True), (page, boiler, False)]
    return out


def _decode(data: bytes) -> str:
    """The project's decoder; pages it cannot decode (one wrapper-only page) are read as GB18030."""
    from pipeline.extract.charset import CharsetDecodeError

    try:
        return decode_html(data)[0]
    except CharsetDecodeError:
        return data.decode("gb18030", "replace")


def _shuffled(texts: list[str], words, seed: int) -> list[tuple[str, str, bool]]:
    rng = random.Random(seed)
    out = []
    for i, text in enumerate(texts):
        toks = words(text)
        rng.shuffle(toks)
        joiner = " " if " " in text else ""
        out += [(f"s{i}", text, True), (f"s{i}", joiner.join(toks), False)]
    return out


def wikitext_paragraphs(name: str) -> list[str]:
    lines = (SHARED / "corpora" / "wikitext-2" / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.split()) > 20 and not line.strip().startswith("=")]


def zh_news() -> list[str]:
    with gzip.open(SHARED / "corpora" / "zh-news" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def ja_novel_paragraphs() -> list[str]:
    """Body paragraphs of the Aozora novel (ruby marks 《》 and editor notes ［＃...］ removed)."""
    text = (SHARED / "corpora" / "sentencepiece" / "wagahaiwa_nekodearu.txt").read_text(encoding="utf-8")
    text = re.sub(r"《[^》]*》|［＃[^］]*］|｜", "", text)
    return [p.strip() for p in text.splitlines() if len(p.strip()) >= 40]


def split_sentences(text: str) -> list[str]:
    """Sentences of CJK prose (cut after 。！？) or English (cut after '. ')."""
    parts = re.split(r"(?<=[。！？])|(?<=\. )", text)
    return [p.strip() for p in parts if len(p.strip()) >= 10]


def shuffle_sets(per_language: int = 300, seed: int = 0) -> dict[str, dict]:
    """Per language: the LM reference lines and clean vs word-shuffled evaluation sentences."""
    from pipeline.text.segment import jieba_tokenizer, mecab_tagger

    rng = random.Random(seed)
    test = wikitext_paragraphs("test.txt")
    en_eval = [s for p in test[: len(test) // 2] for s in split_sentences(p) if len(s.split()) >= 8]
    news = zh_news()
    zh_eval_docs, zh_ref_docs = news[:500], news[FAIR_ZH_DOCS:]
    zh_eval = [s for d in zh_eval_docs for line in d.split("\n")[1:] for s in split_sentences(line)]
    ja = ja_novel_paragraphs()
    cut, fair_cut = int(len(ja) * 0.8), int(len(ja) * 0.7)
    ja_eval = [s for p in ja[cut:] for s in split_sentences(p)]
    tagger = mecab_tagger()

    def pick(xs):
        return rng.sample(xs, min(per_language, len(xs)))

    return {
        "en": {
            "reference": wikitext_paragraphs("valid.txt"),
            "eval": _shuffled(pick(en_eval), str.split, seed),
        },
        "zh": {
            "reference": [line for d in zh_ref_docs for line in d.split("\n") if line.strip()],
            "eval": _shuffled(pick(zh_eval), lambda t: jieba_tokenizer().lcut(t), seed),
        },
        "ja": {
            "reference": ja[:fair_cut],
            "eval": _shuffled(pick(ja_eval), lambda t: [n.surface for n in tagger(t)], seed),
        },
    }


FAIR_ZH_DOCS = 1000  # zh-news articles 500-999: clean held-out documents for the fairness figure


def clean_documents(per_language: int = 100) -> dict[str, list[str]]:
    """Clean real documents no model saw: wikitext-2 test articles' paragraphs (second half, 3 a
    document), zh-news articles 500-999, the novel's 70-80 % stretch (3 paragraphs a document)."""
    test = wikitext_paragraphs("test.txt")[len(wikitext_paragraphs("test.txt")) // 2 :]
    ja = ja_novel_paragraphs()
    ja_fair = ja[int(len(ja) * 0.7) : int(len(ja) * 0.8)]

    def docs(paras):
        return ["\n".join(paras[i : i + 2]) for i in range(0, len(paras) - 1, 2)][:per_language]

    return {"en": docs(test), "zh": zh_news()[500:FAIR_ZH_DOCS][:per_language], "ja": docs(ja_fair)}


def reference_documents(sets: dict, per_language: int = 400) -> dict[str, list[str]]:
    """Reference documents for the classifier's positives: 2 reference paragraphs a document
    (en, ja) or one zh-news article, from the LM references (disjoint from every evaluation text)."""
    out = {}
    for lang, s in sets.items():
        ref = s["reference"]
        if lang == "zh":
            out[lang] = zh_news()[FAIR_ZH_DOCS : FAIR_ZH_DOCS + per_language]
        else:
            out[lang] = ["\n".join(ref[i : i + 2]) for i in range(0, len(ref) - 1, 2)][:per_language]
    return out
