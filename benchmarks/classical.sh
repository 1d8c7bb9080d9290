#!/usr/bin/env bash
# Classical models (issue 5) next to SDV's GaussianCopula (and CTGAN at few epochs), one run at a
# time, through the shared harness. Usage: bash benchmarks/classical.sh [OUT.jsonl] [DATASETS...]
# LOOKALIKE overrides the lookalike command (default: `lookalike` on PATH).
set -euo pipefail
PY=${PY:-~/.cache/lookalike-bench/venv/bin/python}
BENCH=${BENCH:-../shared/bench/bench.py}
OUT=${1:-benchmarks/classical.jsonl}
shift || true
DATASETS=${*:-adult creditcard}
LK=${LOOKALIKE:-lookalike}
declare -A TARGET=([adult]=income [creditcard]=Class [diabetes]=Outcome [titanic]=Survived)
for ds in $DATASETS; do
  common=(--data "../shared/datasets/$ds.csv" --target "${TARGET[$ds]}" --seed 0 --timeout 900
          --out "$OUT")
  "$PY" "$BENCH" "${common[@]}" --system sdv-gaussiancopula
  for model in bayesnet kde noise smote; do
    "$PY" "$BENCH" "${common[@]}" --label "lookalike-$model" \
      --system "cmd:$LK fit {train} -o {model} --model $model --seed {seed} --quiet" \
      --cmd-sample "$LK sample {model} -n {n} -o {out} --seed {seed} --quiet"
  done
  if [[ -n "${CTGAN_EPOCHS:-}" ]]; then
    "$PY" "$BENCH" "${common[@]}" --system sdv-ctgan --epochs "$CTGAN_EPOCHS"
  fi
done
"$PY" ../shared/bench/table.py "$OUT"
