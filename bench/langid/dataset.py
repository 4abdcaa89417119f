"""A labelled multilingual set for the language-ID benchmark, assembled from real text.

Every label comes from where the text came from, never from a detector:

* English: wikitext-2 (Wikipedia), Botchan (Gutenberg), tinyshakespeare, and the dolma
  ``cc_en_head`` Common Crawl documents (all under ``../shared/data/corpora``).
* Japanese: "Wagahai wa neko de aru" (Aozora Bunko), with its ruby markup removed.
* Chinese: the project notes in ``../shared/seeds`` (lines that are mostly Han characters).
* About 110 more languages: human translations of program messages in the system's gettext
  catalogues (``/usr/share/locale/<lang>/LC_MESSAGES/*.mo``), labelled by the catalogue's locale
  (every locale with at least 50 usable messages whose language lid.176 or lingua knows; script
  variants other than ``sr@latin`` are left out). Single messages make short snippets; several messages
  of one catalogue joined make long ones.
* Web pages and Chinese news: see pages.py.

Labels are in the project's code system (``pipeline.annotate.language_codes``: ``nb`` for Bokmål).

Each source yields "short" snippets (< 50 characters, a window of a real sentence or one
message) and "long" ones (a paragraph, 150-600 characters). Sampling is seeded.
"""

from __future__ import annotations

import gettext
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.annotate.language_codes import normalize_language

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "data" / "corpora"
LOCALE_DIR = Path("/usr/share/locale")

SHORT_MAX = 50  # characters; the "short text" bucket of the report
LONG_MIN, LONG_MAX = 150, 600

# Script variants kept (Serbian is written in both scripts on the web); other "@" locales are left out.
KEPT_VARIANTS = ("sr@latin",)

_FORMAT_SPEC = re.compile(r"%(\d+\$)?[-+ #0]*\d*(\.\d+)?[hlLqjzt]*[a-zA-Z%]|\{[^}]*\}|<[^>]*>|\$\{?\w+\}?")
_RUBY = re.compile(r"《[^》]*》|［＃[^］]*］|｜")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Sample:
    text: str
    label: str
    source: str

    @property
    def bucket(self) -> str:
        return "short" if len(self.text) < SHORT_MAX else "long"


def _clean_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _short_window(paragraph: str, rng: random.Random, cjk: bool) -> str:
    """A window of a real paragraph under SHORT_MAX characters (words for spaced scripts)."""
    if cjk:
        size = rng.randint(6, 30)
        start = rng.randrange(max(1, len(paragraph) - size))
        return paragraph[start : start + size].strip()
    words = paragraph.split()
    start = rng.randrange(max(1, len(words) - 2))
    out = []
    for w in words[start:]:
        if len(" ".join([*out, w])) >= SHORT_MAX:
            break
        out.append(w)
    return " ".join(out)


def from_paragraphs(paras: list[str], label: str, source: str, rng: random.Random, n: int, cjk=False):
    paras = [p for p in paras if len(p) >= LONG_MIN]
    rng.shuffle(paras)
    longs = [Sample(p[:LONG_MAX], label, source) for p in paras[:n]]
    shorts = [Sample(_short_window(p, rng, cjk), label, source) for p in paras[n : 2 * n] or paras[:n]]
    return longs + [s for s in shorts if 3 <= len(s.text) < SHORT_MAX]


def _wikitext() -> list[str]:
    lines = (CORPORA / "wikitext-2" / "test.txt").read_text(encoding="utf-8").splitlines()
    paras = [ln for ln in lines if ln.strip() and not ln.strip().startswith("=")]
    # wikitext tokenises "-", "," and "." inside numbers as " @-@ " etc.; undo it for natural text.
    return [_clean_spaces(re.sub(r" @(.)@ ", r"\1", p).replace(" ,", ",").replace(" .", ".")) for p in paras]


def _blank_line_paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [_clean_spaces(p) for p in re.split(r"\n\s*\n", text)]


def _shakespeare() -> list[str]:
    speeches = (CORPORA / "tinyshakespeare" / "input.txt").read_text(encoding="utf-8").split("\n\n")
    # drop the speaker line ("MENENIUS:") so the label is about the verse itself
    return [_clean_spaces(s.split("\n", 1)[1]) for s in speeches if "\n" in s]


