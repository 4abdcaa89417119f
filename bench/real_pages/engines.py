"""The two extraction engines side by side on the real pages, in one run: CPU, extraction quality, and the
text that is left after the filters.

For each engine (``extract.engine``: trafilatura, resiliparse) this runs ``WarcExtractor`` in one
process over the WARC files of the 1,068 real pages (written by ``pages.write_crawl`` into
``WORK/warc`` when absent; the same bytes ``run.py`` and ``bench/compare_datatrove`` use), then the
``fineweb`` recipe's filter steps in-process (no Spark), and prints:

- CPU seconds of the extractor (WARC reading, charset decoding, extraction, row building) and pages per
  CPU second, and of the filter steps;
- wceb extraction scores by page type (4-gram F1 / recall / precision against ``main_content``, must-have
  ``with`` and must-not ``without`` snippets, as ``score.py`` defines them);
- zh-web-extraction character F1 against ``cleaned/``;
- after the filters: documents kept, and the kept text against the ground truth (wceb F1 with a removed
  page counting as empty; zh character F1 of the kept pages), by page type;
- the Zyte article benchmark's F1 (181 pages, through ``WarcExtractor`` as ``bench/extract_quality`` does).

With ``--sweep 250,1000,...`` it also prints how the trafilatura rescue of the resiliparse engine
(``extract.rescue_below_chars``) was chosen: resiliparse without the rescue, then, for the wceb pages whose
text is under each threshold, trafilatura's text (default and fast mode, as the pipeline calls it): pages
rescued, wceb F1 over all pages, CPU seconds of the rescued pages.

Writes everything to ``WORK/engines.json``.

    .venv/bin/python bench/real_pages/engines.py --work /tmp/engines     # about 3.5 minutes on 2 vCPUs
    .venv/bin/python bench/real_pages/engines.py --work /tmp/engines --sweep 250,1000,2000   # 1.5 more
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from statistics import mean

sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "extract_quality"),
    str(Path(__file__).resolve().parents[2]),
]

from pages import wceb_pages, write_crawl, zh_pages  # noqa: E402
from score import char_f1, shingle_score, wceb_scores  # noqa: E402

from pipeline.extract.engines import ENGINES  # noqa: E402
from pipeline.extract.warc_extractor import WarcExtractor  # noqa: E402
from pipeline.recipe import load_recipe  # noqa: E402
from pipeline.step import run_steps  # noqa: E402
from pipeline.text.analysis import clear_analysis_cache  # noqa: E402

PARTS = {"wceb": 4, "zh": 1}  # WARC files per source, as write_crawl writes them


def extract(engine: str, warc: Path, sources: dict, **options) -> tuple[dict[str, dict], float]:
    """Rows keyed by page (``source:key``; the n-th response of a file is its n-th page) and CPU seconds."""
    extractor = WarcExtractor(source="real", crawl="bench", timeout_s=30, engine=engine, **options)
    rows: dict[str, dict] = {}
    spent = 0.0
    for name, pages in sources.items():
        for i in range(PARTS[name]):
            started = time.process_time()
            got = [r for r in extractor.extract_file(str(warc / f"{name}-{i}.warc.gz")) if r["warc_type"] == "response"]
            spent += time.process_time() - started
            for page, row in zip(pages[i :: PARTS[name]], got, strict=True):
                assert row["url"] == page.url, (page.key, row["url"])
                row["source"] = name
                rows[f"{name}:{page.key}"] = row
    return rows, spent


def filtered(rows: dict[str, dict]) -> tuple[dict[str, str], Counter, float]:
    """Text after the ``fineweb`` recipe's steps by page ("" when removed), removals by reason, CPU seconds."""
    steps = load_recipe("fineweb", []).steps
    kept = [dict(row, _page=page) for page, row in rows.items() if row["status"] == "kept"]
    clear_analysis_cache()
    started = time.process_time()
    out = run_steps(steps, kept)
    seconds = time.process_time() - started
    text = {page: "" for page in rows}
    reasons: Counter = Counter()
    for row in out:
        if row["status"] == "kept":
            text[row["_page"]] = row["text"]
        else:
            reasons[f"{row['removed_by']}/{row['removed_reason']}"] += 1
    return text, reasons, seconds


