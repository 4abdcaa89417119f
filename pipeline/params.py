"""Parameter declarations: each step states its parameters once, and everything reads that.

A step class carries ``params_spec``, a mapping of constructor argument -> :class:`Param` (type,
range or choices, unit, default, one line of meaning). The same declaration

* validates a recipe's values on the driver, before Spark starts (:func:`validate`), raising a
  :class:`~pipeline.config.ConfigError` that names ``step.param`` and the valid values, so the CLI
  exits with code 2 instead of starting a job that would remove every document;
* is what the manifest records (``Step.params`` lists the declared parameters in declared order);
* is what ``corpus recipes --explain NAME`` prints (:func:`explain_lines`).

Types are short strings: ``int``, ``float``, ``bool``, ``str``, ``any``, ``list[T]``, ``map[T]``
(string keys) and unions ``A|B``. ``min``/``max`` bound every number inside the value (a list's
items, a map's values); ``choices`` bounds every string inside it. ``nullable`` means ``null``
is allowed (for thresholds: the rule is off).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.config import ConfigError

REQUIRED = object()  # default of a parameter the user must give


@dataclass(frozen=True)
class Param:
    type: str
    default: Any
    help: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    min_open: bool = False  # the lower bound itself is not allowed (e.g. alpha > 0)
    choices: tuple[str, ...] | None = None
    nullable: bool = False
    null_means: str = "off"  # what null does, shown in errors and --explain

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def valid_values(self) -> str:
        """What would be accepted, in words: used in errors and in ``--explain``."""
        text = _describe_type(self.type, self)
        if self.nullable:
            text += f", or null ({self.null_means})"
        return text


def fraction(default: float | None, help: str, unit: str) -> Param:
    """A threshold on a fraction in [0, 1]; null turns the rule off."""
    return Param("float", default, help, unit, min=0, max=1, nullable=True)


def _split_union(type_: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(type_):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(type_[start:i])
            start = i + 1
    parts.append(type_[start:])
    return [p.strip() for p in parts]


def _range_text(p: Param) -> str:
    if p.min is None and p.max is None:
        return ""
    low = "-inf" if p.min is None else f"{p.min:g}"
    high = "inf" if p.max is None else f"{p.max:g}"
    left = "(" if p.min_open or p.min is None else "["
    right = ")" if p.max is None else "]"
    return f" in {left}{low}, {high}{right}"


def _describe_type(type_: str, p: Param) -> str:
    options = _split_union(type_)
    if len(options) > 1:
        return " or ".join(_describe_type(t, p) for t in options)
    if type_.startswith("list["):
        return f"a list of ({_describe_type(type_[5:-1], p)})"
    if type_.startswith("map["):
        return f"a mapping of name -> ({_describe_type(type_[4:-1], p)})"
    if type_ in ("int", "float"):
        return ("an integer" if type_ == "int" else "a number") + _range_text(p)
    if type_ == "str":
        return f"one of {list(p.choices)}" if p.choices else "a string"
    if type_ == "lang":
        return "a language code (ISO 639-1 or 639-3)"
    return {"bool": "true or false", "any": "any value"}.get(type_, type_)


def _matches(type_: str, value: Any, p: Param) -> bool:
    """True when ``value`` has type ``type_`` and every number/string in it is in range/choices."""
    options = _split_union(type_)
    if len(options) > 1:
        return any(_matches(t, value, p) for t in options)
    if type_.startswith("list["):
        return isinstance(value, list | tuple) and all(_matches(type_[5:-1], v, p) for v in value)
    if type_.startswith("map["):
        return isinstance(value, Mapping) and all(
            isinstance(k, str) and _matches(type_[4:-1], v, p) for k, v in value.items()
        )
    if type_ == "bool":
        return isinstance(value, bool)
    if type_ in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if type_ == "int" and not isinstance(value, int):
            return False
        return _in_range(float(value), p)
    if type_ == "str":
        return isinstance(value, str) and (p.choices is None or value in p.choices)
    if type_ == "lang":  # YAML 1.1 reads a bare `no` (Norwegian) as false: the step reads it back as "no"
        return isinstance(value, str) or value is False
    if type_ == "any":
        return True
    raise ValueError(f"unknown parameter type {type_!r}")


def _in_range(x: float, p: Param) -> bool:
    if x != x:  # NaN passes no comparison: reject it explicitly
        return False
    if p.min is not None and (x < p.min or (p.min_open and x == p.min)):
        return False
    return p.max is None or x <= p.max


def check_value(key: str, value: Any, p: Param) -> None:
    """Raise ConfigError naming ``key`` and the valid values unless ``value`` fits ``p``."""
    if value is None and p.nullable:
        return
    if value is None or not _matches(p.type, value, p):
        unit = f" ({p.unit})" if p.unit else ""
        raise ConfigError(
            f"{key}: {value!r} is not valid; valid values: {p.valid_values()}{unit}{_yaml_hint(value, p)}"
        )


def _yaml_hint(value: Any, p: Param) -> str:
    """YAML 1.1 reads unquoted NO, no, yes, on, off as booleans: say so where a string was expected."""
    values = value if isinstance(value, list | tuple) else [value]
    if "str" in p.type and any(isinstance(v, bool) for v in values):
        return " (YAML reads unquoted NO, no, yes, on and off as true/false: write 'NO' with quotes)"
    return ""


def validate(step: str, spec: Mapping[str, Param], params: Mapping[str, Any]) -> None:
    """Check a step's given parameters against its declaration (unknown, missing, type, range)."""
    unknown = sorted(set(params) - set(spec))
    if unknown:
        raise ConfigError(f"{step}: unknown parameter {unknown[0]!r}; valid parameters: {list(spec)}")
    for key, p in spec.items():
        if key in params:
            check_value(f"{step}.{key}", params[key], p)
        elif p.required:
            raise ConfigError(f"{step}.{key}: required; valid values: {p.valid_values()}")


def plain(value: Any) -> Any:
    """A JSON-friendly copy (tuples -> lists), for manifests and comparisons with defaults."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def explain_lines(step: str, spec: Mapping[str, Param], given: Mapping[str, Any]) -> list[str]:
    """One block per parameter: value (recipe or default), valid values, unit and meaning."""
    lines = []
    for key, p in spec.items():
        default = "(required)" if p.required else repr(plain(p.default))
        shown = f"{plain(given[key])!r} (recipe; default {default})" if key in given else default
        unit = f"; unit: {p.unit}" if p.unit else ""
        lines.append(f"  {step}.{key} = {shown}")
        lines.append(f"      {p.help}")
        lines.append(f"      valid: {p.valid_values()}{unit}")
    return lines