def _dolma() -> list[str]:
    out = []
    for path in sorted((CORPORA / "dolma_cc_en_head").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out += [_clean_spaces(p) for p in json.loads(line)["text"].split("\n")]
    return out


def dolma_documents() -> list[str]:
    """The full Common Crawl documents (for the speed test on web-sized inputs)."""
    paths = sorted((CORPORA / "dolma_cc_en_head").glob("*.jsonl"))
    return [json.loads(line)["text"] for p in paths for line in p.read_text(encoding="utf-8").splitlines()]


def _wagahaiwa() -> list[str]:
    lines = (CORPORA / "sentencepiece" / "wagahaiwa_nekodearu.txt").read_text(encoding="utf-8").splitlines()
    return [_clean_spaces(_RUBY.sub("", ln)) for ln in lines[30:]]


def _seeds() -> list[str]:
    out = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = _clean_spaces(line.lstrip("#>-*0123456789. \t"))
            if line and len(_HAN.findall(line)) >= 0.6 * len(line):
                out.append(line)
    # Seed lines are short; join neighbours into paragraph-sized chunks.
    return [" ".join(out[i : i + 6]) for i in range(0, len(out), 6)] + out


def corpus_samples(rng: random.Random, per_source: int = 100) -> list[Sample]:
    samples = []
    for name, paras, label, cjk in [
        ("wikitext-2", _wikitext(), "en", False),
        ("botchan", _blank_line_paragraphs(CORPORA / "sentencepiece" / "botchan.txt"), "en", False),
        ("tinyshakespeare", _shakespeare(), "en", False),
        ("dolma_cc_en_head", _dolma(), "en", False),
        ("wagahaiwa", _wagahaiwa(), "ja", True),
    ]:
        samples += from_paragraphs(paras, label, name, rng, per_source, cjk)
    seeds = _seeds()
    samples += [Sample(p[:LONG_MAX], "zh", "seeds") for p in seeds if len(p) >= LONG_MIN][:per_source]
    samples += [Sample(p, "zh", "seeds") for p in seeds if 4 <= len(p) < SHORT_MAX][:per_source]
    return samples


def _messages(locale: str) -> list[str]:
    out = []
    for mo in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.mo")):
        try:
            catalog = gettext.GNUTranslations(mo.open("rb"))._catalog
        except (OSError, ValueError, IndexError):  # a catalogue that is not valid gettext or UTF-8
            continue
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or not isinstance(value, str) or value == msgid:
                continue  # header, plural index or an untranslated message
            text = _clean_spaces(_FORMAT_SPEC.sub(" ", value).replace("_", "").replace("&", ""))
            if sum(ch.isalpha() for ch in text) >= 0.7 * len(text) and len(text) >= 4:
                out.append(text)
    return sorted(set(out))


def gettext_locales() -> dict[str, str]:
    """locale directory -> label, for every locale whose language a detector knows."""
    out = {}
    for folder in sorted(LOCALE_DIR.glob("*/LC_MESSAGES")):
        locale = folder.parent.name
        if locale.startswith("en") or ("@" in locale and locale not in KEPT_VARIANTS):
            continue  # English variants repeat the source strings
        try:
            labels = normalize_language(locale)
        except ValueError:
            continue  # neither detector can emit it: both would only be wrong
        if len(labels) == 1:
            out[locale] = labels[0]
    return out


def gettext_samples(rng: random.Random, per_locale: int = 40) -> list[Sample]:
    samples = []
    for locale, label in gettext_locales().items():
        msgs = _messages(locale)
        if len(msgs) < 50:
            continue
        # one-word UI labels ("Open") carry little language; CJK has no spaces to count words by
        cjk = label in ("zh", "ja", "ko", "th", "lo", "km", "my")
        short = [m for m in msgs if len(m) < SHORT_MAX and (cjk or len(m.split()) >= 2)]
        samples += [Sample(m, label, f"gettext:{locale}") for m in rng.sample(short, min(per_locale, len(short)))]
        sentences = [m for m in msgs if len(m) >= 20]
        for _ in range(per_locale):
            picked = rng.sample(sentences, min(8, len(sentences)))
            text = ""
            for m in picked:
                if len(text) >= LONG_MIN:
                    break
                text = f"{text} {m}".strip()
            samples.append(Sample(text[:LONG_MAX], label, f"gettext:{locale}"))
    return samples


def build(seed: int = 0) -> list[Sample]:
    from bench.langid.pages import page_samples

    rng = random.Random(seed)
    return corpus_samples(rng) + page_samples(rng) + gettext_samples(rng)
