"""``corpus recipes``: the built-in recipes, what each is for and its steps, for ``--recipe NAME``."""

from __future__ import annotations

import argparse
import textwrap


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "recipes",
        help="list the built-in recipes (corpus filter --recipe NAME)",
        description="List the built-in recipes with their description and steps.",
    )
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
    usage = "use: corpus filter --input DIR --output DIR --recipe NAME [--set STEP.PARAM=VALUE]"
    return "\n\n".join(blocks + [usage])


def handle(args: argparse.Namespace) -> int:
    print(listing())
    return 0
