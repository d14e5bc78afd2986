#!/usr/bin/env bash
# Re-runs the coefficient fits and checks that the constants in the
# source are exactly the bits they produce:
#   tools/fit_expm1.sollya          -> C2..C6 in src/approx/exp.rs (expm1_pair: sigmoid, tanh, softmax, SiLU, ...)
#   tools/fit_expm1_precise.sollya  -> D3..D7 in src/approx/exp.rs (expm1_pair_precise: ELU, SELU)
#   tools/fit_log1p.sollya          -> R0..R4 in src/softplus.rs
#   tools/fit_exp_f64.sollya        -> W2..W6 in src/approx/wide64.rs (the f64 routes' e^z)
#   tools/fit_expm1_f64.sollya      -> M2..M7 in src/approx/wide64.rs (the f64 routes' e^z - 1: ELU, SELU)
#   tools/fit_gelu.sollya           -> the tables G (44 floats) and B (10) in src/gelu_erf.rs
# Usage: bash tools/check_coefficients.sh   (needs `sollya`; apt-get install sollya)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sollya >/dev/null; then
  echo "check_coefficients: skipped: sollya not installed"
  exit 0
fi
status=0
# check FIT PREFIX FIRST LAST SOURCE
check() {
  local out want have k
  out=$(sollya "$1" 2>&1)
  for k in $(seq "$3" "$4"); do
    want=$(printf '%s\n' "$out" | awk -v c="$2$k" '$1 == c { print tolower($2) }')
    # The source writes the bits as 0x3eff_ffff: strip underscores to compare.
    have=$(grep -E "^const $2$k: f(32|64) = f(32|64)::from_bits\(" "$5" | sed -E 's/.*from_bits\((0x[0-9a-f_]+)\).*/\1/' | tr -d '_')
    if [[ -n "$want" && "$want" == "$have" ]]; then
      echo "$2$k $have ok"
    else
      echo "$2$k MISMATCH: $1 gives '$want', $5 has '$have'"
      status=1
    fi
  done
  printf '%s\n' "$out" | grep rel_err
}
check tools/fit_expm1.sollya C 2 6 src/approx/exp.rs
check tools/fit_expm1_precise.sollya D 3 7 src/approx/exp.rs
check tools/fit_log1p.sollya R 0 4 src/softplus.rs
check tools/fit_exp_f64.sollya W 2 6 src/approx/wide64.rs
check tools/fit_expm1_f64.sollya M 2 7 src/approx/wide64.rs

# The GELU tables: every "G k j 0xBITS" (resp. "T j 0xBITS") line, in
# order, against the hex literals between `const G` (resp. `const B`) and
# its closing `];` in src/gelu_erf.rs.
out=$(sollya tools/fit_gelu.sollya 2>&1)
# table NAME FIELD START_PATTERN
table() {
  local want have
  want=$(printf '%s\n' "$out" | awk -v n="$1" -v f="$2" '$1 == n { print tolower($f) }')
  have=$(sed -n "/^$3/,/^\];/p" src/gelu_erf.rs | grep -oE '0x[0-9a-f_]+' | tr -d '_')
  if [[ -n "$want" && "$want" == "$have" ]]; then
    echo "$1 $(printf '%s\n' "$want" | wc -l) floats ok"
  else
    echo "$1 MISMATCH: tools/fit_gelu.sollya and src/gelu_erf.rs differ:"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$have") || true
    status=1
  fi
}
table G 4 'const G: \[\[u32; 11\]; 4\] = \['
table T 3 'const B: \[u32; 10\] = \['
printf '%s\n' "$out" | grep rel_err
exit $status
