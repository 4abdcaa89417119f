"""PII benchmark: per-type precision and recall on a labelled set, upstream cases, throughput.

Labelled set: ~3 KB documents of real text (wikitext-2 test split, detokenised; the Chinese
notes in ../shared/seeds) with PII values from Faker (8 locales, seeded) inserted at sentence
ends, plus decoys that must survive (versions, dates, prices, ISBN-13s, UUIDs, hashes, GPS,
private IPs, order numbers). A prediction is a true positive when it overlaps a gold span of the
same type; "exact" counts the true positives that cover the whole gold span (nothing leaks).
Background false positives count against precision. Throughput: PiiRedactor.process_batch on
one core (single process), best of 3.

Usage: python bench/pii/run.py [--docs 3000] [--out bench/pii/RESULTS.md]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import platform
import random
import sys
import time
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.transform.pii import PiiRedactor  # noqa: E402
from pipeline.transform.pii_detect import PII_KINDS, find_pii  # noqa: E402
from schemas.documents import empty_row  # noqa: E402

SHARED = ROOT.parent / "shared"
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "zh_CN"]
CN_AREAS = ["010", "021", "020", "022", "023", "0755", "0571", "025", "028", "0731"]
DOC_CHARS = 3000


def background() -> tuple[list[str], list[str]]:
    raw = (SHARED / "data/corpora/wikitext-2/test.txt").read_text(encoding="utf-8")
    for a, b in ((" @.@ ", "."), (" @,@ ", ","), (" @-@ ", "-"), (" , ", ", "), (" . ", ". "), (" 's", "'s")):
        raw = raw.replace(a, b)
    en = [raw[i : i + DOC_CHARS] for i in range(0, len(raw) - DOC_CHARS, DOC_CHARS)]
    zh_raw = "".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt")))
    zh = [zh_raw[i : i + DOC_CHARS] for i in range(0, len(zh_raw) - DOC_CHARS, 500)]
    return en, zh


def spaced(value: str, sep: str, size: int = 4) -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


def make_value(fake: Faker, rng: random.Random, kind: str) -> str:
    loc = rng.choice(LOCALES)
    if kind == "email":
        return fake[loc].email()
    if kind == "phone":
        if loc == "zh_CN" and rng.random() < 0.3:
            return f"{rng.choice(CN_AREAS)}-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"
        return fake[loc].phone_number()
    if kind == "ip":
        while True:
            value = fake["en_US"].ipv4_public() if rng.random() < 0.6 else fake["en_US"].ipv6()
            addr = ipaddress.ip_address(value)
            if addr.is_global and not addr.is_multicast:  # the stdlib's registry view is the oracle
                return value
    if kind == "card":
        digits = fake["en_US"].credit_card_number()
        while len(digits) < 13:  # 12-digit Maestro numbers are outside the 13-19 digit definition
            digits = fake["en_US"].credit_card_number()
        return rng.choice([digits, spaced(digits, " "), spaced(digits, "-")])
    if kind == "cn_id":
        return fake["zh_CN"].ssn()
    if kind == "ssn":
        return fake["en_US"].ssn()
    iban = fake[rng.choice(LOCALES[1:7])].iban()
    return iban if rng.random() < 0.5 else spaced(iban, " ")


def make_decoy(fake: Faker, rng: random.Random) -> str:
    f = fake["en_US"]
    choices = [
        lambda: f"version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}",
        lambda: f.date(),
        lambda: f.date(pattern="%d.%m.%Y"),
        lambda: f.time(),
        lambda: f"${rng.randint(1, 99999):,}.{rng.randint(0, 99):02d}",
        lambda: f"ISBN {f.isbn13()}",
        lambda: f.uuid4(),
        lambda: f.sha1(),
        lambda: f.md5(),
        lambda: f"{f.latitude()}, {f.longitude()}",
        lambda: f.ipv4_private(),
        lambda: f"order #{rng.randint(10**9, 10**12)}",
        lambda: f"{rng.randint(1, 999)} + {rng.randint(1, 999)} = {rng.randint(1, 2000)}",
    ]
    return rng.choice(choices)()


def labelled_docs(n: int, seed: int = 0):
    rng, fake = random.Random(seed), Faker(LOCALES)
    Faker.seed(seed)
    en, zh = background()
    docs = []
    for i in range(n):
        chinese = i % 4 == 3
        text = (zh if chinese else en)[i % len(zh if chinese else en)]
        inserts = [(k, make_value(fake, rng, k)) for k in rng.sample(PII_KINDS, rng.randint(1, 4))]
        inserts += [(None, make_decoy(fake, rng)) for _ in range(2)]
        cuts = sorted(rng.sample(range(len(text)), len(inserts)))
        parts, gold, pos, out_len = [], [], 0, 0
        for cut, (kind, value) in zip(cuts, inserts):
            parts.append(text[pos:cut])
            out_len += cut - pos
            lead = "，联系：" if chinese else " Contact: "
            if kind:
                gold.append((out_len + len(lead), out_len + len(lead) + len(value), kind))
            parts.append(f"{lead}{value}{'。' if chinese else ' . '}")
            out_len += len(parts[-1])
            pos = cut
        parts.append(text[pos:])
        docs.append(("".join(parts), gold))
    return docs


def score(docs) -> dict:
    table = {k: {"gold": 0, "tp": 0, "fp": 0, "exact": 0} for k in PII_KINDS}
    for text, gold in docs:
        preds = find_pii(text)
        used = set()
        for gs, ge, gk in gold:
            table[gk]["gold"] += 1
            hit = next((p for p in preds if p[2] == gk and p[0] < ge and gs < p[1] and p not in used), None)
            if hit:
                used.add(hit)
                table[gk]["tp"] += 1
                table[gk]["exact"] += hit[0] <= gs and hit[1] >= ge
        for p in preds:
            if p not in used:
                table[p[2]]["fp"] += 1
    return table


def throughput(docs: list[str], repeats: int = 3) -> float:
    step = PiiRedactor()
    best = float("inf")
    for _ in range(repeats):
        batch = [empty_row() | {"id": str(i), "text": t, "status": "kept"} for i, t in enumerate(docs)]
        start = time.perf_counter()
        step.process_batch(batch)
        best = min(best, time.perf_counter() - start)
    return len(docs) / best


def upstream() -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.test_pii_upstream import RECOGNIZERS, expected_under_policy

    data = json.loads((SHARED / "data/pii/presidio/presidio_recognizer_test_cases.json").read_text())
    out = {k: {"cases": 0, "agree_upstream": 0, "agree_policy": 0} for k in RECOGNIZERS.values()}
    for test_id, cases in data["tests"].items():
        kind = next((k for n, k in RECOGNIZERS.items() if f"test_{n}_recognizer.py" in test_id), None)
        for case in cases if kind else []:
            positions = case.get("expected_res", case.get("expected_positions", []))
            if case.get("leniency", 1) != 1 or (case["expected_len"] and not positions):
                continue  # other leniency levels contradict the default; count-only rows have no spans
            text = case.get("text", case.get("iban"))
            got = [(s, e) for s, e, k in find_pii(text) if k == kind]
            want = [tuple(p) for p in case.get("expected_res", case.get("expected_positions", []))]
            out[kind]["cases"] += 1
            out[kind]["agree_upstream"] += got == want
            out[kind]["agree_policy"] += got == expected_under_policy(kind, text, case)
    return out


TARGETS = {
    "email": (0.99, 0.98),
    "ip": (0.99, 0.98),
    "card": (0.99, 0.98),
    "cn_id": (0.99, 0.98),
    "phone": (0.95, 0.95),
}


def report(n_docs: int, table: dict, up: dict, speed: dict, seconds: float) -> str:
    lines = [
        "| type | gold | TP | FP | precision | recall | exact span | target (R / P) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, row in table.items():
        p = row["tp"] / max(1, row["tp"] + row["fp"])
        r = row["tp"] / max(1, row["gold"])
        exact = row["exact"] / max(1, row["tp"])
        target = "{} / {}".format(*TARGETS[kind]) if kind in TARGETS else "-"
        lines.append(
            f"| {kind} | {row['gold']} | {row['tp']} | {row['fp']} | {p:.4f} | {r:.4f} | {exact:.4f} | {target} |"
        )
    lines += [
        "",
        "| Presidio recognizer | cases | same spans as upstream | same spans under our policy |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {v['cases']} | {v['agree_upstream']} | {v['agree_policy']} |" for k, v in up.items()]
    lines += ["", "| throughput (1 process) | docs/s | MB/s |", "|---|---|---|"]
    lines += [f"| {name} | {v['docs_per_s']:,.0f} | {v['mb_per_s']:.1f} |" for name, v in speed.items()]
    head = [
        "# PII redaction benchmark",
        "",
        f"Command: `.venv/bin/python bench/pii/run.py --docs {n_docs}` ({seconds:.0f} s).",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} (shared 2-core VM; one process, so docs/s is per core).",
        f"Input: {n_docs} documents of ~{DOC_CHARS} characters (3/4 English wikitext-2 test split, detokenised; "
        "1/4 Chinese notes from ../shared/seeds), each with 1-4 Faker values (8 locales, seed 0) and 2 decoys "
        "inserted at random positions.",
        "",
    ]
    return "\n".join(head + lines + ["", NOTES])


NOTES = """Notes
- A prediction is a true positive when it overlaps a gold span of the same type; "exact span" is the share
  of true positives that cover the whole gold value. FP includes detections in the background text and decoys.
