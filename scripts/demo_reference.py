"""Reference text for the demo's model filters: real text from ../shared/data where it exists.

Writes ``OUT/<lang>.txt`` (documents separated by blank lines, one paragraph per line, the layout
``corpus train-lm`` and ``corpus train-quality --format docs`` read) for every language of the
generated sample's ``reference/``:

- en: wikitext-2 ``valid.txt`` paragraphs, 2 a document;
- zh: zh-news articles from number 1,000 on (0-999 are the bench's evaluation documents);
- ja: the first 70 % of the Aozora novel's paragraphs, 2 a document (70-100 % are evaluation text);
- every other language, and all of them when ../shared/data is absent (a fresh clone): the
  generator's own reference text.

With ``--quality-out DIR`` it also writes the quality classifier's positives: the generator's
reference text of every language plus up to ``--quality-real`` real documents where there are some.
The generated crawl's good articles are made from the generator's text, so a classifier trained on
real text alone scores them all as crawl (measured: the demo then kept no en, zh or ja document);
with both, it separates boilerplate and spam from articles and still keeps clean real text.

The slices are the ones ``bench/quality_models/data.py`` trains on, so its fairness figure for the
demo's models is measured on documents the models never saw.

    python scripts/demo_reference.py SAMPLE_REFERENCE_DIR OUT_DIR [--max-docs 3000] [--quality-out DIR]
        [--quality-real N] [--judged-out FILE]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "quality_models"))
sys.path.insert(0, str(ROOT))


def real_references(max_docs: int) -> dict[str, list[str]]:
    import data

    if not data.SHARED.is_dir():
        return {}

    def pairs(paras):
        return ["\n".join(paras[i : i + 2]) for i in range(0, len(paras) - 1, 2)][:max_docs]

    ja = data.ja_novel_paragraphs()
    return {
        "en": pairs(data.wikitext_paragraphs("valid.txt")),
        "zh": data.zh_news()[data.FAIR_ZH_DOCS : data.FAIR_ZH_DOCS + max_docs],
        "ja": pairs(ja[: int(len(ja) * 0.7)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sample_reference", type=Path, help="the generated sample's reference/ directory")
    parser.add_argument("out", type=Path)
    parser.add_argument("--max-docs", type=int, default=3000, help="real documents per language at most")
    parser.add_argument("--quality-out", type=Path, help="also write the classifier's positives here")
    parser.add_argument("--quality-real", type=int, default=20, help="real documents per language in them")
    parser.add_argument(
        "--judged-out",
        type=Path,
        help="write the languages the model filters should judge here: those with real reference text, "
        "or every language when there is none (a fresh clone)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    real = real_references(args.max_docs)
    if args.quality_out:
        args.quality_out.mkdir(parents=True, exist_ok=True)
        for path in sorted(args.sample_reference.glob("*.txt")):
            docs = [d.replace("\n\n", "\n") for d in real.get(path.stem, [])[: args.quality_real]]
            extra = "\n\n".join(docs) + "\n\n" if docs else ""
            (args.quality_out / path.name).write_text(extra + path.read_text(encoding="utf-8"), encoding="utf-8")
    if args.judged_out:
        every = sorted(path.stem for path in args.sample_reference.glob("*.txt"))
        judged = [lang for lang in every if lang in real] or every
        args.judged_out.parent.mkdir(parents=True, exist_ok=True)
        args.judged_out.write_text(" ".join(judged) + "\n", encoding="utf-8")
        print(f"model filters judge: {' '.join(judged)}")
    for path in sorted(args.sample_reference.glob("*.txt")):
        lang = path.stem
        if lang in real:
            text = "\n\n".join(doc.replace("\n\n", "\n") for doc in real[lang]) + "\n"
            (args.out / path.name).write_text(text, encoding="utf-8")
            print(f"{lang}: {len(real[lang])} real documents from ../shared/data")
        else:
            shutil.copyfile(path, args.out / path.name)
            print(f"{lang}: generated reference text ({path})")


if __name__ == "__main__":
    main()
