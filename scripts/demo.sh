#!/usr/bin/env bash
# `make demo`: generate a sample crawl, train the model filters on its reference part, run every stage.
# Each command below is one a user would type; together they show the whole flow.
set -euo pipefail
OUT=${1:-demo-output}
PAGES=${2:-400}
CORPUS=${CORPUS:-.venv/bin/corpus}
started=$(date +%s)

step() { printf '\n=== %s\n' "$*"; }

step "1. sample crawl ($PAGES pages, real WARC.gz + ground truth)"
"$CORPUS" make-sample --pages "$PAGES" --out "$OUT/sample" --pages-per-file 100

step "2. extract + rule filters + PII + dedup (Spark, local mode)"
"$CORPUS" run --input "$OUT/sample/warc/*.warc.gz" --output "$OUT/run" --recipe fineweb

step "3. train model filters: KenLM per language on the reference text, fastText quality classifier"
"$CORPUS" train-lm --reference "$OUT/sample/reference" --out "$OUT/models/lm" --order 4
"$CORPUS" lm-cutoffs --models "$OUT/models/lm" --input "$OUT/run/filter" --out "$OUT/models/lm/cutoffs.json"
"$CORPUS" train-quality --positive "$OUT/sample/reference" --negative "$OUT/run/extract" --out "$OUT/models/quality.ftz"

step "4. re-run with the model filters added (extraction is reused: same config, same inputs)"
langs=$(ls "$OUT/models/lm" | sed -n 's/\.binary$//p' | tr '\n' ' ')
{
  echo "name: fineweb_models"
  echo "description: the fineweb recipe plus KenLM perplexity and the fastText quality classifier"
  echo "partition_by: [status, language]"
  echo "steps:"
  sed -n '/^steps:/,$p' pipeline/recipes/fineweb.yaml | tail -n +2 | grep -v pii_redactor
  echo "  - step: perplexity"
  echo "    params:"
  echo "      cutoffs: $OUT/models/lm/cutoffs.json"
  echo "      models:"
  for l in $langs; do echo "        $l: $OUT/models/lm"; done
  echo "  - step: quality_classifier"
  echo "    params: {model: $OUT/models/quality.ftz}"
  echo "  - step: quality_filter"
  echo "    params: {min_score: 0.02}"
  echo "  - step: pii_redactor"
} > "$OUT/recipe_with_models.yaml"
"$CORPUS" run --input "$OUT/sample/warc/*.warc.gz" --output "$OUT/run" --recipe "$OUT/recipe_with_models.yaml"

step "5. what was kept and removed, and why"
"$CORPUS" stats "$OUT/run"
echo
step "6. kept documents per language at every stage (and steps that remove one language far more)"
"$CORPUS" stats "$OUT/run" --by-language
echo
echo "demo finished in $(( $(date +%s) - started )) s; outputs in $OUT/ (inspect with: corpus stats $OUT/run)"
