"""Near duplicates at a known edit rate, and the low-quality texts (keyword spam, lorem ipsum).

Edit units are whitespace-separated words, or single characters for Chinese and Japanese, where
MinHash dedup shingles characters rather than words. An edit rate r means round(r * units) edits at
distinct positions, each a substitution (70 %), deletion (15 %) or insertion (15 %), so the word-level
Levenshtein distance between source and copy is that number (coincidental equal substitutes aside).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .texts import Article, LanguagePack, spam_resources

NEAR_DUP_RATES = (0.02, 0.05, 0.1, 0.2, 0.3)
_TRAILING = '.,;:!?»"'
_CJK_SKIP = set("。，、：；！？「」『』（）%0123456789")


@dataclass(frozen=True)
class EditedText:
    article: Article
    edits: int
    units: int


def _split_units(paragraph: str, cjk: bool) -> list[str]:
    return list(paragraph) if cjk else paragraph.split(" ")


def _editable(unit: str, cjk: bool) -> bool:
    return unit not in _CJK_SKIP if cjk else any(ch.isalpha() for ch in unit)


def _substitute(unit: str, pack: LanguagePack, rng: random.Random, cjk: bool) -> str:
    while True:
        word = rng.choice(pack.vocabulary)
        if cjk:
            if word != unit:
                return word
            continue
        core = unit.rstrip(_TRAILING)
        if word != core.lower():
            return word + unit[len(core) :]


def near_duplicate(article: Article, pack: LanguagePack, rate: float, rng: random.Random) -> EditedText:
    """A copy of `article` with round(rate * units) word (or CJK character) edits."""
    units = [_split_units(p, pack.cjk) for p in article.paragraphs]
    total = sum(len(u) for u in units)
    positions = [(pi, ui) for pi, pu in enumerate(units) for ui, unit in enumerate(pu) if _editable(unit, pack.cjk)]
    n_edits = min(round(rate * total), len(positions))
    # Apply from the end so that deletions and insertions do not shift later positions.
    for pi, ui in sorted(rng.sample(positions, n_edits), reverse=True):
        roll = rng.random()
        if roll < 0.70:
            units[pi][ui] = _substitute(units[pi][ui], pack, rng, pack.cjk)
        elif roll < 0.85 and len(units[pi]) > 1:
            del units[pi][ui]
        else:
            units[pi].insert(ui, rng.choice(pack.vocabulary))
    paragraphs = tuple(pack.joiner.join(u) for u in units)
    return EditedText(Article(article.language, article.title, paragraphs), n_edits, total)


def spam_text(language: str, rng: random.Random) -> Article:
    """Keyword stuffing: short keyword lines repeated many times, no sentences, few stop words."""
    keywords = spam_resources()[language]
    sep = "" if language in ("zh", "ja") else " "
    lines = [sep.join(rng.choices(keywords, k=rng.randint(3, 6))) for _ in range(rng.randint(15, 40))]
    # Repeat a handful of lines verbatim, as real SEO spam does (fails duplicate-line rules).
    lines += [rng.choice(lines) for _ in range(len(lines) // 2)]
    title = sep.join(rng.sample(keywords, 3))
    return Article(language, title, tuple(lines))


def lorem_text(rng: random.Random) -> Article:
    """Placeholder Latin filler of the kind left on unfinished sites."""
    words = spam_resources()["lorem"]
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentences = []
        for _ in range(rng.randint(3, 7)):
            sentence = " ".join(rng.choices(words, k=rng.randint(6, 14)))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs.append(" ".join(sentences))
    paragraphs[0] = "Lorem ipsum dolor sit amet, " + paragraphs[0][0].lower() + paragraphs[0][1:]
    return Article("la", "Lorem ipsum", tuple(paragraphs))
