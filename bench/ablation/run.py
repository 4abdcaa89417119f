"""Proof of value: the same small model, the same token budget, trained on raw vs on cleaned documents,
both scored on clean held-out text (perplexity with one shared tokenizer, and bits per byte).

    # inputs: any two document sets the trainer can read (pipeline output folders, Parquet, JSONL)
    .venv/bin/python bench/ablation/run.py --raw RAW --clean CLEAN \
        --heldout ../shared/data/corpora/wikitext-2/test.txt
    # real pages: (a) all visible text of each page vs (b) the pipeline's kept documents, after
    # bench/real_pages/run.py --work WORK (see bench/ablation/real_pages.py)
    .venv/bin/python bench/ablation/run.py --real-pages WORK --steps 400
    # or build a stand-in pair first: raw = wikitext-2 valid articles + generated web junk, clean = the articles
    .venv/bin/python bench/ablation/run.py --make-demo-inputs .bench-work/ablation/inputs

One tokenizer (trained on the raw set, which contains the clean one) serves both runs so the two
perplexities are comparable; bits per byte would be comparable even without that.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trainer.config import load_train_config  # noqa: E402
from trainer.documents import iter_documents  # noqa: E402
from trainer.evaluate import evaluate_sources  # noqa: E402
from trainer.shards import write_shard  # noqa: E402
from trainer.tokenizer import load, token_bytes, train_tokenizer  # noqa: E402
from trainer.train import Trainer  # noqa: E402

MODEL = {"seq_len": 128, "n_layer": 4, "n_head": 4, "d_model": 128}


def wikitext_articles(path: Path) -> list[str]:
    """Articles of a wikitext-2 file: a new one starts at each top-level ``= Title =`` heading."""
    articles, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("= ") and s.endswith(" =") and not s.startswith("= ="):
            if current:
                articles.append("\n".join(current))
            current = [s]
        elif s:
            current.append(s)
    if current:
        articles.append("\n".join(current))
    return articles


def junk_document(rng: random.Random, fake) -> str:
    """One page of the kinds of web text quality filters remove: SEO spam, boilerplate, listings, repeats."""
    kind = rng.choice(["seo", "boilerplate", "listing", "repeat"])
    if kind == "seo":
        words = [fake.word() for _ in range(6)]
        return " ".join(rng.choice(words).upper() if rng.random() < 0.3 else rng.choice(words) for _ in range(300))
    if kind == "boilerplate":
        parts = [
            "Home | About | Contact | Login | Register | Cart (0)",
            "We use cookies to improve your experience.",
            "Accept all cookies",
            f"Copyright (c) {fake.year()} {fake.company()}. All rights reserved.",
            "Subscribe to our newsletter!",
            "Privacy Policy | Terms of Service | Sitemap",
        ]
        return "\n".join(rng.choice(parts) for _ in range(40))
    if kind == "listing":
        return "\n".join(
            f"{fake.catch_phrase()} - ${rng.randint(1, 999)}.99 - {fake.phone_number()} - BUY NOW" for _ in range(30)
        )
    line = f"click here {fake.url()} free {fake.word()} best price"
    return "\n".join([line] * 60)


def make_demo_inputs(out: Path, seed: int = 0) -> None:
    from faker import Faker

    wiki = ROOT.parent / "shared" / "data" / "corpora" / "wikitext-2" / "valid.txt"
    articles = wikitext_articles(wiki)
    fake, rng = Faker("en_US"), random.Random(seed)
    fake.seed_instance(seed)
    wiki_chars, junk, junk_chars = sum(map(len, articles)), [], 0
    while junk_chars < wiki_chars:  # as many junk characters as article characters: raw is half junk
        junk.append(junk_document(rng, fake))
        junk_chars += len(junk[-1])
    out.mkdir(parents=True, exist_ok=True)
    clean = [{"id": f"wiki-{i:04d}", "source": "web", "text": t} for i, t in enumerate(articles)]
    raw = clean + [{"id": f"junk-{i:05d}", "source": "web", "text": t} for i, t in enumerate(junk)]
    for name, rows in (("clean", clean), ("raw", raw)):
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    print(
        json.dumps(
            {"articles": len(articles), "article_chars": wiki_chars, "junk_docs": len(junk), "junk_chars": junk_chars}
        )
    )


def train_variant(name: str, texts: list[str], sp, work: Path, args) -> Path:
    tokens = work / name / "tokens"
    write_shard(str(tokens / "web" / "part-00000"), [sp.encode(t) for t in texts], sp.get_piece_size(), sp.eos_id())
    (tokens / "mix.yaml").write_text("seed: 0\nsources:\n  - {name: web, weight: 1}\n")
    cfg = load_train_config(
        data={
            "out_dir": str(work / name / "run"),
            "mix": str(tokens / "mix.yaml"),
            "model": MODEL,
            "device": "auto",
            "batch_size": args.batch,
            "max_steps": args.steps,
            "holdout_windows": 0,
            "log_every": 100,
            "seed": 0,
            "optim": {"lr": 2e-3, "min_lr": 2e-4, "warmup_steps": min(50, args.steps // 4)},
        }
    )
    trainer = Trainer(cfg, resume=False)
    trainer.run()
    return work / name / "run" / "checkpoint.pt"


def score(checkpoint: Path, heldout: str, sp, max_windows: int) -> dict:
    from trainer.evaluate import load_checkpoint_model

    model, _ = load_checkpoint_model(checkpoint, torch.device("cpu"))
    ids = np.array(sp.encode(heldout), dtype=np.int64)
    t = MODEL["seq_len"]
    windows = [ids[i : i + t + 1] for i in range(0, len(ids) - t - 1, t)][:max_windows]
    return evaluate_sources(model, {"heldout": windows}, torch.device("cpu"), token_bytes(sp), 32)["heldout"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--make-demo-inputs", metavar="DIR", help="write DIR/raw.jsonl and DIR/clean.jsonl and stop")
    parser.add_argument(
        "--real-pages", metavar="WORK", help="bench/real_pages' work folder: (a) visible text vs (b) kept"
    )
    parser.add_argument("--raw", nargs="+")
    parser.add_argument("--clean", nargs="+")
    parser.add_argument("--heldout", default=str(ROOT.parent / "shared/data/corpora/wikitext-2/test.txt"))
    parser.add_argument("--vocab", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--max-eval-windows", type=int, default=1000)
    parser.add_argument("--work", default=str(ROOT / ".bench-work" / "ablation"))
    args = parser.parse_args()
    if args.make_demo_inputs:
        make_demo_inputs(Path(args.make_demo_inputs))
        return
    torch.set_num_threads(max(1, torch.get_num_threads()))
    work = Path(args.work)
    removed = {}
    if args.real_pages:
        from real_pages import decontaminate, visible_documents

        real = Path(args.real_pages)
        raw, removed["raw"] = decontaminate(visible_documents(real / "warc"), args.heldout)
        clean = [t for _i, _s, t in iter_documents([str(real / "out" / "decontaminate")])]
        args.raw, args.clean = f"visible text of {real / 'warc'}", f"kept documents of {real / 'out/decontaminate'}"
    else:
        raw = [t for _i, _s, t in iter_documents(args.raw)]
        clean = [t for _i, _s, t in iter_documents(args.clean)]
    sp = load(train_tokenizer(raw, work / "tokenizer.model", args.vocab))
    heldout = Path(args.heldout).read_text(encoding="utf-8")
    result = {
        "inputs": {"raw": args.raw, "clean": args.clean, "heldout": args.heldout},
        "documents": {"raw": len(raw), "clean": len(clean)},
        "removed_as_contaminated": removed,
        "chars": {"raw": sum(map(len, raw)), "clean": sum(map(len, clean))},
        "model": MODEL,
        "vocab": sp.get_piece_size(),
        "steps": args.steps,
        "batch": args.batch,
        "token_budget": args.steps * args.batch * MODEL["seq_len"],
    }
    for name, texts in (("raw", raw), ("clean", clean)):
        began = time.perf_counter()
        checkpoint = train_variant(name, texts, sp, work, args)
        result[name] = {
            **score(checkpoint, heldout, sp, args.max_eval_windows),
            "train_seconds": round(time.perf_counter() - began, 1),
        }
    print(json.dumps(result, indent=2))
    (work / "result.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
