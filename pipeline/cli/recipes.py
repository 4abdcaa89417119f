"""``corpus recipes``: list the built-in recipes, or explain one step by step.

``corpus recipes --explain fineweb`` prints every step of the recipe with each of its parameters:
the value the recipe sets (or the default), the valid values (type and range or choices), the unit
and one line of meaning, all read from the steps' declarations (:mod:`pipeline.params`). With
``--set`` it shows (and validates) the recipe as a run with those overrides would use it.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.config import ConfigError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "recipes",
        help="list built-in recipes; --explain NAME shows each step's parameters",
        description="Without arguments: the built-in recipes. --explain NAME|PATH: every step's "
        "parameters with value, default, valid range or choices and unit.",
    )
    p.add_argument("--explain", metavar="NAME|PATH", help="recipe to explain")
    p.add_argument("--set", action="append", default=[], metavar="STEP.PARAM=VALUE", help="override, as in run")
    p.set_defaults(handler=handle)


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
    from pipeline.recipe import RECIPE_DIR, load_recipe

    try:
        if args.explain:
            print("\n".join(recipe_lines(args.explain, args.set)))
            return 0
        for path in sorted(RECIPE_DIR.glob("*.yaml")):
            recipe = load_recipe(str(path))
            print(f"{path.stem:<14} {len(recipe.steps):>2} steps: {', '.join(s.name for s in recipe.steps)}")
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return 0
