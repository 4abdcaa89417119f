"""RESULTS.md of the PII bench: tables, goals met or not, notes (the figures come from run.py)."""

from __future__ import annotations

import platform
from collections import defaultdict
from pathlib import Path

RECALL_GOAL = {"email": 0.99, "ip": 0.99, "card": 0.99, "iban": 0.99, "ssn": 0.99, "cn_id": 0.99, "phone": 0.90}
PRECISION_GOAL = 0.98
SPEED_GOAL = 5000  # documents per second per core, 3 KB documents


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def type_table(table: dict) -> list[str]:
    lines = [
        "| type | gold | TP | FP | precision | recall | exact span | goal R / P | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, row in table.items():
        p, r = _ratio(row["tp"], row["tp"] + row["fp"]), _ratio(row["tp"], row["gold"])
        met = r >= RECALL_GOAL[kind] and (row["tp"] + row["fp"] == 0 or p >= PRECISION_GOAL)
        lines.append(
            f"| {kind} | {row['gold']} | {row['tp']} | {row['fp']} | {p:.4f} | {r:.4f} | "
            f"{_ratio(row['exact'], row['tp']):.4f} | {RECALL_GOAL[kind]} / {PRECISION_GOAL} | {'yes' if met else 'NO'} |"
        )
    return lines


def region_table(by_tag: dict) -> list[str]:
    rows: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for tag, (gold, hit) in by_tag.items():
        parts = tag.split("/")
        column = parts[0] if parts[0] == "metadata" else f"faker {parts[2]}"
        rows[parts[1]][column][0] += gold
        rows[parts[1]][column][1] += hit
    columns = ("metadata", "faker valid", "faker unassigned")
    lines = [
        "| region | "
        + " | ".join(f"{c} (n / recall)" for c in columns)
        + " | metadata + faker valid | met (>= 0.90) |",
        "|---|" + "---|" * (len(columns) + 2),
    ]
    for region in sorted(rows):
        cells = [f"{rows[region][c][0]} / {_ratio(rows[region][c][1], rows[region][c][0]):.3f}" for c in columns]
        real = [rows[region][c] for c in ("metadata", "faker valid")]
        recall = _ratio(sum(h for _, h in real), sum(g for g, _ in real))
        lines.append(f"| {region} | {' | '.join(cells)} | {recall:.3f} | {'yes' if recall >= 0.9 else 'NO'} |")
    return lines


def write_report(args, table, by_tag, up, speed, seconds, n_negative_shapes, detection) -> None:
    presidio, datatrove = up
    lines = [
        "# PII redaction benchmark",
        "",
        "Planted values in clean text (this file, `run.py`). On real, unplanted text (what pages really hold,",
        "hand-labelled, side by side with datatrove): [`REAL_TEXT.md`](REAL_TEXT.md).",
        "",
        f"Command: `nice -n 10 .venv/bin/python bench/pii/run.py --docs {args.docs}` ({seconds:.0f} s).",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} (shared 2-core VM; one process, so docs/s is per core).",
        f"Input: {args.docs} documents of ~3 KB (3/4 English wikitext-2 test split, 1/4 Chinese notes from "
        "../shared/seeds), each with 1-4 PII values and 3 decoys drawn from "
        f"{n_negative_shapes} negative shapes (dates, times, Unix timestamps, years and year lists, prices, "
        "versions, ISBN-10/13, coordinates, order/invoice numbers, citations and page ranges, private IPs, "
        "UUIDs, sums). Phones: libphonenumber example numbers per region (varied, 7 written formats) and "
        "Faker numbers of the region's locale; regions come from the document (URL ccTLD, language) and the "
        "default configuration (US, GB, CN). Seed 0.",
        "",
        "## Per type",
        "",
        *type_table(table),
        "",
        "## Phones per region (recall)",
        "",
        *region_table(by_tag),
        "",
        "## Upstream cases",
        "",
        "| Presidio recognizer | cases | same spans as upstream | same spans under our policy |",
        "|---|---|---|---|",
        *[f"| {k} | {v['cases']} | {v['agree_upstream']} | {v['agree_policy']} |" for k, v in presidio.items()],
        "",
        "| datatrove scrubber | lines | same output |",
        "|---|---|---|",
        *[f"| {k} | {n} | {same} |" for k, (n, same) in datatrove.items()],
        "",
        "## Throughput (one process = one core, documents per CPU second)",
        "",
        "| documents | mean KB | docs/s | MB/s | goal >= 5,000 docs/s |",
        "|---|---|---|---|---|",
        *[
            f"| {name} | {v['kb']:.1f} | {v['docs_per_s']:,.0f} | {v['mb_per_s']:.1f} | "
            f"{'yes' if v['docs_per_s'] >= SPEED_GOAL else 'NO'} |"
            for name, v in speed.items()
        ],
        "",
        "Detection alone (`find_pii`) on the labelled documents, same run, same load:",
        "",
        "| detector | docs/s |",
        "|---|---|",
        *[f"| {name} | {rate:,.0f} |" for name, rate in detection.items() if rate],
        "",
        Path(__file__).with_name("NOTES.md").read_text(encoding="utf-8").strip(),
    ]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
