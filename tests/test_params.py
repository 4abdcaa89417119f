"""Parameter declarations (pipeline/params.py): complete, consistent, and enforced before Spark.

The sweep gives every parameter of every step of every built-in recipe (and every field of the
extract and dedup stage configs) a wrong value through ``corpus run --set``, in one fresh Python
process, and demands exit code 2 with the key named, within 5 seconds, with no Spark session.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from pipeline.config import ConfigError
from pipeline.params import Param, check_value, plain, validate
from pipeline.recipe import RECIPE_DIR, STEP_REGISTRY, load_recipe, step_class

ROOT = Path(__file__).resolve().parents[1]


def constructor_defaults(cls) -> dict:
    sig = inspect.signature(cls.__init__)
    return {n: p.default for n, p in sig.parameters.items() if n != "self" and p.kind == p.POSITIONAL_OR_KEYWORD}


@pytest.mark.parametrize("name", sorted(STEP_REGISTRY))
def test_every_registered_step_declares_its_constructor_parameters(name):
    cls = step_class(name)
    defaults = constructor_defaults(cls)
    spec = cls.params_spec
    assert spec, f"step {name} ({cls.__name__}) has no params_spec: declare its parameters (pipeline/params.py)"
    assert list(spec) == list(defaults), f"{name}: declared {list(spec)} != constructor {list(defaults)}"
    for key, p in spec.items():
        assert isinstance(p, Param) and p.help, f"{name}.{key}: needs a Param with a one-line meaning"
        if defaults[key] is inspect.Parameter.empty:
            assert p.required, f"{name}.{key}: the constructor requires it, the declaration does not"
            continue
        assert plain(p.default) == plain(defaults[key]), f"{name}.{key}: declared default differs from the code"
        check_value(f"{name}.{key}", p.default, p)  # a default must pass its own declaration


def bad_value(p: Param):
    """A value the declaration must refuse: out of range where there is a range, else a wrong type."""
    top = [t.strip() for t in p.type.split("|")]
    if p.min is not None or p.max is not None:
        leaf = p.min if p.min_open else (p.min - 1 if p.min is not None else p.max + 1)
        return _shaped(top[0], leaf)
    if p.choices:
        return ["not-a-choice"] if top[0].startswith("list[") else "not-a-choice"
    return [[1]] if any(t in ("int", "float") for t in top) else 5.5


def _shaped(type_: str, leaf):
    if type_.startswith("list["):
        return [_shaped(type_[5:-1], leaf)]
    if type_.startswith("map["):
        return {"xx": _shaped(type_[4:-1], leaf)}
    return leaf


def sweep_cases() -> list[tuple[str, str, str]]:
    """(recipe, --set flag, key that the error must name) for every built-in recipe's parameters."""
    cases = []
    for path in sorted(RECIPE_DIR.glob("*.yaml")):
        for step in load_recipe(str(path)).steps:
            for key, p in type(step).params_spec.items():
                cases.append((path.stem, f"--set={step.name}.{key}={json.dumps(bad_value(p))}", f"{step.name}.{key}"))
    return cases


def stage_cases() -> list[tuple[str, str, str]]:
    """Wrong types for every field of the extract and dedup stage configs."""
    from jobs.dedup import DedupStageConfig
    from jobs.extract_warc import ExtractStageConfig

    cases = []
    for flag, cls in (("--extract-set", ExtractStageConfig), ("--dedup-set", DedupStageConfig)):
        hints = typing.get_type_hints(cls)
        for section in dataclasses.fields(cls):
            sub = hints[section.name]
            if not dataclasses.is_dataclass(sub):
                cases.append(("fineweb", f"{flag}={section.name}={json.dumps(5.5)}", section.name))
                continue
            for f in dataclasses.fields(sub):
                value = 5.5 if "tuple" in str(f.type) or f.type == "str" else [[1]]
                key = f"{section.name}.{f.name}"
                cases.append(("fineweb", f"{flag}={key}={json.dumps(value)}", key))
    return cases