- IP gold values are public unicast addresses (stdlib `ipaddress`: `is_global and not is_multicast` as the
  oracle); private addresses appear only as decoys, because our policy keeps them (`pipeline/transform/pii.py`).
- Cards: Faker's 12-digit Maestro numbers are outside the issue's 13-19 digit definition and are re-drawn.
- Phone misses are Faker's bare digit strings with neither "+", separators, a trunk 0, nor a NANP or Chinese
  mobile shape (e.g. Italian mobiles "3885452631"): without a separator they cannot be told apart from other
  long numbers, so the rules leave them (a deliberate precision-over-recall choice).
- Presidio columns: span-exact agreement per case at the default leniency. Upstream reports private,
  loopback, link-local, documentation and multicast IPs; we keep them by design (57 cases). Phones: a country
  code written without "+" ("91-415-555-0132") is not matched. SSN: nine bare digits and mixed separators
  ("078-051121") are not matched. These are the only differences; tests/test_pii_upstream.py pins them.
- datatrove's scrubber cases agree except ".3.3.3.0" (a dotted sequence, not an address for us) and
  "email@111.222.333.44444" (an invalid domain); also pinned in tests/test_pii_upstream.py.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    args = ap.parse_args()
    start = time.perf_counter()
    docs = labelled_docs(args.docs)
    table, up = score(docs), upstream()
    en, zh = background()
    speed = {}
    for name, texts in (
        ("labelled documents (with PII)", [t for t, _ in docs]),
        ("background only (English)", en[: args.docs]),
        ("background only (Chinese)", zh[: args.docs]),
    ):
        rate = throughput(texts)
        mean_bytes = sum(len(t.encode()) for t in texts) / len(texts)
        speed[name] = {"docs_per_s": rate, "mb_per_s": rate * mean_bytes / 1e6}
    text = report(args.docs, table, up, speed, time.perf_counter() - start)
    print(text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
