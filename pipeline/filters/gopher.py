"""Gopher's quality and repetition rules (Rae et al. 2021, "Scaling Language Models: Methods,
Analysis & Insights from Training Gopher", appendix A.1.1 and table A1), made multilingual.

Words come from :mod:`pipeline.text` (jieba for Chinese, MeCab for Japanese, whitespace and
punctuation elsewhere), picked by the document's ``language`` column or, when that is empty or
``unknown``, by a script check of the text. Every threshold is a constructor argument; ``None``
turns a rule off.
"""

from __future__ import annotations

from typing import ClassVar

from pipeline.document import Document
from pipeline.params import Param, fraction
from pipeline.step import Filter
from pipeline.text.alpha_tokens import alpha_token_share
from pipeline.text.analysis import TextAnalysis, analyze
from pipeline.text.normalize import count_ellipses, ends_with_ellipsis, is_bullet_line
from pipeline.text.repetition import NgramRepetition, first_top_ngram_over, prefix_sums
from pipeline.text.stopwords import stop_words

# Mean word length bounds (characters) where Gopher's 3..10 cannot apply. Measured with this
# package's segmenters: jieba words of Chinese prose average 1.6-2.2 characters (the project's
# Chinese notes: 1.97-2.21, with embedded English terms), unidic-lite words of a Japanese novel
# 1.6 (Natsume, "Wagahai wa neko de aru"). The lower bound catches character soup that
# segments into single characters; the upper one, text that is mostly long Latin strings.
# Korean whitespace tokens are short because a Hangul block is a whole syllable: an estimate.
CJK_MEAN_WORD_LENGTH = {"zh": [1.3, 4.0], "ja": [1.2, 4.0], "ko": [1.5, 10.0]}
# Languages whose "words" are fixed-size chunks (no segmenter): their mean length is meaningless.
_NO_WORD_LENGTH = ("chunks",)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