SWEEP = r"""
import contextlib, io, json, sys, time
started = time.time()
from pipeline.cli.main import main
out = []
for recipe, flag, key in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(["run", "--input", "/nonexistent/*.warc.gz", "--output", "/nonexistent/out", "--recipe", recipe, flag])
    out.append([rc, err.getvalue()])
spark = False
if "pyspark" in sys.modules:
    from pyspark import SparkContext
    spark = SparkContext._active_spark_context is not None
print(json.dumps({"results": out, "spark": spark, "seconds": time.time() - started}))
"""


def test_every_bad_parameter_exits_2_naming_the_key_before_spark():
    cases = sweep_cases() + stage_cases()
    assert len(cases) > 60
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = __import__("time").time()
    proc = subprocess.run(
        [sys.executable, "-c", SWEEP, json.dumps(cases)], capture_output=True, text=True, env=env, timeout=60
    )
    wall = __import__("time").time() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    failures = [
        (flag, rc, err.strip())
        for (_, flag, key), (rc, err) in zip(cases, report["results"], strict=True)
        if rc != 2 or key not in err or not ("valid" in err or "expected" in err)
    ]
    assert not failures, failures[:5]
    assert report["spark"] is False, "a Spark session was started"
    print(f"{len(cases)} bad configurations: {wall:.2f} s with process start, {report['seconds']:.2f} s in the loop")
    assert wall < 5.0, f"{len(cases)} bad configurations took {wall:.1f} s (process included)"


def test_messages_name_key_and_valid_values():
    with pytest.raises(
        ConfigError, match=r"gopher_repetition\.max_dup_line_frac: -0\.1 .*valid values: a number in \[0, 1\]"
    ):
        load_recipe("fineweb", ["gopher_repetition.max_dup_line_frac=-0.1"])
    with pytest.raises(ConfigError, match=r"gopher_quality\.min_words: -5 .*an integer in \[0, inf\)"):
        load_recipe("fineweb", ["gopher_quality.min_words=-5"])
    with pytest.raises(ConfigError, match=r"c4_quality\.min_sentences: -3"):
        load_recipe("fineweb", ["c4_quality.min_sentences=-3"])
    with pytest.raises(ConfigError, match=r"pii_redactor\.replacement: 'x' .*\['token', 'fake'\]"):
        load_recipe("fineweb", ["pii_redactor.replacement=x"])
    with pytest.raises(
        ConfigError, match=r"gopher_quality: unknown parameter 'min_wordz'; valid parameters: \['min_words'"
    ):
        load_recipe("fineweb", ["gopher_quality.min_wordz=3"])
    # null turns a rule off and is accepted where declared
    steps = {s.name: s for s in load_recipe("fineweb", ["gopher_quality.min_words=null"]).steps}
    assert steps["gopher_quality"].min_words is None


def test_required_and_nan_are_refused():
    spec = step_class("quality_classifier").params_spec
    with pytest.raises(ConfigError, match=r"quality_classifier\.model: required"):
        validate("quality_classifier", spec, {})
    with pytest.raises(ConfigError, match="language_filter.min_score"):
        validate("language_filter", step_class("language_filter").params_spec, {"min_score": float("nan")})


def test_manifest_lists_declared_parameters_in_order():
    recipe = load_recipe("fineweb", ["gopher_quality.min_words=30"])
    described = {d["name"]: d for d in recipe.describe()}
    params = described["gopher_quality"]["params"]
    assert list(params)[: len(step_class("gopher_quality").params_spec)] == list(
        step_class("gopher_quality").params_spec
    )
    assert params["min_words"] == 30


def test_recipes_explain_shows_defaults_ranges_and_units(capsys):
    from pipeline.cli.main import main

    assert main(["recipes", "--explain", "fineweb-en"]) == 0
    out = capsys.readouterr().out
    assert "c4_quality.min_sentences = 5 (recipe; default 3)" in out
    assert "gopher_repetition.max_dup_line_frac = 0.3" in out
    assert "valid: a number in [0, 1], or null (off); unit: fraction of lines" in out
    assert main(["recipes", "--explain", "fineweb", "--set", "gopher_quality.min_words=-5"]) == 2
    assert "gopher_quality.min_words" in capsys.readouterr().err
    assert main(["recipes"]) == 0
    assert "fineweb-en" in capsys.readouterr().out
