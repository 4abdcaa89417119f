#!/usr/bin/env bash
# Packs a virtual environment for spark-submit --archives: scripts/pack_env.sh VENV ARCHIVE
# venv-pack writes through a private temporary file (mode 0600); the cluster's account (YARN, a
# Spark service user, an object-store reader) must be able to read the archive, so it is made 0644.
set -euo pipefail
venv=$1
archive=$2
"$(dirname "$0")/../.venv/bin/venv-pack" --quiet --compress-level 1 -p "$venv" -o "$archive" --force
chmod 0644 "$archive"
