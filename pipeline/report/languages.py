"""The report's per-language funnel: every stage's documents in / kept / removed per language,
removals per step (and per step/reason on demand), and the steps flagged as unfair to a language.

All numbers come from ``collect()``'s ``language_funnel`` (what ``corpus stats --json`` prints) and
are repeated in ``data-*`` attributes (``#language-funnel tr[data-language]``, ``td[data-step]``,
``#language-flags li``) so the browser test can read them back.
"""

from __future__ import annotations

from html import escape
from typing import Any

from pipeline.funnel import NO_LANGUAGE, describe_flag


def _label(lang: str) -> str:
    return "(no language yet)" if lang == NO_LANGUAGE else lang


def flags_list(report: dict[str, Any]) -> str:
    flags = report.get("language_flags", [])
    rule = report.get("skew_rule", {})
    how = (
        f"a step is flagged when its removal rate for one language is at least {rule.get('min_ratio', 0):g}x "
        f"and {rule.get('min_points', 0):g} points above its rate for all other languages, with at least "
        f"{rule.get('min_docs', 0)} documents of that language reaching it and {rule.get('min_removed', 0)} removed; "
        f"or when it removes at least {rule.get('max_rate', 0.9):.0%} of a language"
    )
    if not flags:
        return f'<p id="language-flags" class="muted" data-count="0">No step flagged ({escape(how)}).</p>'
    items = "".join(
        f'<li data-stage="{escape(f["stage"])}" data-step="{escape(f["step"])}" data-language="{escape(f["language"])}"'
        f' data-removed="{f["removed"]}" data-reached="{f["reached"]}" class="bad">{escape(describe_flag(f))}</li>'
        for f in flags
    )
    return (
        f'<div id="language-flags" data-count="{len(flags)}"><p><b class="bad">{len(flags)} step(s) remove one '
        f'language far more than the others, or nearly all of it</b> <span class="muted">({escape(how)})</span></p><ul>{items}</ul></div>'
    )


def _flagged_cells(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["stage"], f["step"], f["language"]) for f in report.get("language_flags", [])}


def stage_table(stage: str, funnel: dict[str, Any], flagged: set[tuple[str, str, str]]) -> str:
    steps = [s for s in funnel["steps"] if any(v["removed"] for v in s["languages"].values())]
    all_steps = [s["step"] for s in funnel["steps"]]
    head = "<tr><th>language</th><th>in</th><th>kept</th><th>removed</th><th>kept %</th>"
    head += (
        "".join(f"<th>{escape(s['step'])}</th>" for s in steps)
        + '<th style="text-align:left">removed by step/reason</th></tr>'
    )
    body = []
    for lang, row in funnel["languages"].items():
        share = f"{row['kept'] / row['in']:.0%}" if row["in"] else "-"
        cells = []
        for s in steps:
            v = s["languages"].get(lang, {"removed": 0, "reached": 0, "rate": 0.0})
            n = row["removed_by"].get(s["step"], 0)
            cls = ' class="bad"' if (stage, s["step"], lang) in flagged else ""
            cells.append(
                f'<td data-step="{escape(s["step"])}" data-count="{n}"{cls} title="{v["rate"]:.1%} of '
                f'{v["reached"]} reaching the step">{n:,}</td>'
            )
        # steps of the stage that removed nothing of this language still get a data cell for the test
        extra = "".join(
            f'<td data-step="{escape(s)}" data-count="{row["removed_by"].get(s, 0)}" hidden></td>'
            for s in all_steps
            if s not in {x["step"] for x in steps}
        )
        reasons = ", ".join(
            f"{escape(k)}={v:,}" for k, v in sorted(row["removed_by_reason"].items(), key=lambda kv: -kv[1])
        )
        body.append(
            f'<tr data-stage="{escape(stage)}" data-language="{escape(lang)}" data-in="{row["in"]}" '
            f'data-kept="{row["kept"]}" data-removed="{row["removed"]}"><td>{escape(_label(lang))}</td>'
            f"<td>{row['in']:,}</td><td>{row['kept']:,}</td><td>{row['removed']:,}</td><td>{share}</td>"
            f'{"".join(cells)}{extra}<td class="muted" style="text-align:left">{reasons or "-"}</td></tr>'
        )
    return f'<h3>{escape(stage)}</h3><table data-stage="{escape(stage)}">{head}{"".join(body)}</table>'


def language_funnel_section(report: dict[str, Any]) -> str:
    """Flags first, then one table per document stage (languages as rows, removing steps as columns)."""
    flagged = _flagged_cells(report)
    tables = [
        stage_table(name, stats["language_funnel"], flagged)
        for name, stats in report.get("stages", {}).items()
        if stats.get("language_funnel", {}).get("languages")
    ]
    return (
        '<h2>Funnel per language</h2><p class="muted">Documents of each language that entered each stage, '
        "what it kept, and what each step removed (hover a count for the step's rate).</p>"
        f'{flags_list(report)}<div id="language-funnel">{"".join(tables)}</div>'
    )
