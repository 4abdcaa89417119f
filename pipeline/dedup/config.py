"""Parameters of the dedup stage, validated before Spark starts."""

from __future__ import annotations

from dataclasses import dataclass

SCHEMES = ("affine32", "legacy")
HASH_FUNCTIONS = ("poly64", "sha1")


@dataclass(frozen=True)
class DedupConfig:
    """Every dedup knob, with its unit and where its default comes from.

    MinHash-LSH (Broder 1997; bands x rows from Leskovec et al., *Mining of Massive Datasets*, ch. 3):

    - ``num_perm`` (128 permutations) and ``seed`` (1) and ``scheme`` ("affine32"): datasketch 2.0.0's
      defaults; "legacy" is the pre-2.0 scheme.
    - ``hash_function`` ("poly64"): the 32-bit hash of each shingle. "poly64" (``pipeline.dedup.spanhash``)
      is computed for a whole batch from the normalised text, with no Python call per shingle; "sha1" is
      datasketch's default ``sha1_hash32``. Either way the signatures equal
      ``datasketch.MinHash(num_perm, seed, hashfunc=<the same function>)``.
    Defaults measured on real text (``bench/dedup/defaults.py``, RESULTS.md there: wikitext-2, zh-news,
    a Japanese novel and real pages' main text with planted copies and half-overlapping hard negatives):
    4-grams, 20 bands x 5 rows, candidates verified at exact Jaccard 0.7 give precision 0.999 and
    recall >= 0.99 for exact copies, 1-3 % word (zh/ja: character) edits and template variants. The
    previous defaults (5-grams, 9 x 13 from threshold 0.8, unverified) found 56 % of 2 % edits and 20 %
    of 3 %; unverified LSH as loose as 20 x 5 merges a third of the hard negatives' clusters (precision 0.87).

    - ``threshold`` (exact Jaccard similarity of the shingle sets, 0.7): with ``verify`` on, a candidate
      pair is kept only at or above it. ``bands`` and ``rows`` (20 x 5: a pair at Jaccard 0.6 becomes a
      candidate with probability 0.80, at 0.7 with 0.99) are set explicitly; give both as null to derive
      them from ``threshold`` as datasketch's MinHashLSH does (false positive / negative weights 0.5 / 0.5).
    - ``word_ngram`` (4 words) for space-separated languages, ``char_ngram`` (4 characters) for
      ``char_languages`` (Chinese, Japanese: no spaces between words). Gopher / RefinedWeb / FineWeb use
      5-grams; 4-grams keep a 3 %-edited copy above Jaccard 0.7 (about (1-e)^n / (2 - (1-e)^n) = 0.79).
    - ``verify`` (on): keep a candidate pair only if the exact Jaccard of its shingle-hash sets reaches
      ``threshold``; buckets of at most ``max_bucket_pairs`` documents are verified pairwise, larger ones
      only against their smallest id (see ``jobs/dedup_lib.py``). It costs 4 bytes per distinct shingle
      per document in the signature table (measured in ``bench/dedup``); off, precision is LSH's alone.
    - ``cc_max_iterations`` (40 rounds of large-star + small-star) guards against a bug looping forever;
      Kiveris et al. (2014) bound the rounds by O(log^2 n), a handful in practice.
    - ``cc_driver_max_edges`` (1,000,000 candidate edges, about 200 MB of driver memory with 32-character
      ids): up to this many, the components are found on the driver by union-find in one pass (same
      result, no Spark job per round); more go through the distributed rounds. 0 = always distributed.

    Line dedup (the paragraph-hash idea of cc_net, Wenzek et al. 2020):

    - ``line_max_repeats`` (10 documents): a normalised line found in more documents than this is removed
      from all of them.
    - ``line_min_chars`` (100 non-space characters): a document that lost lines and keeps fewer is removed
      with ``line_dedup_too_short``.
    - ``line_broadcast_limit`` (2,000,000 line hashes, 16 MB): up to this many repeated lines are shipped
      to the workers as a sorted array; more are joined in Spark instead.

    Passage dedup (spans of consecutive sentences, as datatrove's sentence dedup and Dolma's paragraph
    dedup; ``jobs/dedup_passages.py``):

    - ``passage_sentences`` (3 sentences): the span length; datatrove's ``n_sentences`` default.
    - ``passage_min_span_chars`` (30 non-space characters after normalisation): shorter spans are not
      keyed (three one-word lines are not a passage and collide by chance); measured in ``bench/dedup``.
    - ``passage_min_chars`` (100 non-space characters): a document that lost passages and keeps fewer is
      removed with ``passage_dedup_too_short`` (the same floor as ``line_min_chars``).
    """

    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    hash_function: str = "poly64"
    threshold: float = 0.7
    bands: int | None = 20
    rows: int | None = 5
    word_ngram: int = 4
    char_ngram: int = 4
    char_languages: tuple[str, ...] = ("zh", "ja")
    verify: bool = True
    max_bucket_pairs: int = 50
    cc_max_iterations: int = 40
    cc_driver_max_edges: int = 1_000_000
    line_max_repeats: int = 10
    line_min_chars: int = 100
    line_broadcast_limit: int = 2_000_000
    passage_sentences: int = 3
    passage_min_span_chars: int = 30
    passage_min_chars: int = 100

    def __post_init__(self) -> None:
        errors = []
        if self.scheme not in SCHEMES:
            errors.append(f"dedup.scheme={self.scheme!r}: valid values are {list(SCHEMES)}")
        if self.hash_function not in HASH_FUNCTIONS:
            errors.append(f"dedup.hash_function={self.hash_function!r}: valid values are {list(HASH_FUNCTIONS)}")
        if not 2 <= self.num_perm <= 4096:
            errors.append(f"dedup.num_perm={self.num_perm}: must be in [2, 4096]")
        if not 0.0 < self.threshold <= 1.0:
            errors.append(f"dedup.threshold={self.threshold}: must be in (0, 1]")
        if (self.bands is None) != (self.rows is None):
            errors.append("dedup.bands and dedup.rows: give both or neither")
        elif self.bands is not None and (self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm):
            errors.append(f"dedup.bands={self.bands}, dedup.rows={self.rows}: need bands*rows <= num_perm")
        for key in (
            "word_ngram",
            "char_ngram",
            "max_bucket_pairs",
            "cc_max_iterations",
            "line_max_repeats",
            "passage_sentences",
        ):
            if getattr(self, key) < 1:
                errors.append(f"dedup.{key}={getattr(self, key)}: must be >= 1")
        if self.line_min_chars < 0 or self.line_broadcast_limit < 0:
            errors.append("dedup.line_min_chars and dedup.line_broadcast_limit must be >= 0")
        if self.passage_min_span_chars < 0 or self.passage_min_chars < 0:
            errors.append("dedup.passage_min_span_chars and dedup.passage_min_chars must be >= 0")
        if self.cc_driver_max_edges < 0:
            errors.append(
                f"dedup.cc_driver_max_edges={self.cc_driver_max_edges}: must be >= 0 (0: never on the driver)"
            )
        if errors:
            raise ValueError("; ".join(errors))
