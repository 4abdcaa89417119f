"""Clean real prose in languages ``../shared/data`` lacks (de, fr, es, ru, ...), from translated man pages.

Source: the human-translated manual pages that Debian packages install under
``/usr/share/man/<lang>/man*/*.gz`` on this machine (dpkg / dpkg-dev, apt, passwd / login (shadow),
man-db, procps, xz-utils, psmisc, debianutils, ...; GPL-2+ for most, BSD-3-clause for shadow,
LGPL / GPL for procps: see ``/usr/share/doc/<package>/copyright``). Nothing is copied into the repo;
the text is read where the system put it, and everything here skips with a reason where it is absent.

From page to documents (deterministic; no randomness except the seeded page split):

1. render with ``groff -k -Kutf-8 -Tutf8 -mandoc`` on a 5000-en line and without hyphenation, so
   each paragraph is one output line; duplicates (the same page under two names) are read once;
2. keep body paragraphs only: lines at the paragraph indent (7 columns). Headings (0 / 3 columns),
   tagged option lists and code (indented further, or ``-x   text`` at the indent) are dropped, and
   so are the translation-credit / author / bug-report sections (e-mail or URL in the paragraph);
3. keep a paragraph when it reads as sentences: >= ``MIN_CHARS`` characters, >= ``MIN_LETTERS`` of
   its non-space characters letters, ending with sentence punctuation, and not seen twice in the
   language (repeated boilerplate such as licence notes);
4. keep a paragraph only when the project's language ID (lid.176, ``LanguageAnnotator``) names the
   page's language: translators leave some paragraphs in English, and those must not count as de;
5. join consecutive kept paragraphs of one page into documents of at least ``DOC_CHARS`` characters
   (the bench's English documents are two wikitext paragraphs, median 1,600 characters); a short
   remainder joins the page's last document.

Pages are split into ``reference`` / ``calibration`` / ``fairness`` sets by a seeded hash of the page
name, so no document scored for fairness shares a page with text a model was trained or calibrated on.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

MAN_ROOT = Path("/usr/share/man")
LANGUAGES = ("de", "fr", "es", "ru", "it", "pt", "pl", "nl")
PARA_INDENT = 7  # groff -mandoc's default paragraph indent on a terminal (7 ens)
MIN_CHARS = 150
MIN_LETTERS = 0.75
DOC_CHARS = 800
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'»«”“)\]]*)$")
_TAGGED = re.compile(r"^\S+ {2,}")  # "-h     Zeigt ...": an option tag with its text on one line
_CREDITS = re.compile(r"@|https?://|www\.")
_SPLIT = {"reference": 0.5, "calibration": 0.2, "fairness": 0.3}


def missing_reason(lang: str, root: Path = MAN_ROOT) -> str | None:
    """Why man pages of ``lang`` cannot be read here, or None when they can."""
    if shutil.which("groff") is None:
        return "groff is not installed (needed to render man pages)"
    if not any((root / lang).glob("man*/*.gz")):
        return f"no man pages under {root / lang}/man*/"
    return None


def render(raw: bytes) -> str:
    """The page as plain UTF-8 text, one paragraph a line (no bold / underline overstrikes)."""
    cmd = ["groff", "-k", "-Kutf-8", "-t", "-Tutf8", "-mandoc", "-rLL=5000n", "-rHY=0", "-P-cbou"]
    out = subprocess.run(cmd, input=raw, capture_output=True, check=False, timeout=60)
    return out.stdout.decode("utf-8", "replace")


def body_paragraphs(rendered: str) -> list[str]:
    """Lines at the paragraph indent that read as sentences (steps 2 and 3 above, minus dedup)."""
    out = []
    for line in rendered.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        text = " ".join(line.split())
        if indent != PARA_INDENT or _TAGGED.match(line.lstrip(" ")) or _CREDITS.search(text):
            continue
        letters = sum(c.isalpha() for c in text)
        long_enough = len(text) >= MIN_CHARS and letters >= MIN_LETTERS * len(text.replace(" ", ""))
        if long_enough and _SENTENCE_END.search(text):
            out.append(text)
    return out


def page_files(lang: str, root: Path = MAN_ROOT) -> list[Path]:
    """The language's pages, sorted by path, each distinct content once."""
    seen, out = set(), []
    for path in sorted((root / lang).glob("man*/*.gz")):
        raw = gzip.decompress(path.read_bytes())
        key = hashlib.sha1(raw).digest()
        if key not in seen and not raw.lstrip().startswith(b".so "):  # .so: a link to another page
            seen.add(key)
            out.append(path)
    return out


