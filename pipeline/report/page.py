"""The report page: one self-contained HTML file (inline CSS, SVG and JavaScript; no network).

Numbers shown are also stored in ``data-*`` attributes (``#funnel tr[data-stage]``,
``[data-reason]``, ``#language-mix .bar``, ``#language-funnel tr[data-language]``), which the headless-browser test compares with
``corpus stats --json``. Removed documents travel as JSON in a ``<script type="application/json">``
block and are rendered with ``textContent``, so crawled text can never inject markup.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from pipeline.report import data
from pipeline.report.languages import language_funnel_section
from pipeline.report.svg import KEPT_COLOUR, REMOVED_COLOUR, hbar_chart, histogram, stacked_bar

# Okabe-Ito colours (colour-blind safe) for removal reasons, cycled.
REASON_COLOURS = ("#D55E00", "#E69F00", "#CC79A7", "#009E73", "#F0E442", "#56B4E9", "#999999", "#000000")

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 18px 60px;color:#1d2733}
h1{font-size:22px;margin:22px 0 4px}h2{font-size:18px;margin:30px 0 8px;border-bottom:1px solid #dde}
h3{font-size:15px;margin:16px 0 6px}table{border-collapse:collapse}td,th{padding:3px 10px;text-align:right}
th{background:#eef1f5}td:first-child,th:first-child{text-align:left}.bad{color:#b00;font-weight:600}
.chart text{font-size:11px;fill:#333}.chart .title{font-weight:600}.grid{display:flex;flex-wrap:wrap;gap:10px}
.legend span{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px}
.empty,.muted{color:#778}select{font-size:14px;padding:3px}
.doc{border:1px solid #dde;border-radius:6px;margin:10px 0;padding:8px 12px}
.doc .meta{color:#456;font-size:12px;word-break:break-all}.doc pre{white-space:pre-wrap;max-height:260px;
overflow:auto;background:#f7f8fa;padding:8px;margin:6px 0 0;font-size:12.5px}
"""

SCRIPT = """
(function(){
  var samples = JSON.parse(document.getElementById('samples-data').textContent);
  var pick = document.getElementById('reason-pick'), list = document.getElementById('docs');
  Object.keys(samples).forEach(function(key){
    var o = document.createElement('option'); o.value = key;
    o.textContent = key + ' (' + samples[key].length + ' shown)'; pick.appendChild(o);
  });
  function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text; return e; }
  function show(){
    list.replaceChildren();
    (samples[pick.value] || []).forEach(function(d){
      var box = el('div', 'doc'); box.dataset.id = d.id || '';
      box.appendChild(el('div', 'meta', [d.url || '(no url)', d.language || '', d.removed_detail || '']
        .filter(Boolean).join('  |  ')));
      box.appendChild(el('pre', '', d.text || '(no text: the record was skipped before extraction)'));
      list.appendChild(box);
    });
    document.getElementById('docs-count').textContent = list.children.length;
  }
  pick.addEventListener('change', show);
  if (pick.options.length) show();
})();
"""


def _legend() -> str:
    return (
        f'<p class="legend"><span style="background:{KEPT_COLOUR}"></span>kept'
        f'<span style="background:{REMOVED_COLOUR}"></span>removed</p>'
    )


def funnel_section(report: dict[str, Any]) -> str:
    rows = data.funnel(report)
    head = "<tr><th>stage</th><th>in</th><th>kept</th><th>removed</th><th>accounting</th></tr>"
    body = "".join(
        f'<tr data-stage="{escape(r["stage"])}" data-in="{r["in"]}" data-kept="{r["kept"]}" '
        f'data-removed="{r["removed"]}"><td>{escape(r["stage"])}</td><td>{r["in"]:,}</td><td>{r["kept"]:,}</td>'
        f'<td>{r["removed"]:,}</td><td class="{"" if r["accounting_ok"] else "bad"}">'
        f"{'ok' if r['accounting_ok'] else 'MISMATCH'}</td></tr>"
        for r in rows
    )
    parts = ["<h2>Removal funnel</h2>", f'<table id="funnel">{head}{body}</table>']
    for r in rows:
        segments = [("kept", r["kept"], KEPT_COLOUR)]
        segments += [(k, v, REASON_COLOURS[i % len(REASON_COLOURS)]) for i, (k, v) in enumerate(r["reasons"])]
        parts.append(f"<h3>{escape(r['stage'])}: {r['in']:,} in, {r['kept']:,} kept</h3>")
        parts.append(stacked_bar(segments, chart_id=f"funnel-{r['stage']}"))
        if r["reasons"]:
            items = "".join(
                f'<li data-reason="{escape(r["stage"])}:{escape(k)}" data-count="{v}">'
                f'<span style="color:{REASON_COLOURS[i % len(REASON_COLOURS)]}">■</span> '
                f"{escape(k)}: {v:,}</li>"
                for i, (k, v) in enumerate(r["reasons"])
            )
            parts.append(f'<ul class="reasons">{items}</ul>')
            parts.append(hbar_chart(r["reasons"], REMOVED_COLOUR, chart_id=f"reasons-{r['stage']}"))
    return "".join(parts)