class GopherQualityFilter(Filter):
    """Gopher's document quality heuristics.

    Removes a document when (defaults from the Gopher paper, appendix A.1.1):

    * ``gopher_too_few_words`` / ``gopher_too_many_words``: words outside ``min_words`` = 50 ..
      ``max_words`` = 100,000.
    * ``gopher_mean_word_length``: mean word length outside 3 .. 10 characters; per-language
      bounds in ``mean_word_length_by_language`` (default :data:`CJK_MEAN_WORD_LENGTH`, our
      measured adjustment for segmented CJK words); skipped for chunked scripts (Thai, ...).
    * ``gopher_symbol_ratio``: ``#`` per word, or ellipses ("...", "…") per word, above 0.1.
    * ``gopher_bullet_lines``: more than 90 % of lines start with a bullet point.
    * ``gopher_ellipsis_lines``: more than 30 % of lines end with an ellipsis.
    * ``gopher_alpha_words``: fewer than 80 % of whitespace-separated tokens, punctuation-only
      ones included, contain a letter (any script); text without spaces: see
      :func:`alpha_token_share`. The ``|`` borders of extracted table rows and the ``-`` marks of
      list items are not tokens (``count_layout_marks=True`` counts them, as the paper's rule would).
    * ``gopher_stop_words``: fewer than 2 distinct stop words of the document's language. English
      uses the paper's eight (the, be, to, of, and, that, have, with); other languages the lists
      in ``pipeline/text/stopwords/``; languages without a list skip the rule; documents whose
      language is unknown use ``fallback_stop_word_language`` (English, as Gopher was).
    """

    name = "gopher_quality"
    reasons: ClassVar[tuple[str, ...]] = (
        "gopher_too_few_words",
        "gopher_too_many_words",
        "gopher_mean_word_length",
        "gopher_symbol_ratio",
        "gopher_bullet_lines",
        "gopher_ellipsis_lines",
        "gopher_alpha_words",
        "gopher_stop_words",
    )
    params_spec: ClassVar[dict[str, Param]] = {
        "min_words": Param("int", 50, "fewer words removes the document", "words", min=0, nullable=True),
        "max_words": Param("int", 100_000, "more words removes the document", "words", min=1, nullable=True),
        "min_mean_word_length": Param(
            "float", 3.0, "lower bound of the mean word length", "characters", min=0, nullable=True
        ),
        "max_mean_word_length": Param(
            "float", 10.0, "upper bound of the mean word length", "characters", min=0, nullable=True
        ),
        "mean_word_length_by_language": Param(
            "map[list[float]]",
            None,
            "per-language [low, high] mean word length",
            "characters",
            min=0,
            nullable=True,
            null_means="CJK_MEAN_WORD_LENGTH: zh, ja, ko",
        ),
        "max_hash_ratio": Param("float", 0.1, "most '#' per word", "symbols per word", min=0, nullable=True),
        "max_ellipsis_ratio": Param("float", 0.1, "most ellipses per word", "ellipses per word", min=0, nullable=True),
        "max_bullet_lines": fraction(0.9, "largest share of lines starting with a bullet", "fraction of lines"),
        "max_ellipsis_lines": fraction(0.3, "largest share of lines ending with an ellipsis", "fraction of lines"),
        "min_alpha_words": fraction(0.8, "smallest share of whitespace tokens with a letter", "fraction of tokens"),
        "count_layout_marks": Param(
            "bool",
            False,
            "count the '|' borders of extracted table rows and the '-' marks of list items as tokens without a letter",
        ),
        "min_stop_words": Param(
            "int", 2, "fewest distinct stop words of the language", "stop words", min=0, nullable=True
        ),
        "fallback_stop_word_language": Param(
            "str", "en", "stop-word list for documents of unknown language", nullable=True, null_means="rule skipped"
        ),
    }

    def __init__(
        self,
        min_words: int | None = 50,
        max_words: int | None = 100_000,
        min_mean_word_length: float | None = 3.0,
        max_mean_word_length: float | None = 10.0,
        mean_word_length_by_language: dict[str, list[float]] | None = None,
        max_hash_ratio: float | None = 0.1,
        max_ellipsis_ratio: float | None = 0.1,
        max_bullet_lines: float | None = 0.9,
        max_ellipsis_lines: float | None = 0.3,
        min_alpha_words: float | None = 0.8,
        count_layout_marks: bool = False,
        min_stop_words: int | None = 2,
        fallback_stop_word_language: str | None = "en",
    ):
        self.min_words = min_words
        self.max_words = max_words
        self.min_mean_word_length = min_mean_word_length
        self.max_mean_word_length = max_mean_word_length
        bounds = CJK_MEAN_WORD_LENGTH if mean_word_length_by_language is None else mean_word_length_by_language
        self.mean_word_length_by_language = {lang: list(pair) for lang, pair in bounds.items()}
        self.max_hash_ratio = max_hash_ratio
        self.max_ellipsis_ratio = max_ellipsis_ratio
        self.max_bullet_lines = max_bullet_lines
        self.max_ellipsis_lines = max_ellipsis_lines
        self.min_alpha_words = min_alpha_words
        self.count_layout_marks = count_layout_marks
        self.min_stop_words = min_stop_words
        self.fallback_stop_word_language = fallback_stop_word_language

    def check(self, doc: Document):
        a = analyze(doc.get("text"), doc.get("language"))
        return self._word_count(a) or self._word_length(a) or self._symbols(a) or self._lines(a) or self._words(a)

    def _word_count(self, a: TextAnalysis):
        n = len(a.words)
        if self.min_words is not None and n < self.min_words:
            return "gopher_too_few_words", f"words={n} < {self.min_words}"
        if self.max_words is not None and n > self.max_words:
            return "gopher_too_many_words", f"words={n} > {self.max_words}"
        return None

    def _word_length(self, a: TextAnalysis):
        if not a.words or a.segmenter in _NO_WORD_LENGTH:
            return None
        low, high = self.mean_word_length_by_language.get(
            a.language, (self.min_mean_word_length, self.max_mean_word_length)
        )
        mean = a.word_chars / len(a.words)
        if (low is not None and mean < low) or (high is not None and mean > high):
            return "gopher_mean_word_length", f"mean_word_length={mean:.2f} not in [{low}, {high}]"
        return None

    def _symbols(self, a: TextAnalysis):
        n = len(a.words)
        for symbol, count, limit in (
            ("hash", a.text.count("#"), self.max_hash_ratio),
            ("ellipsis", count_ellipses(a.text), self.max_ellipsis_ratio),
        ):
            if limit is not None and _ratio(count, n) > limit:
                return "gopher_symbol_ratio", f"{symbol}_per_word={_ratio(count, n):.3f} > {limit}"
        return None

    def _lines(self, a: TextAnalysis):
        lines = a.lines
        if not lines:
            return None
        bullets = _ratio(sum(map(is_bullet_line, lines)), len(lines))
        if self.max_bullet_lines is not None and bullets > self.max_bullet_lines:
            return "gopher_bullet_lines", f"bullet_lines={bullets:.3f} > {self.max_bullet_lines}"
        ellipsis = _ratio(sum(map(ends_with_ellipsis, lines)), len(lines))
        if self.max_ellipsis_lines is not None and ellipsis > self.max_ellipsis_lines:
            return "gopher_ellipsis_lines", f"ellipsis_lines={ellipsis:.3f} > {self.max_ellipsis_lines}"
        return None

    def _words(self, a: TextAnalysis):
        if self.min_alpha_words is not None and a.words:
            alpha = alpha_token_share(a, self.min_alpha_words, self.count_layout_marks)
            if alpha < self.min_alpha_words:
                return "gopher_alpha_words", f"alpha_words={alpha:.3f} < {self.min_alpha_words}"
        if self.min_stop_words is not None:
            found = self._stop_words_found(a)
            if found is not None and len(found) < self.min_stop_words:
                return "gopher_stop_words", f"stop_words={len(found)} < {self.min_stop_words}"
        return None

    def _stop_words_found(self, a: TextAnalysis) -> frozenset[str] | None:
        """Distinct stop words present, or None when no list applies (the rule is skipped)."""
        if a.language is None and self.fallback_stop_word_language:
            wanted = stop_words(self.fallback_stop_word_language)
            return wanted.intersection(map(str.lower, a.words))
        return a.stop_words_found if a.stop_word_list else None


