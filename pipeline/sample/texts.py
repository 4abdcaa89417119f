"""Seeded article text from the hand-written per-language resources in ``resources/<lang>.json``.

Each resource holds ~35 sentence templates written for this project. A template mixes fixed prose,
inline alternatives ``[a|b|c]`` and slots ``{person}``, ``{city}``, ``{org}``, ``{topic}``, ``{num}``,
``{year}``, ``{pct}``. Names, cities and companies come from faker's locale providers, drawn once into
pools with a seeded faker so that a run is reproducible and fast. An article uses each template at most
once: repeated template text would create the duplicated n-grams that Gopher's repetition rules
(Rae et al. 2021, table A1) penalise, and these articles are meant to pass those rules.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from faker import Faker

_TOKEN = re.compile(r"\[|\]|\||\{(\w+)\}")
# Sentence count per article: 8 sentences are ~150 words (or ~300 CJK characters); the maximum is the
# number of templates, which gives ~600 words / ~1400 characters.
MIN_SENTENCES = 8
POOL_PERSONS, POOL_CITIES, POOL_ORGS = 400, 300, 200


class _Slot(str):
    """A named slot inside a compiled template (a str subclass so it hashes and compares cheaply)."""


def compile_template(text: str) -> list:
    """Parse a template into a list of literals, `_Slot`s and alternative groups (lists of part lists)."""
    stack: list[list] = [[]]  # innermost group's current alternative is stack[-1]
    groups: list[list] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            stack[-1].append(text[pos : match.start()])
        token = match.group(0)
        if match.group(1):
            stack[-1].append(_Slot(match.group(1)))
        elif token == "[":
            groups.append([])
            stack.append([])
        elif token == "|":
            groups[-1].append(stack.pop())
            stack.append([])
        else:  # "]"
            groups[-1].append(stack.pop())
            stack[-1].append(groups.pop())
        pos = match.end()
    if len(stack) != 1 or groups:
        raise ValueError(f"unbalanced alternatives in template: {text!r}")
    if pos < len(text):
        stack[-1].append(text[pos:])
    return stack[0]


def render(parts: list, rng: random.Random, ctx: dict) -> str:
    out = []
    for part in parts:
        if isinstance(part, _Slot):
            value = ctx.get(part)
            out.append(value(rng) if callable(value) else value)
        elif isinstance(part, list):
            out.append(render(rng.choice(part), rng, ctx))
        else:
            out.append(part)
    return "".join(out)


@dataclass(frozen=True)
class Article:
    language: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class LanguagePack:
    """One language's templates, page chrome strings and seeded name pools."""

    code: str
    cjk: bool
    raw: dict
    titles: tuple
    sentences: tuple
    persons: tuple[str, ...]
    cities: tuple[str, ...]
    orgs: tuple[str, ...]
    vocabulary: tuple[str, ...]
    synonym_pattern: re.Pattern | None
    synonym_group: dict  # member -> index of its group in raw["synonyms"]

    @property
    def joiner(self) -> str:
        return "" if self.cjk else " "


def available_languages() -> tuple[str, ...]:
    names = (p.name for p in resources.files(__package__).joinpath("resources").iterdir())
    return tuple(sorted(n[:-5] for n in names if n.endswith(".json") and n != "spam.json"))


@cache
def spam_resources() -> dict:
    return json.loads(resources.files(__package__).joinpath("resources", "spam.json").read_text("utf-8"))


def _vocabulary(raw: dict, cjk: bool) -> tuple[str, ...]:
    """Replacement units for near-duplicate edits: words (or CJK characters) of the language's own prose."""
    text = re.sub(r"\{\w+\}|[\[\]|]", " ", " ".join(raw["sentences"]))
    if cjk:
        units = {ch for ch in text if "\u3040" <= ch <= "\u9fff"}
    else:
        units = {w.strip('.,;:!?«»"()').lower() for w in text.split()}
        units = {w for w in units if len(w) > 1 and w.isalpha()}
    return tuple(sorted(units))