def _language_of(texts: list[str]) -> list[str]:
    from pipeline.annotate.language import LanguageAnnotator

    rows = [{"text": t, "status": "kept"} for t in texts]
    return [r["language"] for r in LanguageAnnotator().process_batch(rows)]


@functools.cache
def page_paragraphs(lang: str, root: Path = MAN_ROOT) -> tuple[dict[str, list[str]], Counter]:
    """{page name: its clean paragraphs in ``lang``} and a count of why paragraphs were dropped."""
    stats: Counter = Counter()
    pages = {}
    for path in page_files(lang, root):
        pages[f"{path.parent.name}/{path.name}"] = body_paragraphs(render(gzip.decompress(path.read_bytes())))
    seen = Counter(p for paras in pages.values() for p in paras)
    flat = [(name, p) for name, paras in pages.items() for p in paras]
    stats["pages"] = len(pages)
    stats["prose paragraphs"] = len(flat)
    flat = [(name, p) for name, p in flat if seen[p] == 1]
    stats["dropped: repeated"] = stats["prose paragraphs"] - len(flat)
    langs = _language_of([p for _, p in flat])
    wrong = Counter(lg for lg in langs if lg != lang)
    stats.update({f"dropped: language {lg}": n for lg, n in wrong.items()})
    out: dict[str, list[str]] = {}
    for (name, p), lg in zip(flat, langs):
        if lg == lang:
            out.setdefault(name, []).append(p)
    stats["kept paragraphs"] = sum(map(len, out.values()))
    return out, stats


def documents_of(paragraphs: list[str], min_chars: int = DOC_CHARS) -> list[str]:
    """Consecutive paragraphs joined (newline) into documents of >= ``min_chars`` characters."""
    docs: list[list[str]] = []
    current: list[str] = []
    for p in paragraphs:
        current.append(p)
        if sum(map(len, current)) >= min_chars:
            docs.append(current)
            current = []
    if current:
        docs.append(docs.pop() + current) if docs else docs.append(current)
    return ["\n".join(d) for d in docs]


def split_of(page: str, seed: int = 0) -> str:
    """The set (reference / calibration / fairness) a page belongs to, by seeded hash of its name."""
    h = int.from_bytes(hashlib.blake2b(f"{seed}\0{page}".encode(), digest_size=4).digest(), "big") / 2**32
    acc = 0.0
    for name, share in _SPLIT.items():
        acc += share
        if h < acc:
            return name
    return "fairness"


def manpage_sets(lang: str, seed: int = 0, root: Path = MAN_ROOT) -> dict[str, list[str]]:
    """Documents of ``lang`` per set ({reference, calibration, fairness: [document, ...]})."""
    pages, _stats = page_paragraphs(lang, root)
    out: dict[str, list[str]] = {name: [] for name in _SPLIT}
    for page, paras in pages.items():
        out[split_of(page, seed)] += documents_of(paras)
    return out


def available(languages=LANGUAGES, root: Path = MAN_ROOT) -> dict[str, str | None]:
    """{language: None when usable, else the reason it is skipped}."""
    return {lang: missing_reason(lang, root) for lang in languages}


def main() -> None:
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    parser = argparse.ArgumentParser(description="Counts per language; with --write, <lang>.txt documents.")
    parser.add_argument("--write", type=Path, help="write DIR/<lang>.txt, documents separated by blank lines")
    parser.add_argument("--sets", nargs="+", default=["reference"], choices=list(_SPLIT), help="page sets written")
    args = parser.parse_args()
    for lang, why in available().items():
        if why:
            print(f"{lang}: skipped, {why}")
            continue
        sets = manpage_sets(lang)
        _pages, stats = page_paragraphs(lang)
        sizes = {k: (len(v), sum(map(len, v))) for k, v in sets.items()}
        print(f"{lang}: {dict(stats)}; documents (n, chars): {sizes}")
        if args.write:
            args.write.mkdir(parents=True, exist_ok=True)
            docs = [d for name in args.sets for d in sets[name]]
            (args.write / f"{lang}.txt").write_text("\n\n".join(docs) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
