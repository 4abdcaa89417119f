"""``corpus run``: every stage in order, reusing outputs that are already up to date.

Each stage's manifest carries a *signature*: a hash of its configuration, its steps and the
fingerprints of its inputs (for a downstream stage: the signature of the stage it reads). A stage
whose published output has the same signature is reused; otherwise it is recomputed and
republished atomically. Killing a run at any point and starting it again therefore redoes only
the stages that had not published, and gives the same bytes (outputs are deterministic).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.config import ConfigError
from pipeline.io.publish import MANIFEST, is_published, read_json

STAGES = ("extract", "filter", "dedup")


def signature(*parts: Any) -> str:
    payload = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def published_signature(path: str) -> str | None:
    if not is_published(path):
        return None
    try:
        return read_json(path, MANIFEST).get("signature")
    except (OSError, ValueError):
        return None


@dataclass
class StageResult:
    name: str
    output: str
    reused: bool
    seconds: float
    stats: dict[str, Any]


def run_stage(name: str, output: str, sig: str, compute: Callable[[str], dict[str, Any]]) -> StageResult:
    """Reuse ``output`` when its manifest has signature ``sig``; else ``compute(sig)`` publishes it."""
    started = time.time()
    if published_signature(output) == sig:
        stats = read_json(output, "_stats.json")
        return StageResult(name, output, True, time.time() - started, stats)
    stats = compute(sig)
    return StageResult(name, output, False, time.time() - started, stats)


def run_all(
    spark,
    input_globs: list[str],
    output: str,
    recipe_name: str,
    recipe_overrides: list[str],
    extract_overrides: list[str],
    dedup_overrides: list[str] | None = None,
    decontam_overrides: list[str] | None = None,
) -> list[StageResult]:
    """Extract -> filter -> dedup (-> decontaminate when eval sets are given), each into ``output/<stage>``."""
    from jobs import extract_warc
    from jobs import filter as filter_job
    from jobs.common import fingerprint_inputs
    from pipeline.io.manifest import expand_inputs
    from pipeline.recipe import load_recipe

    extract_cfg = extract_warc.load_config(None, extract_overrides)
    recipe = load_recipe(recipe_name, recipe_overrides)
    filter_cfg = filter_job.FilterStageConfig(recipe=recipe_name)
    inputs = expand_inputs(input_globs)
    if not inputs:
        raise ConfigError(f"--input {input_globs}: no files match")
    results = []

    fingerprints = fingerprint_inputs(spark, inputs, checksum=extract_cfg.checksum_inputs)
    sig = signature("extract", asdict(extract_cfg), fingerprints)
    out_extract = f"{output}/extract"
    results.append(
        run_stage(
            "extract",
            out_extract,
            sig,
            lambda s: extract_warc.run(spark, inputs, out_extract, extract_cfg, fingerprints=fingerprints, signature=s),
        )
    )

    sig = signature(
        "filter", asdict(filter_cfg), recipe.describe(), list(recipe.partition_by), published_signature(out_extract)
    )
    out_filter = f"{output}/filter"
    results.append(
        run_stage(
            "filter",
            out_filter,
            sig,
            lambda s: filter_job.run(spark, [out_extract], out_filter, recipe, filter_cfg, signature=s),
        )
    )

    import importlib.util

    if importlib.util.find_spec("jobs.dedup") is None:
        return results
    from jobs import dedup as dedup_job

    dedup_cfg = dedup_job.load_config(None, dedup_overrides or [])
    sig = signature("dedup", asdict(dedup_cfg), published_signature(out_filter))
    out_dedup = f"{output}/dedup"
    results.append(
        run_stage(
            "dedup", out_dedup, sig, lambda s: dedup_job.run(spark, out_filter, out_dedup, dedup_cfg, signature=s)
        )
    )
    if decontam_overrides:
        results.append(run_decontaminate(spark, out_dedup, f"{output}/decontaminate", decontam_overrides))
    return results


def run_decontaminate(spark, input_path: str, output: str, overrides: list[str]) -> StageResult:
    """The optional last stage; its signature covers the eval files' sizes and modification times."""
    import os

    from jobs import decontaminate as decontam_job
    from pipeline.decontam.index import set_name

    cfg = decontam_job.load_config(None, overrides)
    files = [(p, os.path.getsize(p), os.path.getmtime(p)) for p in (set_name(s)[1] for s in cfg.decontam.eval_sets)]
    sig = signature("decontaminate", asdict(cfg), files, published_signature(input_path))
    return run_stage(
        "decontaminate", output, sig, lambda s: decontam_job.run(spark, input_path, output, cfg, signature=s)
    )


