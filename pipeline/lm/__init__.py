"""Model training and scoring helpers shared by the model-based annotators and the ``corpus`` tools.

- ``normalize``: the text normalisation applied identically at training and at scoring time.
- ``units``: the token units (words, CJK characters, jieba/MeCab words) both models read.
- ``tokenize``: the LM tokeniser (a unit, or a sentencepiece model trained on the reference text).
- ``metrics``: held-out precision / recall and ROC AUC.
- ``kenlm_train``: ``train_kenlm`` runs lmplz + build_binary (tools built by ``scripts/build_kenlm.sh``).
- ``scoring``: the per-language model bundle and the cc_net document perplexity formula.
- ``cutoffs``: per-language percentile cut-offs for head / middle / tail buckets.
- ``quality``: ``train_quality_classifier``, a quantised fastText reference-vs-crawl classifier for every language.
- ``sources``: reading training examples from .txt (lines or docs) / .jsonl / .parquet files.
"""