def language_section(report: dict[str, Any]) -> str:
    found = data.last_stage_with(report, data.has_languages)
    if not found:
        return '<h2>Language mix</h2><p class="empty">no stage has language labels yet</p>'
    name, stats = found
    mix = data.language_mix(stats)
    return (
        f'<h2>Language mix <span class="muted">({escape(name)}, kept documents)</span></h2>'
        f'<div id="language-mix">{hbar_chart([(lang, k) for lang, k, _ in mix], KEPT_COLOUR)}</div>'
        f"<h3>removed, by language</h3>{hbar_chart([(lang, r) for lang, _, r in mix if r], REMOVED_COLOUR)}"
    )


def histogram_section(report: dict[str, Any]) -> str:
    parts = ["<h2>Lengths and scores per language</h2>", _legend()]
    for column, title in data.HIST_TITLES.items():
        found = data.last_stage_with(report, lambda s, c=column: bool(s.get("histograms", {}).get(c)))
        if not found:
            continue
        name, stats = found
        series = data.histogram_series(stats["histograms"][column], column in data.LINEAR_COLUMNS)
        charts = "".join(histogram(bins, title=lang, chart_id=f"hist-{column}-{lang}") for lang, bins in series.items())
        parts.append(
            f'<h3>{escape(title)} <span class="muted">({escape(name)})</span></h3>'
            f'<div class="grid" data-column="{column}">{charts}</div>'
            f"{quantile_table(stats, column)}"
        )
    return "".join(parts)


def quantile_table(stats: dict[str, Any], column: str) -> str:
    """Kept documents' quantiles per language, from the stage's merged KLL sketches (stats v2)."""
    groups = {g: q for g, q in stats.get("quantiles", {}).get(column, {}).items() if g.endswith("/kept") and q}
    if not groups:
        return ""
    keys = ("p1", "p10", "p50", "p90", "p99")
    head = "".join(f"<th>{k}</th>" for k in ("language", "n", *keys))
    rows = "".join(
        f"<tr><td>{escape(g.rsplit('/', 1)[0])}</td><td>{q.get('n', '')}</td>"
        + "".join(f"<td>{q[k]:g}</td>" if k in q else "<td></td>" for k in keys)
        + "</tr>"
        for g, q in sorted(groups.items())
    )
    method = escape(str(stats.get("quantiles_method", "histogram bins")))
    return f'<table class="quantiles" data-column="{column}"><caption>kept, quantiles ({method})</caption><tr>{head}</tr>{rows}</table>'


def models_section(report: dict[str, Any]) -> str:
    parts = ["<h2>Perplexity buckets</h2>"]
    found = data.last_stage_with(report, data.has_scored_buckets)
    if found:
        rows = data.perplexity_buckets(found[1])
        parts += [
            _legend(),
            histogram(rows, width=360, title=f"documents per bucket ({found[0]})", chart_id="perplexity-buckets"),
        ]
    else:
        parts.append('<p class="empty">no perplexity buckets (the KenLM annotator has not run)</p>')
    parts.append("<h2>Duplicate cluster sizes</h2>")
    found = data.last_stage_with(report, lambda s: bool(data.cluster_sizes(s)))
    if found:
        parts.append(hbar_chart(data.cluster_sizes(found[1]), chart_id="cluster-sizes"))
    else:
        parts.append('<p class="empty">no duplicate clusters (dedup has not run)</p>')
    found = data.last_stage_with(report, lambda s: bool(s.get("sources")) and "n_tokens" in s)
    if found:
        rows = [(src, v.get("n_tokens", 0)) for src, v in sorted(found[1]["sources"].items())]
        parts += [
            f'<h2>Token shards <span class="muted">({escape(found[0])}: {found[1]["n_tokens"]:,} tokens)</span></h2>',
            hbar_chart(rows, KEPT_COLOUR, chart_id="tokens-by-source"),
        ]
    return "".join(parts)


def browser_section(samples: dict[str, list[dict]]) -> str:
    # "<" is escaped so the JSON can never close its <script> element, whatever the text holds.
    payload = json.dumps(samples, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return (
        "<h2>Removed documents, by reason</h2>"
        '<p>Pick a reason to review what it removed (<span id="docs-count">0</span> shown).</p>'
        '<select id="reason-pick"></select><div id="docs"></div>'
        f'<script type="application/json" id="samples-data">{payload}</script>'
    )


def render(path: str, report: dict[str, Any], samples: dict[str, list[dict]]) -> str:
    ok = report.get("accounting_ok")
    body = "".join(
        [
            f'<h1>Corpus report</h1><p class="muted">{escape(path)}</p>',
            f'<p id="summary" data-stages="{len(report["stages"])}" data-accounting-ok="{str(bool(ok)).lower()}">'
            f"{len(report['stages'])} stage(s); accounting "
            f'<b class="{"" if ok else "bad"}">{"ok" if ok else "MISMATCH"}</b></p>',
            funnel_section(report),
            language_funnel_section(report),
            language_section(report),
            histogram_section(report),
            models_section(report),
            browser_section(samples),
        ]
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Corpus report</title>'
        f"<style>{CSS}</style></head><body>{body}<script>{SCRIPT}</script></body></html>"
    )
