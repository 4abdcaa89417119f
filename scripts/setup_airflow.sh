#!/usr/bin/env bash
# Creates .venv-airflow: Airflow 3 and the Spark provider, kept apart from the pipeline's .venv.
#
# Why a second venv: the Spark provider depends on `pyspark-client`, whose files overwrite the
# pipeline's pyspark 4.3 in place. Airflow only needs to *launch* spark-submit; the jobs run with
# the pipeline's interpreter (PYSPARK_PYTHON) and its spark-submit (the operator's spark_binary).
#
# Pins: airflow_dags/requirements.lock is a full `pip freeze` of a working install, used as a pip
# constraints file, so every install resolves to the same versions from PyPI alone (no constraint
# URLs). Regenerate it with: scripts/setup_airflow.sh --relock
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
VENV=${AIRFLOW_VENV:-.venv-airflow}
LOCK=airflow_dags/requirements.lock
AIRFLOW_PINS=(apache-airflow==3.3.2 apache-airflow-providers-apache-spark==6.3.4)

test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip==25.3
if [[ "${1:-}" == "--relock" || ! -f "$LOCK" ]]; then
  "$VENV/bin/python" -m pip install --quiet "${AIRFLOW_PINS[@]}"
  { echo "# pip freeze of .venv-airflow (scripts/setup_airflow.sh --relock); used as constraints"
    "$VENV/bin/python" -m pip freeze --exclude-editable | grep -v '^pip=='; } > "$LOCK"
else
  "$VENV/bin/python" -m pip install --quiet -c "$LOCK" "${AIRFLOW_PINS[@]}"
fi
"$VENV/bin/airflow" version
touch "$VENV/.installed"
