"""Decontamination: find documents that share long n-grams with evaluation sets (pure functions)."""
