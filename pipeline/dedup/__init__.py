"""Deduplication building blocks: pure functions, no Spark.

``normalize`` (text, lines), ``urls`` (URL canonical form), ``hashes`` (exact and line keys),
``shingles`` (word / character n-grams), ``minhash`` (datasketch-compatible signatures, vectorised),
``lsh`` (bands x rows choice and band keys), ``config`` (the parameters). The Spark
transformations that use them live in ``jobs/dedup_lib.py``.
"""
