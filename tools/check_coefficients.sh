#!/usr/bin/env bash
# Re-runs the coefficient fit and checks that the constants in
# src/approx/exp.rs are exactly the bits it produces.
# Usage: bash tools/check_coefficients.sh   (needs `sollya`; apt-get install sollya)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sollya >/dev/null; then
  echo "check_coefficients: skipped: sollya not installed"
  exit 0
fi
out=$(sollya tools/fit_expm1.sollya 2>&1)
status=0
for k in 2 3 4 5 6; do
  want=$(printf '%s\n' "$out" | awk -v c="C$k" '$1 == c { print tolower($2) }')
  # The source writes the bits as 0x3eff_ffff: strip underscores to compare.
  have=$(grep -E "^const C$k: f32 = f32::from_bits\(" src/approx/exp.rs | sed -E 's/.*from_bits\((0x[0-9a-f_]+)\).*/\1/' | tr -d '_')
  if [[ "$want" == "$have" ]]; then
    echo "C$k $have ok"
  else
    echo "C$k MISMATCH: fit gives '$want', src/approx/exp.rs has '$have'"
    status=1
  fi
done
printf '%s\n' "$out" | grep rel_err
exit $status
