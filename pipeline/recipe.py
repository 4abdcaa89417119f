"""Recipes: an ordered list of steps with their parameters, declared in YAML.

```yaml
name: fineweb
description: ...
partition_by: [status, language]
steps:
  - step: gopher_quality        # a name from STEP_REGISTRY
    params: {min_words: 50}
```

``--set gopher_quality.min_words=30`` changes one step's parameter, ``--set partition_by=[status]``
a top-level key. Every step is constructed while the recipe loads, on the driver, so a bad step
name or parameter fails before Spark starts and names the valid choices.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import ConfigError, load_yaml, parse_overrides
from pipeline.params import validate
from pipeline.step import Step, check_unique_names

# name -> "module:Class". Names are the steps' own `name` attributes (stable ids).
STEP_REGISTRY: dict[str, str] = {
    "url_filter": "pipeline.filters.url:UrlFilter",
    "language_id": "pipeline.annotate.language:LanguageAnnotator",
    "language_filter": "pipeline.filters.language:LanguageFilter",
    "gopher_repetition": "pipeline.filters.gopher:GopherRepetitionFilter",
    "gopher_quality": "pipeline.filters.gopher:GopherQualityFilter",
    "c4_lines": "pipeline.transform.c4_lines:C4LineCleaner",
    "repeated_lines": "pipeline.transform.repeated_lines:RepeatedLineRemover",
    "c4_quality": "pipeline.filters.c4:C4QualityFilter",
    "fineweb_quality": "pipeline.filters.fineweb:FineWebQualityFilter",
    "mc4_paragraphs": "pipeline.filters.mc4:MC4ParagraphFilter",
    "pii_redactor": "pipeline.transform.pii:PiiRedactor",
    "pii_filter": "pipeline.transform.pii:PiiDocumentFilter",
    "perplexity": "pipeline.annotate.perplexity:KenlmPerplexityAnnotator",
    "perplexity_filter": "pipeline.filters.model_filters:PerplexityBucketFilter",
    "quality_classifier": "pipeline.annotate.quality:QualityClassifierAnnotator",
    "quality_filter": "pipeline.filters.model_filters:QualityThresholdFilter",
}

RECIPE_DIR = Path(__file__).parent / "recipes"
_TOP_LEVEL = ("name", "description", "partition_by", "steps")


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    partition_by: tuple[str, ...]
    steps: tuple[Step, ...]

    def describe(self) -> list[dict[str, Any]]:
        return [s.describe() for s in self.steps]


def step_class(name: str) -> type[Step]:
    if name not in STEP_REGISTRY:
        raise ConfigError(f"unknown step {name!r}; valid steps: {sorted(STEP_REGISTRY)}")
    module, cls = STEP_REGISTRY[name].split(":")
    return getattr(importlib.import_module(module), cls)


def make_step(name: str, params: dict[str, Any] | None) -> Step:
    cls = step_class(name)
    params = params or {}
    if cls.params_spec:  # the declaration decides: type, range, choices, required
        validate(name, cls.params_spec, params)
    signature = inspect.signature(cls.__init__)
    valid = [p for p in signature.parameters if p != "self"]
    accepts_any = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
    unknown = sorted(set(params) - set(valid))
    if unknown and not accepts_any:
        raise ConfigError(f"step {name}: unknown parameter {unknown[0]!r}; valid parameters: {valid}")
    try:
        return cls(**params)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"step {name}: {exc}") from exc


def recipe_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    path = RECIPE_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in RECIPE_DIR.glob("*.yaml"))
        raise ConfigError(f"unknown recipe {name_or_path!r}; built-in recipes: {known} (or give a path to a YAML file)")
    return path


def recipe_entries(name_or_path: str, overrides: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The parameters the recipe (and ``--set``) give each step, before defaults are filled in."""
    data = load_yaml(recipe_path(name_or_path))
    out = {e["step"]: dict(e.get("params") or {}) for e in data.get("steps") or [] if isinstance(e, dict)}
    for key, value in parse_overrides(overrides).items():
        if key in out and isinstance(value, dict):
            out[key].update(value)
    return out


def load_recipe(name_or_path: str, overrides: list[str] | None = None) -> Recipe:
    data = load_yaml(recipe_path(name_or_path))
    unknown = sorted(set(data) - set(_TOP_LEVEL))
    if unknown:
        raise ConfigError(f"recipe: unknown key {unknown[0]!r}; valid keys: {list(_TOP_LEVEL)}")
    entries = data.get("steps") or []
    if not isinstance(entries, list):
        raise ConfigError("recipe: steps must be a list of {step: NAME, params: {...}}")
    params_by_step: dict[str, dict[str, Any]] = {}
    names = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "step" not in entry or set(entry) - {"step", "params"}:
            raise ConfigError(f"recipe: steps[{i}] must be a mapping with keys 'step' and optional 'params'")
        names.append(entry["step"])
        params_by_step[entry["step"]] = dict(entry.get("params") or {})
    for key, value in parse_overrides(overrides).items():
        if key in params_by_step:
            if not isinstance(value, dict):
                raise ConfigError(f"--set {key}: give a parameter, e.g. {key}.PARAM=VALUE")
            params_by_step[key].update(value)
        elif key in ("partition_by", "description", "name"):
            data[key] = value
        else:
            raise ConfigError(f"--set {key}: not a step of this recipe nor a top-level key; steps: {names}")
    steps = tuple(make_step(n, params_by_step[n]) for n in names)
    check_unique_names(steps)
    partition_by = tuple(data.get("partition_by") or ("status",))
    if "status" not in partition_by:
        raise ConfigError(f"recipe: partition_by must include 'status', got {list(partition_by)}")
    return Recipe(str(data.get("name", Path(name_or_path).stem)), str(data.get("description", "")), partition_by, steps)
