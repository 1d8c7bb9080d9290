#!/usr/bin/env bash
# The default model (cart) on the four shared tables, seeds 0-2, through the shared harness, next
# to SDV's GaussianCopula and MOSTLY AI's TabularARGN run in the same session.
#   bash benchmarks/bench_default.sh            # everything (about an hour on a busy 2-core box)
#   ONLY=cart bash benchmarks/bench_default.sh  # lookalike only
# Results: benchmarks/results/default_model.jsonl; table: $PY ../shared/bench/table.py FILE
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-~/.cache/lookalike-bench/venv/bin/python}
BENCH=${BENCH:-../shared/bench/bench.py}
DATA=${DATA:-../shared/datasets}
OUT=${OUT:-benchmarks/results/default_model.jsonl}
SEEDS=${SEEDS:-"0 1 2"}
ONLY=${ONLY:-all}
DATASETS=${DATASETS:-"adult diabetes titanic creditcard"}
mkdir -p "$(dirname "$OUT")"
# xgboost/OpenMP threads spin while waiting; on a shared, oversubscribed machine that made one
# C2ST take minutes instead of seconds. Passive waiting changes timings only, not results.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

declare -A TARGET=([adult]=income [diabetes]=Outcome [titanic]=Survived [creditcard]=Class)

for ds in $DATASETS; do
  for seed in $SEEDS; do
    if [[ $ONLY == all || $ONLY == cart ]]; then
      "$PY" "$BENCH" --data "$DATA/$ds.csv" --target "${TARGET[$ds]}" --seed "$seed" \
        --label "lookalike cart (default)" --timeout 600 \
        --system 'cmd:lookalike fit {train} -o {model} --model cart --seed {seed} --quiet' \
        --cmd-sample 'lookalike sample {model} -n {n} -o {out} --seed {seed} --quiet' \
        --out "$OUT"
    fi
    if [[ $ONLY == all || $ONLY == peers ]]; then
      "$PY" "$BENCH" --data "$DATA/$ds.csv" --target "${TARGET[$ds]}" --seed "$seed" \
        --system sdv-gaussiancopula --timeout 600 --out "$OUT"
    fi
  done
done

if [[ $ONLY == all || $ONLY == peers ]]; then  # slow: once, adult, seed 0
  "$PY" "$BENCH" --data "$DATA/adult.csv" --target income --seed 0 \
    --system mostlyai-engine --max-train-minutes 4 --timeout 900 --out "$OUT"
fi
"$PY" ../shared/bench/table.py "$OUT"