@cache
def load_language(code: str, seed: int = 0) -> LanguagePack:
    raw = json.loads(resources.files(__package__).joinpath("resources", f"{code}.json").read_text("utf-8"))
    fake = Faker(raw["faker_locale"])
    fake.seed_instance(seed)
    city = getattr(fake, "city_name", fake.city)
    return LanguagePack(
        code=code,
        cjk=raw["cjk"],
        raw=raw,
        titles=tuple(compile_template(t) for t in raw["titles"]),
        sentences=tuple(compile_template(t) for t in raw["sentences"]),
        persons=tuple(fake.name() for _ in range(POOL_PERSONS)),
        cities=tuple(city() for _ in range(POOL_CITIES)),
        orgs=tuple(fake.company() for _ in range(POOL_ORGS)),
        vocabulary=_vocabulary(raw, raw["cjk"]),
        **_synonyms(raw),
    )


def _synonyms(raw: dict) -> dict:
    """One regex over all synonym members (longest first; whole words outside CJK)."""
    groups = raw.get("synonyms", [])
    members = {m: gi for gi, group in enumerate(groups) for m in group}
    if not members:
        return {"synonym_pattern": None, "synonym_group": {}}
    alternation = "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True))
    pattern = re.compile(alternation if raw["cjk"] else rf"\b(?:{alternation})\b")
    return {"synonym_pattern": pattern, "synonym_group": members}


def _vary_wording(pack: LanguagePack, sentences: list[str], rng: random.Random) -> list[str]:
    """Swap each synonym group to one member chosen per article, so that two articles built from the
    same templates share fewer shingles (they must not look like near duplicates of each other)."""
    if pack.synonym_pattern is None:
        return sentences
    chosen = [rng.choice(group) for group in pack.raw["synonyms"]]
    swap = lambda m: chosen[pack.synonym_group[m.group(0)]]  # noqa: E731
    return [pack.synonym_pattern.sub(swap, s) for s in sentences]


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def article_context(pack: LanguagePack, rng: random.Random) -> dict:
    """Slot values that stay fixed within one article (so it reads as one story) plus number generators."""
    return {
        "person": rng.choice(pack.persons),
        "person2": rng.choice(pack.persons),
        "city": rng.choice(pack.cities),
        "org": rng.choice(pack.orgs),
        "topic": rng.choice(pack.raw["topics"]),
        "num": lambda r: str(r.randint(2, 90)),
        "year": lambda r: str(r.randint(1985, 2022)),
        "pct": lambda r: str(r.randint(3, 85)),
    }


def make_article(pack: LanguagePack, rng: random.Random, n_sentences: int | None = None) -> Article:
    """An article of 8..all templates, in paragraphs of 2-5 sentences, each template used once."""
    ctx = article_context(pack, rng)
    n = n_sentences or rng.randint(MIN_SENTENCES, len(pack.sentences))
    chosen = rng.sample(range(len(pack.sentences)), n)
    sentences = [
        _capitalize(s) for s in _vary_wording(pack, [render(pack.sentences[i], rng, ctx) for i in chosen], rng)
    ]
    paragraphs, start = [], 0
    while start < len(sentences):
        size = rng.randint(2, 5)
        paragraphs.append(pack.joiner.join(sentences[start : start + size]))
        start += size
    title = _capitalize(render(rng.choice(pack.titles), rng, ctx))
    return Article(pack.code, title, tuple(paragraphs))


def insert_sentence(article: Article, sentence: str, rng: random.Random, joiner: str) -> Article:
    """Append a sentence to a random paragraph (used to plant PII inside the main text)."""
    paragraphs = list(article.paragraphs)
    i = rng.randrange(len(paragraphs))
    paragraphs[i] = paragraphs[i] + joiner + sentence
    return Article(article.language, article.title, tuple(paragraphs))
