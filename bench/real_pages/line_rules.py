"""A change to the filters' settings, measured on the text they keep of the real pages.

Reads the ``extract`` stage of a finished ``run.py`` work folder, runs the ``fineweb`` recipe's filter
steps on it in-process (no Spark) twice, as the recipe stands and with ``--set`` overrides (or its steps
in another ``--order``), and prints the CPU time of each side and, for each source: documents kept (wceb:
also by the page type of its ground truth, and the removals by page type and reason), the kept text against the ground truth (wceb: 4-gram F1 of
the text after the filters against ``main_content``, a removed page counting as empty; zh: mean
character F1 of the kept documents against ``cleaned/``), the pages whose score moved, and lines kept
by only one side.

    .venv/bin/python bench/real_pages/line_rules.py /tmp/s8/rp --set c4_lines.ignore_trailing_notes=false
    .venv/bin/python bench/real_pages/line_rules.py /tmp/s8/rp --order url_filter,language_id,...
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

from pages import wceb_pages, zh_pages  # noqa: E402
from run import by_page, stage_rows  # noqa: E402
from score import char_f1, wceb_scores  # noqa: E402

from pipeline.recipe import load_recipe  # noqa: E402
from pipeline.step import run_steps  # noqa: E402
from pipeline.text.analysis import clear_analysis_cache  # noqa: E402


def filtered(
    rows: list[dict], overrides: list[str], order: list[str] | None = None
) -> tuple[dict[str, str], dict[str, str], float]:
    """Text after the recipe's steps by document id ("" when removed), why each removed one went, and
    the CPU seconds the steps took.

    ``order``: the recipe's step names in the order to run them (every step exactly once).
    """
    steps = load_recipe("fineweb", overrides).steps
    if order:
        by_name = {step.name: step for step in steps}
        if sorted(order) != sorted(by_name):
            raise SystemExit(f"--order must name each of the recipe's steps once: {', '.join(by_name)}")
        steps = [by_name[name] for name in order]
    clear_analysis_cache()
    started = time.process_time()
    out = run_steps(steps, [dict(r) for r in rows])
    seconds = time.process_time() - started
    why = {r["id"]: f"{r['removed_reason']} ({r['removed_detail']})" for r in out if r["status"] != "kept"}
    return {r["id"]: r["text"] if r["status"] == "kept" else "" for r in out}, why, seconds


def lines_only_in(a: str, b: str) -> list[str]:
    others = set(b.split("\n"))
    return [line for line in a.split("\n") if line and line not in others]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="work folder of a finished run.py run")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="STEP.PARAM=VALUE")
    parser.add_argument("--order", help="the recipe's steps, comma-separated, in the order the changed side runs them")
    parser.add_argument("--samples", type=int, default=12, help="lines kept by one side only, to print")
    args = parser.parse_args()

    sources = {"wceb": wceb_pages(), "zh": zh_pages()}
    pages = by_page(args.work / "out", sources)
    wanted = {row["id"] for row in pages.values()}
    rows = [r for r in stage_rows(args.work / "out", "extract", None) if r["id"] in wanted and r["status"] == "kept"]
    filtered(rows[:50], [])  # load the language models before anything is timed
    recipe, recipe_why, recipe_s = filtered(rows, [])
    order = args.order.split(",") if args.order else None
    changed, changed_why, changed_s = filtered(rows, args.overrides, order)
    label = " ".join(args.overrides + ([f"order={args.order}"] if order else [])) or "(no override)"
    print(f"filter steps on {len(rows)} documents: recipe {recipe_s:.1f} CPU s, {label} {changed_s:.1f} CPU s")
    truth = {f"{name}:{p.key}": p.truth for name, ps in sources.items() for p in ps}

    for name in sources:
        keys = [k for k in pages if k.startswith(f"{name}:")]
        for side, texts in (("recipe", recipe), (label, changed)):
            got = {k: texts.get(pages[k]["id"], "") for k in keys}
            kept = [k for k in keys if got[k]]
            if name == "wceb":
                s = wceb_scores({k: truth[k] for k in keys}, got)
                score = f"F1 vs main_content {s['f1']:.4f} (recall {s['recall']:.4f}, precision {s['precision']:.4f})"
            else:
                f1 = [char_f1(truth[k]["text"], got[k]) for k in kept]
                score = f"mean char F1 of kept documents {sum(f1) / max(len(f1), 1):.4f}"
            print(
                f"{name}, {side}: {len(kept)} of {len(keys)} kept; {sum(map(len, got.values())):,} characters; {score}"
            )
        only = {"recipe": [], label: []}
        moved = []
        for k in keys:
            a, b = recipe.get(pages[k]["id"], ""), changed.get(pages[k]["id"], "")
            if a != b:
                only["recipe"] += lines_only_in(a, b)
                only[label] += lines_only_in(b, a)
                moved.append(pages[k]["url"])
        if name == "wceb":  # documents kept by the page type the ground truth gives
            types = sorted({truth[k].get("page_type", "unknown") for k in keys})
            counts = []
            for page_type in types:
                of_type = [k for k in keys if truth[k].get("page_type", "unknown") == page_type]
                a = sum(1 for k in of_type if recipe.get(pages[k]["id"], ""))
                b = sum(1 for k in of_type if changed.get(pages[k]["id"], ""))
                counts.append(f"{page_type} {a} -> {b} of {len(of_type)}")
            print(f"  kept by page type (recipe -> {label}): {'; '.join(counts)}")
            for side, why in (("recipe", recipe_why), (label, changed_why)):
                removed: dict[str, Counter] = {}
                for k in keys:
                    if pages[k]["id"] in why:
                        reason = why[pages[k]["id"]].split(" ")[0]
                        removed.setdefault(truth[k].get("page_type", "unknown"), Counter())[reason] += 1
                listed = "; ".join(
                    f"{t} " + ", ".join(f"{r} {n}" for r, n in c.most_common()) for t, c in sorted(removed.items())
                )
                print(f"  removed by page type and reason, {side}: {listed}")
        print(f"  {len(moved)} {name} documents differ")
        for k in keys:
            a, b = recipe.get(pages[k]["id"], ""), changed.get(pages[k]["id"], "")
            if bool(a) != bool(b):
                why = (changed_why if a else recipe_why)[pages[k]["id"]]
                print(f"    kept only by {'recipe' if a else label}: {pages[k]['url']}; the other side: {why}")
        rng = random.Random(0)
        for side, lines in only.items():
            print(f"  lines kept only by {side}: {len(lines)}")
            for line in rng.sample(lines, min(args.samples, len(lines))):
                print(f"    {line[:70]!r}{' ... ' + repr(line[-40:]) if len(line) > 110 else ''}")


if __name__ == "__main__":
    main()
