#!/usr/bin/env bash
# Create a separate virtualenv with HuggingFace datatrove for the head-to-head
# benchmark in bench/compare_datatrove/. It must never be installed into the
# project's own .venv (datatrove pins trafilatura<1.12 and lxml<6, the project uses 2.x and 6.x;
# here its pin is overridden so that both sides extract with the same trafilatura).
#
#   bash scripts/setup_datatrove.sh          # creates $REPO/.venv-datatrove
#   FORCE=1 bash scripts/setup_datatrove.sh  # recreate from scratch
#
# Only PyPI is needed. Nothing is downloaded at run time: the bench script
# loads fastText lid.176 from a local file and the English word tokenizer
# datatrove uses (spaCy "blank" English) needs no model data.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv-datatrove"
PY="${PYTHON:-python3.11}"

# Top-level pins. datatrove 0.10.1's "processing"/"io" extras are not used
# wholesale (they pull nltk, inscriptis, tldextract, datasets, pyarrow, ...);
# only what the FineWeb-style pipeline in datatrove_side.py needs is installed.
# The full resolved set is written to $VENV/pip-freeze.txt.
PKGS=(
  "datatrove==0.10.1"
  # extractor: datatrove 0.10.1 requires trafilatura>=1.8,<1.12
  "trafilatura==1.11.0"
  "lxml==5.3.2"
  "lxml_html_clean==0.4.3"
  "justext==3.0.2"
  "htmldate==1.9.3"
  "courlan==1.3.2"
  # the second extractor of the comparison (run.py --engine resiliparse), as in the project's lock
  "resiliparse==2.0.1"
  # language id: fastText built for numpy 2 (plain fasttext 0.9.3 fails on predict with numpy 2).
  # It must be this distribution: LanguageFilter checks that the *distribution*
  # fasttext-numpy2-wheel is installed, and refuses fasttext-numpy2 (same module name).
  "fasttext-numpy2-wheel==0.9.2"
  "numpy==2.4.6"
  # WarcReader
  "warcio==1.8.1"
  "faust-cchardet==2.1.19"
  "python-magic==0.4.27"
  # filters / dedup / io
  "xxhash==3.6.0"
  "regex==2026.11.15"
  "fasteners==0.20"
  "orjson==3.13.0"
  # datatrove.pipeline.dedup/__init__ imports the exact-substring blocks, which import tokenizers
  "tokenizers==0.23.3"
  # English word/sentence tokenizer used by the Gopher/C4/FineWeb filters and MinHash
  # (datatrove maps "en" to SpaCyTokenizer -> spacy.blank("en") + sentencizer; no model download)
  "spacy==3.8.18"
)

# Installed after PKGS with --no-deps (the versions of the project's requirements.lock).
EQUAL_EXTRACTOR=(
  "trafilatura==2.3.1"
  "lxml==6.1.3"
  "lxml_html_clean==0.4.6"
  "htmldate==1.11.0"
  "courlan==1.4.0"
)

ok() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - <<'PY' >/dev/null 2>&1
import datatrove, trafilatura, resiliparse, fasttext, warcio, xxhash, spacy, cchardet, magic, orjson
import datatrove.pipeline.dedup, datatrove.pipeline.filters, datatrove.pipeline.extractors
import datatrove.pipeline.readers, datatrove.pipeline.writers, datatrove.executor
from importlib.metadata import version
assert version("datatrove") == "0.10.1"
assert version("trafilatura") == "2.3.1"
assert version("fasttext-numpy2-wheel") == "0.9.2"  # LanguageFilter checks this distribution
spacy.blank("en")
PY
}

if [ "${FORCE:-0}" != "1" ] && ok; then
  echo "datatrove venv already set up at $VENV"
  exit 0
fi

rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet "${PKGS[@]}"
# Equal settings: the comparison runs both sides on the project's trafilatura (2.3.1, see
# requirements.lock), not datatrove's pin, so that extraction speed and text are the same library.
# datatrove only calls trafilatura.extract(); pip reports the pin conflict, which is expected.
"$VENV/bin/python" -m pip install --quiet --no-deps "${EQUAL_EXTRACTOR[@]}"
"$VENV/bin/python" -m pip freeze > "$VENV/pip-freeze.txt"

if ! ok; then
  echo "datatrove venv at $VENV failed its import check" >&2
  exit 1
fi
echo "datatrove venv ready: $VENV ($("$VENV/bin/python" -c 'import datatrove, importlib.metadata as m; print("datatrove", m.version("datatrove"))'))"