def zyte_f1(engine: str) -> dict[str, float]:
    from score import extract_quality_run  # bench/extract_quality/run.py
    from zyte import load_ground_truth, load_pages

    pages, truth = load_pages(), load_ground_truth()
    started = time.process_time()
    got = extract_quality_run.ours(pages, engine=engine, timeout_s=30)
    return {**shingle_score(truth, got), "cpu_s": time.process_time() - started, "pages": len(pages)}


def f1(truth: dict[str, dict], text: dict[str, str]) -> float:
    """wceb F1, 0.0 when nothing predicted shares a shingle with the truth (the macro averages are empty)."""
    try:
        return wceb_scores(truth, text)["f1"]
    except (ValueError, ZeroDivisionError):  # statistics.StatisticsError is a ValueError
        return 0.0


def sweep(warc: Path, sources: dict, thresholds: list[int]) -> dict:
    """The rescue thresholds: wceb F1 and the rescued pages' trafilatura CPU for each (see the docstring)."""
    from pipeline.extract.charset import decode_html
    from pipeline.extract.html import extract_main_text

    rows, _ = extract("resiliparse", warc, {"wceb": sources["wceb"]}, rescue_below_chars=0)
    pages = {f"wceb:{p.key}": p for p in sources["wceb"]}
    truth = {k: p.truth for k, p in pages.items()}
    alone = {k: rows[k]["text"] or "" for k in truth}
    rescued: dict[str, dict[str, tuple[str, float]]] = {"default": {}, "fast": {}}
    for key in (k for k in truth if len(alone[k]) < max(thresholds)):
        html = decode_html(pages[key].html)[0]
        for mode in rescued:
            started = time.process_time()
            text = extract_main_text(html, url=pages[key].url, fast=mode == "fast")
            rescued[mode][key] = (text, time.process_time() - started)
    out = {"none": {"pages": 0, "f1": f1(truth, alone)}}
    for limit in thresholds:
        under = [k for k in truth if len(alone[k]) < limit]
        row = {"pages": len(under)}
        for mode, got in rescued.items():
            text = {k: got[k][0] if k in under else alone[k] for k in truth}
            row[mode] = {"f1": f1(truth, text), "cpu_s": sum(got[k][1] for k in under)}
            row[mode]["rescued_f1"] = f1({k: truth[k] for k in under}, {k: got[k][0] for k in under})
        row["resiliparse_f1_on_them"] = f1({k: truth[k] for k in under}, {k: alone[k] for k in under})
        out[str(limit)] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="folder for the WARC files and engines.json")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engines to compare")
    parser.add_argument("--sweep", help="comma-separated rescue thresholds (characters) to measure, e.g. 250,1000")
    args = parser.parse_args()
    engines = args.engines.split(",")
    warc = args.work / "warc"
    sources = {"wceb": wceb_pages(), "zh": zh_pages()}
    if not all((warc / f"{n}-{i}.warc.gz").exists() for n, k in PARTS.items() for i in range(k)):
        write_crawl(warc)
    truth = {f"{name}:{p.key}": p.truth for name, pages in sources.items() for p in pages}
    kind = {k: t.get("page_type", "unknown") for k, t in truth.items() if k.startswith("wceb:")}
    types = [*sorted(set(kind.values())), "all"]
    filtered({k: r for k, r in list(extract(engines[0], warc, {"zh": sources["zh"]})[0].items())[:20]})  # load models

    results: dict[str, dict] = {}
    for engine in engines:
        rows, cpu = extract(engine, warc, sources)
        text = {k: r["text"] or "" for k, r in rows.items()}
        after, reasons, filter_s = filtered(rows)
        res: dict = {"extract_cpu_s": cpu, "pages": len(rows), "filter_cpu_s": filter_s}
        res["extract_removed"] = dict(Counter(r["removed_reason"] for r in rows.values() if r["status"] != "kept"))
        res["filter_removed"] = dict(reasons)
        res["wceb"] = {}
        for page_type in types:
            keys = [k for k in kind if page_type in ("all", kind[k])]
            res["wceb"][page_type] = {
                "pages": len(keys),
                "extracted": wceb_scores({k: truth[k] for k in keys}, {k: text[k] for k in keys}),
                "kept": sum(bool(after[k]) for k in keys),
                "after_filters": wceb_scores({k: truth[k] for k in keys}, {k: after[k] for k in keys}),
            }
        zh = [k for k in truth if k.startswith("zh:")]
        kept_zh = [k for k in zh if after[k]]
        res["zh"] = {
            "pages": len(zh),
            "char_f1": mean(char_f1(truth[k]["text"], text[k]) for k in zh),
            "kept": len(kept_zh),
            "kept_char_f1": mean(char_f1(truth[k]["text"], after[k]) for k in kept_zh) if kept_zh else 0.0,
        }
        res["zyte"] = zyte_f1(engine)
        results[engine] = res

    print(f"{len(truth)} real pages (wceb {len(kind)}, zh {len(truth) - len(kind)}); engines: {', '.join(engines)}\n")
    print("extractor CPU s (pages per CPU s) | filter steps CPU s | Zyte F1 (CPU s)")
    for engine, res in results.items():
        z = res["zyte"]
        print(
            f"  {engine:<12} {res['extract_cpu_s']:7.1f} ({res['pages'] / res['extract_cpu_s']:6.1f}) | "
            f"{res['filter_cpu_s']:5.1f} | {z['f1']:.3f} (P {z['precision']:.3f} R {z['recall']:.3f}; {z['cpu_s']:.1f})"
        )
    if len(engines) > 1:
        base = results[engines[0]]["extract_cpu_s"]
        for engine in engines[1:]:
            print(f"  {engine} extractor CPU vs {engines[0]}: {base / results[engine]['extract_cpu_s']:.1f}x less")
    print("\nwceb extracted: F1 / recall / precision / with / without (empty)")
    for page_type in types:
        cells = []
        for engine, res in results.items():
            s = res["wceb"][page_type]["extracted"]
            cells.append(
                f"{engine} {s['f1']:.3f} / {s['recall']:.3f} / {s['precision']:.3f} / {s['with']:.3f} / "
                f"{s['without']:.3f} ({s['empty']})"
            )
        print(f"  {page_type} ({results[engines[0]]['wceb'][page_type]['pages']}): " + " | ".join(cells))
    print("\nwceb after the fineweb filters: kept, F1 / recall / precision / with / without (removed = empty)")
    for page_type in types:
        cells = []
        for engine, res in results.items():
            w = res["wceb"][page_type]
            s = w["after_filters"]
            cells.append(
                f"{engine} {w['kept']} kept, {s['f1']:.3f} / {s['recall']:.3f} / {s['precision']:.3f} / "
                f"{s['with']:.3f} / {s['without']:.3f}"
            )
        print(f"  {page_type}: " + " | ".join(cells))
    print("\nzh-web-extraction: char F1 extracted | kept after the filters (char F1 of those)")
    for engine, res in results.items():
        z = res["zh"]
        print(f"  {engine:<12} {z['char_f1']:.3f} | {z['kept']} of {z['pages']} ({z['kept_char_f1']:.3f})")
    print("\nremovals (extract reasons | filter reasons, top 8)")
    for engine, res in results.items():
        top = ", ".join(f"{k} {v}" for k, v in Counter(res["filter_removed"]).most_common(8))
        print(f"  {engine:<12} {res['extract_removed']} | {top}")
    if args.sweep:
        limits = [int(x) for x in args.sweep.split(",")]
        results["rescue_sweep"] = found = sweep(warc, sources, limits)
        print("\nrescue of resiliparse's short texts: pages, wceb F1 (all pages) with trafilatura default | fast mode,")
        print("CPU s of the rescued pages, F1 on them (resiliparse alone on them)")
        print(f"  no rescue: F1 {found['none']['f1']:.4f}")
        for limit in limits:
            r = found[str(limit)]
            print(
                f"  under {limit} chars: {r['pages']} pages; default F1 {r['default']['f1']:.4f}, "
                f"{r['default']['cpu_s']:.1f} s, on them {r['default']['rescued_f1']:.3f} | fast F1 "
                f"{r['fast']['f1']:.4f}, {r['fast']['cpu_s']:.1f} s, on them {r['fast']['rescued_f1']:.3f} "
                f"({r['resiliparse_f1_on_them']:.3f})"
            )
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "engines.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    print(f"\nwritten: {args.work / 'engines.json'}")


if __name__ == "__main__":
    main()