# Gopher table A1: the most frequent n-gram's character share, and the character share of all
# duplicated n-grams, above which a document is removed.
GOPHER_TOP_NGRAMS = ((2, 0.20), (3, 0.18), (4, 0.16))
GOPHER_DUP_NGRAMS = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))
# Duplicated n-gram limits for Chinese (jieba words), our measurement, not the paper's: over Gopher's
# 5-gram limit are 11.6 % of clean Chinese news and 10.4 % of hand-copied Chinese web main text,
# against 2.7 % of clean English text (WikiText-2, article bodies of the Zyte and wceb pages): jieba
# cuts a repeated name or term into 2-4 short words, so a phrase said twice already fills 5-grams.
# Each limit is the quantile of clean Chinese news (1,000 CCTV articles) at the share of clean English
# over Gopher's limit, rounded and kept falling with n (about 1.65x Gopher's); held-out Chinese web
# text is then over the 5-gram limit in 3.0 %. Those figures are on the whole extracted text, as a
# recipe that runs this filter first (FineWeb's order) sees it. The `fineweb` recipe runs C4's line
# rules and `repeated_lines` first; on the text they leave, Chinese news repeats about as little as
# English (3.2 % over Gopher's 5-gram limit, English 1.5 %; quantiles 0.20 .. 0.11) and these limits
# remove 0.7 % of it. They stay: the quantile limits measured before `repeated_lines` (0.18 .. 0.10)
# would remove one more of the 69 real Chinese pages (`bench/real_pages/line_rules.py`) and 14 more
# of the 1,000 clean news articles (`fairness.py --set`), and ../shared holds no Chinese junk to show
# what they would gain. `bench/filter_stage/fairness.py` measures both texts;
# pass `dup_ngrams_by_language: {}` for the paper's limits in every language.
CJK_DUP_NGRAMS = {"zh": ((5, 0.25), (6, 0.23), (7, 0.21), (8, 0.20), (9, 0.18), (10, 0.17))}


