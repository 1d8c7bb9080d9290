#!/usr/bin/env bash
# Neural models on adult through the shared harness: SDV CTGAN/TVAE vs ours with the same epochs and
# batch size (back to back, so both see the same machine load), then our defaults.
#
#   bash benchmarks/bench_neural.sh epochs   # per-epoch comparison (CTGAN_EPOCHS, TVAE_EPOCHS)
#   bash benchmarks/bench_neural.sh defaults # our defaults (quality within the fit budget)
#   bash benchmarks/bench_neural.sh gans     # gan (10 epochs) and wgan-gp (5 epochs), short runs
#   SEEDS="0 1 2" bash benchmarks/bench_neural.sh ctgan  # ctgan defaults, then mode-specific
#                                                        # normalisation (-p normalization=mode)
#   python ../shared/bench/table.py benchmarks/results/neural-adult.jsonl
#
# Torch runs on one thread in every child (OMP_NUM_THREADS=1; lookalike's default): on a shared
# 2-core machine two threads made both libraries several times slower.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-~/.cache/lookalike-bench/venv/bin/python}
BENCH=${BENCH:-../shared/bench/bench.py}
DATA=${DATA:-../shared/datasets/adult.csv}
OUT=${OUT:-benchmarks/results/neural-adult.jsonl}
SEEDS=${SEEDS:-0}
CTGAN_EPOCHS=${CTGAN_EPOCHS:-5}
TVAE_EPOCHS=${TVAE_EPOCHS:-20}
TIMEOUT=${TIMEOUT:-900}
export OMP_NUM_THREADS=1 LOOKALIKE_TORCH_THREADS=1
mkdir -p "$(dirname "$OUT")"

ours() {  # ours MODEL LABEL SEED [EPOCHS] [EXTRA FIT FLAGS]
  local epochs_flag=""
  [[ -n "${4:-}" ]] && epochs_flag="--epochs $4"
  $PY "$BENCH" --data "$DATA" --target income --seed "$3" --timeout "$TIMEOUT" --out "$OUT" \
    --label "$2" --system "cmd:lookalike fit {train} -o {model} --model $1 --seed {seed} $epochs_flag ${5:-} --quiet" \
    --cmd-sample "lookalike sample {model} -n {n} -o {out} --seed {seed}"
}
peer() {  # peer SYSTEM SEED EPOCHS
  $PY "$BENCH" --data "$DATA" --target income --seed "$2" --timeout "$TIMEOUT" --out "$OUT" \
    --system "$1" --epochs "$3" --label "$1-e$3"
}

case "${1:-epochs}" in
  epochs)
    for seed in $SEEDS; do
      peer sdv-ctgan "$seed" "$CTGAN_EPOCHS"
      ours ctgan "lookalike-ctgan-e$CTGAN_EPOCHS" "$seed" "$CTGAN_EPOCHS"
      peer sdv-tvae "$seed" "$TVAE_EPOCHS"
      ours tvae "lookalike-tvae-e$TVAE_EPOCHS" "$seed" "$TVAE_EPOCHS"
    done ;;
  defaults)
    for seed in $SEEDS; do
      for model in tvae ctgan; do
        ours "$model" "lookalike-$model-default" "$seed"
      done
    done ;;
  gans)
    for seed in $SEEDS; do
      ours gan "lookalike-gan-e10" "$seed" 10
      ours wgan-gp "lookalike-wgan-gp-e5" "$seed" 5
    done ;;
  ctgan)
    for seed in $SEEDS; do
      ours ctgan "lookalike-ctgan-default" "$seed"
    done
    for seed in $SEEDS; do
      ours ctgan "lookalike-ctgan-mode" "$seed" "" "-p normalization=mode"
    done ;;
  *) echo "usage: $0 epochs|defaults|gans|ctgan" >&2; exit 2 ;;
esac