def summary_lines(results: list[StageResult], seconds: float) -> list[str]:
    lines = [f"{'stage':<10} {'in':>9} {'kept':>9} {'removed':>9} {'seconds':>8}  output"]
    for r in results:
        s = r.stats
        state = "reused" if r.reused else f"{r.seconds:8.1f}"
        lines.append(
            f"{r.name:<10} {s.get('rows', 0):>9} {s.get('kept', 0):>9} {s.get('removed', 0):>9} {state:>8}  {r.output}"
        )
    for r in results:
        reasons = sorted(r.stats.get("removed_by_reason", {}).items(), key=lambda kv: -kv[1])
        if reasons:
            lines.append(f"{r.name} removals: " + ", ".join(f"{k.split('/', 1)[-1]}={v}" for k, v in reasons))
    ok = all(r.stats.get("accounting_ok") for r in results)
    lines.append(f"accounting: {'ok' if ok else 'MISMATCH'} (every input record is kept or removed with a reason)")
    lines.append(f"wall time: {seconds:.1f} s")
    return lines


def _check_dedup_config(overrides: list[str]) -> None:
    """The dedup stage runs last: its configuration must still fail before Spark starts."""
    import importlib.util

    if importlib.util.find_spec("jobs.dedup") is not None:
        from jobs import dedup as dedup_job

        dedup_job.load_config(None, overrides or [])


def execute(
    input_globs: list[str],
    output: str,
    recipe: str,
    recipe_overrides: list[str],
    extract_overrides: list[str],
    dedup_overrides: list[str],
    master: str | None = None,
    decontam_overrides: list[str] | None = None,
) -> int:
    from jobs import extract_warc
    from pipeline.engines.spark import get_session
    from pipeline.recipe import load_recipe

    started = time.time()
    try:  # validate everything before Spark starts
        extract_warc.load_config(None, extract_overrides)
        load_recipe(recipe, recipe_overrides)
        _check_dedup_config(dedup_overrides)
        if decontam_overrides:
            from jobs import decontaminate as decontam_job

            decontam_job.build_eval_index(decontam_job.load_config(None, decontam_overrides).decontam)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    from jobs.interrupt import Interrupted, arm, shutdown, stop_on_signals
    from jobs.progress import StageProgress

    spark = None
    try:
        with stop_on_signals():
            spark = get_session(master=master, app_name="corpus-run", own_process_group=True)
            arm()
            with StageProgress(spark, label="run"):
                results = run_all(
                    spark,
                    input_globs,
                    output,
                    recipe,
                    recipe_overrides,
                    extract_overrides,
                    dedup_overrides,
                    decontam_overrides,
                )
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as stop:
        if spark is not None:
            shutdown(spark, [f"{output}/{stage}" for stage in STAGES])
        print(
            f"corpus run: stopped by {stop.name}; Spark stopped, the running stage's unpublished output "
            "removed; published stages are kept and reused by the next run",
            file=sys.stderr,
        )
        return stop.exit_code
    print("\n".join(summary_lines(results, time.time() - started)))
    return 0 if all(r.stats.get("accounting_ok") for r in results) else 1
