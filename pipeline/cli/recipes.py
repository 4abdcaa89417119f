"""``corpus recipes``: list the built-in recipes (what each is for and its steps), or explain one.

``corpus recipes --explain fineweb`` prints every step of the recipe with each of its parameters:
the value the recipe sets (or the default), the valid values (type and range or choices), the unit
and one line of meaning, all read from the steps' declarations (:mod:`pipeline.params`). With
``--set`` it shows (and validates) the recipe as a run with those overrides would use it.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from pipeline.config import ConfigError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "recipes",
        help="list built-in recipes (corpus filter --recipe NAME); --explain NAME shows each step's parameters",
        description="Without arguments: the built-in recipes with their description and steps. --explain NAME|PATH: "
        "every step's parameters with value, default, valid range or choices and unit.",
    )
    p.add_argument("--explain", metavar="NAME|PATH", help="recipe to explain")
    p.add_argument("--set", action="append", default=[], metavar="STEP.PARAM=VALUE", help="override, as in run")
    p.set_defaults(handler=handle)


def listing() -> str:
    """One block per built-in recipe: name, steps in order, description wrapped to 100 columns."""
    from pipeline.config import load_yaml
    from pipeline.recipe import RECIPE_DIR

    blocks = []
    for path in sorted(RECIPE_DIR.glob("*.yaml")):
        data = load_yaml(path)
        steps = " -> ".join(entry["step"] for entry in data.get("steps") or [])
        description = textwrap.fill(" ".join(str(data.get("description", "")).split()), 96)
        blocks.append(f"{path.stem}\n  steps: {steps}\n{textwrap.indent(description, '  ')}")
    usage = (
        "use: corpus filter --input DIR --output DIR --recipe NAME [--set STEP.PARAM=VALUE]\n"
        "     corpus recipes --explain NAME   (every parameter with its default and valid values)"
    )
    return "\n\n".join(blocks + [usage])


def recipe_lines(name: str, overrides: list[str]) -> list[str]:
    from pipeline.params import explain_lines
    from pipeline.recipe import load_recipe, recipe_entries

    recipe = load_recipe(name, overrides)  # validates: a bad value fails here, exit 2
    given = recipe_entries(name, overrides)
    lines = [
        f"recipe {recipe.name}: {' '.join(recipe.description.split())}",
        f"partition_by: {list(recipe.partition_by)}",
    ]
    for step in recipe.steps:
        cls = type(step)
        lines.append("")
        lines.append(f"{step.name} ({cls.__module__}.{cls.__name__})")
        if cls.params_spec:
            lines.extend(explain_lines(step.name, cls.params_spec, given.get(step.name, {})))
        else:  # a step that has not declared its parameters yet (tests/test_params.py flags it)
            lines.append(f"  parameters not declared; values: {step.params()}")
    return lines


def handle(args: argparse.Namespace) -> int:
    try:
        print("\n".join(recipe_lines(args.explain, args.set)) if args.explain else listing())
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return 0
