"""Markdown tables of the language-ID benchmark (run.py): accuracy, rules compared, speed and memory."""

from __future__ import annotations

from collections import defaultdict

from bench.langid.dataset import Sample

EUROPEAN_8 = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")

CONFUSABLE = ("ms", "id", "nb", "nn", "da", "hr", "bs", "sr", "ca", "es", "cs", "sk", "gl", "pt")


def _pct(labels: list[str], samples: list[Sample], idx: list[int]) -> str:
    return f"{100 * sum(labels[i] == samples[i].label for i in idx) / len(idx):.1f} %" if idx else "-"


def accuracy_table(
    samples: list[Sample], preds: dict[str, list[str]], lingua_knows: set[str], subset: str = "languages lingua knows"
) -> list[str]:
    every = range(len(samples))
    subsets = {
        "all": list(every),
        "short (< 50 chars)": [i for i in every if samples[i].bucket == "short"],
        "long (150-600 chars)": [i for i in every if samples[i].bucket == "long"],
        subset: [i for i in every if samples[i].label in lingua_knows],
        f"{subset}, short": [i for i in every if samples[i].label in lingua_knows and samples[i].bucket == "short"],
    }  # fmt: skip
    rows = [f"| subset | n | {' | '.join(preds)} |", "|---|---:|" + "---:|" * len(preds)]
    for name, idx in subsets.items():
        rows.append(f"| {name} | {len(idx)} | {' | '.join(_pct(p, samples, idx) for p in preds.values())} |")
    return rows


def per_language_table(samples: list[Sample], preds: dict[str, list[str]], only: tuple[str, ...] = ()) -> list[str]:
    by_lang = defaultdict(list)
    for i, s in enumerate(samples):
        by_lang[s.label].append(i)
    names = list(preds)
    rows = [f"| language | n | {' | '.join(names)} | n short | {' | '.join(n + ', short' for n in names)} |",
            "|---|---:|" + "---:|" * len(names) + "---:|" + "---:|" * len(names)]  # fmt: skip
    for lang in only or sorted(by_lang):
        idx = by_lang.get(lang, [])
        short = [i for i in idx if samples[i].bucket == "short"]
        cells = [_pct(p, samples, idx).removesuffix(" %") for p in preds.values()]
        cells_short = [_pct(p, samples, short).removesuffix(" %") for p in preds.values()]
        rows.append(f"| {lang} | {len(idx)} | {' | '.join(cells)} | {len(short)} | {' | '.join(cells_short)} |")
    return rows


def rule_variants(
    samples: list[Sample], ft_top: list, lingua_top: list, lingua_knows: set[str]
) -> dict[str, list[str]]:
    """Other ways to combine the same two opinions (fastText top 5, lingua's top 5 over its 75 languages)."""

    def mixed(i: int, weight: float) -> str:
        scores: dict[str, float] = defaultdict(float)
        for code, p in ft_top[i]:
            scores[code] += weight * p
        for code, p in lingua_top[i] or []:
            scores[code] += (1 - weight) * p
        return max(scores, key=scores.get)

    out: dict[str, list[str]] = defaultdict(list)
    for i, s in enumerate(samples):
        top, p = ft_top[i][0]
        short, known = len(s.text) < 50, top in lingua_knows
        hard_in = known and (short or p < 0.65)
        has = bool(lingua_top[i])
        out["lingua replaces fastText if guess known & (short or p < 0.65) (previous rule)"].append(
            lingua_top[i][0][0] if hard_in and has else top
        )
        out["lingua if short, else fastText"].append(lingua_top[i][0][0] if short and has else top)
        out["mix 0.3 on every document"].append(mixed(i, 0.3) if has else top)
        for weight in (0.2, 0.3, 0.5):
            chosen = has and (hard_in or (not known and (p < 0.3 or top == "sh")))
            out[f"mix {weight} if guess known & (short or p < 0.65), or unknown & p < 0.3"].append(
                mixed(i, weight) if chosen else top
            )
    return dict(out)


def speed_table(web: list[str], n_snippets: int, results: dict[str, dict]) -> list[str]:
    rows = ["| configuration | snippets docs/s/core | web documents docs/s/core | worker RSS (MB) | peak RSS (MB) |",
            "|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in results.items():
        rows.append(f"| {name} | {n_snippets / r['snippet_s']:,.0f} | {len(web) / r['web_s']:,.0f} | "
                    f"{r['memory']['VmRSS']:,.0f} | {r['memory']['VmHWM']:,.0f} |")  # fmt: skip
    return rows


def report(samples: list[Sample], web: list[str], results: dict[str, dict]) -> str:
    from pipeline.annotate.language_cascade import lingua_codes

    knows = set(lingua_codes())
    preds = {name: r["labels"] for name, r in results.items()}
    names = list(results)
    main = {k: preds[k] for k in names[:3]}
    variants = rule_variants(samples, results[names[0]]["top"], results[names[1]]["top"], knows)
    parts = [
        "## Accuracy", *accuracy_table(samples, preds, knows),
        "\n## Rules compared (same fastText and lingua outputs, recombined)", *accuracy_table(samples, variants, knows),
        "\n## Confusable languages", *per_language_table(samples, main, CONFUSABLE),
        "\n## The 8 languages of the limited configuration, every configuration",
        *accuracy_table(samples, preds, set(EUROPEAN_8), "en de fr es it pt nl pl"),
        "\n## Speed and memory (one worker process per configuration)", *speed_table(web, len(samples), results),
        "\n## Per language", *per_language_table(samples, main),
    ]  # fmt: skip
    return "\n".join(parts)
