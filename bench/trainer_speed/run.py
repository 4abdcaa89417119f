"""Trainer throughput (tokens/s, MFU) and data-loader throughput, on synthetic token shards.

GPU (the issue's check): ``--shape gpt2-124m`` = 12 layers, 12 heads, d_model 768, vocab 50,304,
sequence 1024, batch 32, bf16 autocast, torch.compile, fused AdamW, gradient clipping. As in
nanoGPT's bench.py: 10 burn-in steps, then 20 timed steps between two synchronisations.
CPU: ``--shape small`` reports the same numbers for a small model.

    .venv/bin/python bench/trainer_speed/run.py --shape gpt2-124m --batch 32 --compile   # on a GPU
    .venv/bin/python bench/trainer_speed/run.py --shape gpt2-124m --batch 32 --compile --nanogpt  # + nanoGPT
    .venv/bin/python bench/trainer_speed/run.py --shape small                            # on a CPU
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from trainer.config import load_train_config  # noqa: E402
from trainer.mixing import MixedSampler, load_mix  # noqa: E402
from trainer.shards import write_shard  # noqa: E402
from trainer.train import Trainer  # noqa: E402

SHAPES = {
    "gpt2-124m": {"vocab_size": 50304, "seq_len": 1024, "n_layer": 12, "n_head": 12, "d_model": 768},
    "small": {"vocab_size": 8192, "seq_len": 256, "n_layer": 4, "n_head": 4, "d_model": 256},
}


def make_shards(work: Path, vocab: int, tokens: int) -> Path:
    """Two sources of random ids (speed does not depend on the ids), 3:1 mix."""
    rng = np.random.default_rng(0)
    for name, share in (("web", 0.75), ("books", 0.25)):
        n = int(tokens * share)
        docs = np.split(rng.integers(3, vocab, n), np.arange(4096, n, 4096))  # 4k-token documents
        write_shard(str(work / name / "part-00000"), docs, vocab, eos_id=2)
    mix = work / "mix.yaml"
    mix.write_text("seed: 0\nsources:\n  - {name: web, weight: 3}\n  - {name: books, weight: 1}\n")
    return mix


def time_loader(mix: Path, seq_len: int, batch: int, batches: int, pin: bool) -> float:
    sampler = MixedSampler.from_spec(load_mix(mix), seq_len)
    sampler.next_batch(batch)
    began = time.perf_counter()
    for _ in range(batches):
        tensor = torch.from_numpy(sampler.next_batch(batch)[0])
        if pin:
            tensor = tensor.pin_memory()
    return batches * batch * seq_len / (time.perf_counter() - began)


def time_training(
    mix: Path, work: Path, shape: dict, batch: int, compile_model: bool, device: str, burn_in: int, steps: int
) -> dict:
    cfg = load_train_config(
        data={
            "out_dir": str(work / "run"),
            "mix": str(mix),
            "model": shape,
            "batch_size": batch,
            "device": device,
            "max_steps": burn_in + steps + 10,
            "holdout_windows": 0,
            "compile": compile_model,
            "optim": {"warmup_steps": 5},
        }
    )
    trainer = Trainer(cfg, resume=False, verbose=True)
    sync = torch.cuda.synchronize if trainer.device.type == "cuda" else (lambda: None)
    for _ in range(burn_in):
        trainer.train_step()
    sync()
    began = time.perf_counter()
    for _ in range(steps):
        loss = trainer.train_step()["loss"]
    sync()
    seconds = time.perf_counter() - began
    rate = steps * cfg.tokens_per_step / seconds
    return {
        "tokens_per_s": round(rate, 1),
        "ms_per_step": round(1000 * seconds / steps, 2),
        "last_loss": round(loss, 4),
        "mfu": round(rate * trainer.flops_per_token / trainer.peak, 4) if trainer.peak else None,
        "parameters": trainer.model.n_parameters(),
        "device": str(trainer.device),
        "device_name": torch.cuda.get_device_name() if trainer.device.type == "cuda" else cpu_name(),
    }


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


NANOGPT = ROOT.parent / "shared" / "anchors" / "nanogpt"


def parse_nanogpt(output: str, batch: int, seq_len: int = 1024) -> dict:
    """tokens/s and MFU from the last "time per iteration: X ms, MFU: Y%" line of nanoGPT's bench.py."""
    import re

    found = re.findall(r"time per iteration: ([\d.]+)ms, MFU: ([\d.]+)%", output)
    if not found:
        raise RuntimeError(f"no timing line in nanoGPT's output:\n{output[-2000:]}")
    ms, mfu = (float(x) for x in found[-1])
    return {"ms_per_step": ms, "tokens_per_s": round(batch * seq_len / (ms / 1000), 1), "mfu": mfu / 100}


def run_nanogpt(batch: int, compile_model: bool, device: str) -> dict:
    """nanoGPT's own bench.py (../shared/anchors/nanogpt, unchanged), synthetic data, same batch and GPU."""
    import subprocess

    dev = "cuda" if device == "auto" else device
    cmd = [sys.executable, "bench.py", f"--batch_size={batch}", "--real_data=False", f"--compile={compile_model}"]
    cmd.append(f"--device={dev}")
    done = subprocess.run(cmd, cwd=NANOGPT, capture_output=True, text=True, check=True)
    return {"command": " ".join(cmd[1:]), **parse_nanogpt(done.stdout, batch)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="small")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--burn-in", type=int, default=10)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--loader-batches", type=int, default=200)
    parser.add_argument("--loader-only", action="store_true", help="time the data loader alone")
    parser.add_argument("--work", default=str(ROOT / ".bench-work" / "trainer_speed"))
    parser.add_argument("--out", help="also write the result JSON here")
    parser.add_argument("--nanogpt", action="store_true", help="then run nanoGPT's bench.py on the same device")
    args = parser.parse_args()
    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True  # as nanoGPT's bench.py does
    shape, work = SHAPES[args.shape], Path(args.work) / args.shape
    if not (work / "mix.yaml").exists():
        make_shards(work, shape["vocab_size"], tokens=max(4_000_000, 4 * args.batch * shape["seq_len"] * 40))
    if args.loader_only:
        rate = time_loader(work / "mix.yaml", shape["seq_len"], args.batch, args.loader_batches, pin=False)
        print(
            json.dumps(
                {"shape": args.shape, "batch": args.batch, "loader_tokens_per_s": round(rate, 1), "cpu": cpu_name()},
                indent=2,
            )
        )
        return
    training = time_training(
        work / "mix.yaml", work, shape, args.batch, args.compile, args.device, args.burn_in, args.steps
    )
    loader = time_loader(
        work / "mix.yaml", shape["seq_len"], args.batch, args.loader_batches, pin=training["device"].startswith("cuda")
    )
    result = {
        "shape": args.shape,
        **shape,
        "batch": args.batch,
        "compile": args.compile,
        "training": training,
        "loader_tokens_per_s": round(loader, 1),
        "loader_over_training": round(loader / training["tokens_per_s"], 1),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    if args.nanogpt:
        result["nanogpt"] = run_nanogpt(args.batch, args.compile, args.device)
        result["ours_over_nanogpt"] = round(training["tokens_per_s"] / result["nanogpt"]["tokens_per_s"], 3)
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
