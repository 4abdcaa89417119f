"""Multilingual text utilities for the rule filters: segmentation, stop words, shared statistics."""

from pipeline.text.analysis import TextAnalysis, analyze, clear_analysis_cache, duplicate_stats
from pipeline.text.normalize import count_sentences, nfkc, split_lines, split_paragraphs, strip_punct
from pipeline.text.script import guess_language_from_script, is_cjk_language, normalize_language, resolve_language
from pipeline.text.segment import segmenter_name, split_words
from pipeline.text.stopwords import read_word_list, stop_words

__all__ = [
    "TextAnalysis",
    "analyze",
    "clear_analysis_cache",
    "count_sentences",
    "duplicate_stats",
    "guess_language_from_script",
    "is_cjk_language",
    "nfkc",
    "normalize_language",
    "read_word_list",
    "resolve_language",
    "segmenter_name",
    "split_lines",
    "split_paragraphs",
    "split_words",
    "stop_words",
    "strip_punct",
]