class GopherRepetitionFilter(Filter):
    """Gopher's repetition rules (paper table A1), removing a document when:

    * ``gopher_dup_line_frac``: lines equal to an earlier line / lines > 0.30
    * ``gopher_dup_para_frac``: paragraphs equal to an earlier one / paragraphs > 0.30
    * ``gopher_dup_line_chars``: characters of those duplicate lines / characters of all lines > 0.20
    * ``gopher_dup_para_chars``: the same for paragraphs > 0.20
    * ``gopher_top_{2,3,4}gram``: characters covered by the most frequent word 2/3/4-gram /
      word characters > 0.20 / 0.18 / 0.16
    * ``gopher_dup_{5..10}gram``: characters covered by word n-grams that occur more than once /
      word characters > 0.15, 0.14, 0.13, 0.12, 0.11, 0.10 for n = 5..10; Chinese 0.25 .. 0.17
      (:data:`CJK_DUP_NGRAMS`, measured on clean real text; ``dup_ngrams_by_language``). With
      ``dup_ngram_window`` the shares are measured within consecutive windows of that many words and
      their character-weighted mean is compared (see :func:`ngram_windows`); the default, None, is the
      paper's whole-document share. A long clean text reuses its terms, so its whole-document share
      grows with its length (``bench/filter_stage/ngram_length.py``); the recipes use 500 words.

    Lines are the non-empty stripped lines; paragraphs are separated by blank lines; n-grams are
    over the language's words (see :mod:`pipeline.text.repetition` for how characters are
    counted: each word once however many repeats cover it). Threshold lists are ``[n, max]``
    pairs; n must be 2..4 for the top n-grams and 5..10 for the duplicated ones. A language with an
    entry in ``top_ngrams_by_language`` / ``dup_ngrams_by_language`` uses that list instead of
    ``top_ngrams`` / ``dup_ngrams`` (keys are the ``language`` column's codes).
    """

    name = "gopher_repetition"
    reasons: ClassVar[tuple[str, ...]] = (
        "gopher_dup_line_frac",
        "gopher_dup_para_frac",
        "gopher_dup_line_chars",
        "gopher_dup_para_chars",
        *(f"gopher_top_{n}gram" for n in (2, 3, 4)),
        *(f"gopher_dup_{n}gram" for n in range(5, 11)),
    )
    params_spec: ClassVar[dict[str, Param]] = {
        "max_dup_line_frac": fraction(0.3, "largest share of lines equal to an earlier line", "fraction of lines"),
        "max_dup_para_frac": fraction(0.3, "largest share of duplicated paragraphs", "fraction of paragraphs"),
        "max_dup_line_chars": fraction(0.2, "largest character share of duplicated lines", "fraction of characters"),
        "max_dup_para_chars": fraction(
            0.2, "largest character share of duplicated paragraphs", "fraction of characters"
        ),
        "top_ngrams": Param(
            "list[list[float]]",
            GOPHER_TOP_NGRAMS,
            "[n, max share] of the most frequent word n-gram, n in 2..4",
            "[words, fraction of characters]",
            min=0,
            max=4,
        ),
        "dup_ngrams": Param(
            "list[list[float]]",
            GOPHER_DUP_NGRAMS,
            "[n, max share] of duplicated word n-grams, n in 5..10",
            "[words, fraction of characters]",
            min=0,
            max=10,
        ),
        "top_ngrams_by_language": Param(
            "map[list[list[float]]]",
            None,
            "per-language [n, max share] lists replacing top_ngrams",
            "[words, fraction of characters]",
            min=0,
            max=4,
            nullable=True,
            null_means="none: every language uses top_ngrams",
        ),
        "dup_ngrams_by_language": Param(
            "map[list[list[float]]]",
            None,
            "per-language [n, max share] lists replacing dup_ngrams",
            "[words, fraction of characters]",
            min=0,
            max=10,
            nullable=True,
            null_means="CJK_DUP_NGRAMS: zh",
        ),
        "dup_ngram_window": Param(
            "int",
            None,
            "measure duplicated n-grams within consecutive windows of this many words "
            "(a last window under half this size joins the one before) and compare their "
            "character-weighted mean with the limits",
            "words",
            min=10,
            nullable=True,
            null_means="the whole document, as Gopher does",
        ),
    }

    def __init__(
        self,
        max_dup_line_frac: float | None = 0.3,
        max_dup_para_frac: float | None = 0.3,
        max_dup_line_chars: float | None = 0.2,
        max_dup_para_chars: float | None = 0.2,
        top_ngrams: list[list[float]] | tuple = GOPHER_TOP_NGRAMS,
        dup_ngrams: list[list[float]] | tuple = GOPHER_DUP_NGRAMS,
        top_ngrams_by_language: dict[str, list[list[float]]] | None = None,
        dup_ngrams_by_language: dict[str, list[list[float]]] | None = None,
        dup_ngram_window: int | None = None,
    ):
        if dup_ngram_window is not None and (int(dup_ngram_window) != dup_ngram_window or dup_ngram_window < 10):
            raise ValueError(f"dup_ngram_window: a whole number of words >= 10, or null; got {dup_ngram_window!r}")
        self.dup_ngram_window = None if dup_ngram_window is None else int(dup_ngram_window)
        self.max_dup_line_frac = max_dup_line_frac
        self.max_dup_para_frac = max_dup_para_frac
        self.max_dup_line_chars = max_dup_line_chars
        self.max_dup_para_chars = max_dup_para_chars
        # both sorted by n: the repetition chain is walked from small to large n
        self.top_ngrams = _ngram_limits(top_ngrams, range(2, 5), "top_ngrams")
        self.dup_ngrams = _ngram_limits(dup_ngrams, range(5, 11), "dup_ngrams")
        self.top_ngrams_by_language = {
            lang: _ngram_limits(pairs, range(2, 5), f"top_ngrams_by_language.{lang}")
            for lang, pairs in (top_ngrams_by_language or {}).items()
        }
        dup_by_language = CJK_DUP_NGRAMS if dup_ngrams_by_language is None else dup_ngrams_by_language
        self.dup_ngrams_by_language = {
            lang: _ngram_limits(pairs, range(5, 11), f"dup_ngrams_by_language.{lang}")
            for lang, pairs in dup_by_language.items()
        }

    def check(self, doc: Document):
        a = analyze(doc.get("text"), doc.get("language"))
        return self._blocks(a) or self._ngrams(a)

    def _blocks(self, a: TextAnalysis):
        lines_dup, lines_dup_chars = a.line_duplicates
        paras_dup, paras_dup_chars = a.paragraph_duplicates
        for reason, value, limit in (
            ("gopher_dup_line_frac", _ratio(lines_dup, len(a.lines)), self.max_dup_line_frac),
            ("gopher_dup_para_frac", _ratio(paras_dup, len(a.paragraphs)), self.max_dup_para_frac),
            ("gopher_dup_line_chars", _ratio(lines_dup_chars, a.line_chars), self.max_dup_line_chars),
            ("gopher_dup_para_chars", _ratio(paras_dup_chars, a.paragraph_chars), self.max_dup_para_chars),
        ):
            if limit is not None and value > limit:
                return reason, f"{reason.removeprefix('gopher_')}={value:.3f} > {limit}"
        return None

    def _ngrams(self, a: TextAnalysis):
        if len(a.words) < 2:
            return None
        rep = NgramRepetition(a.words, prefix_sums(a.word_lengths))
        top_ngrams = self.top_ngrams_by_language.get(a.language, self.top_ngrams)
        over = first_top_ngram_over(rep, top_ngrams)
        if over is not None:
            n, share = over
            return f"gopher_top_{n}gram", f"top_{n}gram_chars={share:.3f} > {dict(top_ngrams)[n]}"
        windows = ngram_windows(a, self.dup_ngram_window)
        for n, limit in self.dup_ngrams_by_language.get(a.language, self.dup_ngrams):
            if windows is None:
                share = rep.duplicated_share(n)
            else:
                share = sum(w.duplicated_share(n) * w.total for w in windows) / max(1, rep.total)
            if share > limit:
                return f"gopher_dup_{n}gram", f"dup_{n}gram_chars={share:.3f} > {limit}"
        return None


def ngram_windows(a: TextAnalysis, size: int | None) -> list[NgramRepetition] | None:
    """The text's words cut into consecutive windows of ``size`` words, the last one joining the
    window before when it is under half that size; None when there is one window only."""
    words, lengths = a.words, a.word_lengths
    if size is None or len(words) < size + size // 2:
        return None
    bounds = list(range(0, len(words), size))
    if len(words) - bounds[-1] < size // 2:
        bounds.pop()
    bounds.append(len(words))
    return [NgramRepetition(words[lo:hi], prefix_sums(lengths[lo:hi])) for lo, hi in zip(bounds, bounds[1:])]


def _ngram_limits(pairs, allowed: range, key: str) -> list[list]:
    """Validate ``[[n, max_share], ...]``: each n in ``allowed`` (its reason code is declared)."""
    out = []
    for n, limit in pairs:
        if int(n) != n or int(n) not in allowed:
            raise ValueError(f"{key}: n={n!r} not allowed; valid: {allowed.start}..{allowed.stop - 1}")
        if not 0 <= float(limit) <= 1:
            raise ValueError(f"{key}: share for n={n} must be within 0..1, got {limit!r}")
        out.append([int(n), float(limit)])
    return sorted(out)
