"""Synthetic sample crawl with exact ground truth: `generate_sample(out_dir, pages, seed, pages_per_file)`."""

from .generator import generate_sample

__all__ = ["generate_sample"]
