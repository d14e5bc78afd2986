#!/usr/bin/env bash
# CI fuzz smoke run: every cargo-fuzz target for FUZZ_SECONDS (default 30) each.
#
# - Nightly present: `cargo +nightly fuzz run` with the default sanitizer (ASan).
#   Otherwise: stable `cargo fuzz run --sanitizer none`.
# - New inputs go to a scratch corpus (a temp dir, deleted afterwards); the
#   checked-in fuzz/corpus/<target>/ is only read, so it grows only deliberately.
# - Any crash, panic (contract violation), leak, timeout or OOM fails the
#   script (exit 1) after all targets ran; the reproducer is left in
#   fuzz/artifacts/<target>/.
# - Skips (exit 0, with the reason) when fuzzing cannot run here: no cargo,
#   cargo-fuzz not installable, no C++ compiler for libFuzzer, unsupported
#   platform. Set FUZZ_REQUIRED=1 to turn skips into failures.
#
# Environment: FUZZ_SECONDS (per target), FUZZ_TARGETS (space-separated
# subset), FUZZ_REQUIRED, FUZZ_TOOLCHAIN (force "nightly" or "stable").
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

seconds="${FUZZ_SECONDS:-30}"

skip() {
    echo "fuzz: SKIP: $*"
    if [[ "${FUZZ_REQUIRED:-0}" == 1 ]]; then
        echo "fuzz: FUZZ_REQUIRED=1, so this is a failure"
        exit 1
    fi
    exit 0
}

command -v cargo >/dev/null 2>&1 || skip "cargo not found on PATH"

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64 | Linux-aarch64 | Darwin-x86_64 | Darwin-arm64) ;;
    *) skip "libFuzzer is not supported on $(uname -s)-$(uname -m)" ;;
esac

if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 &&
    ! command -v clang++ >/dev/null 2>&1; then
    skip "no C++ compiler (c++/g++/clang++): libfuzzer-sys cannot build libFuzzer"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz not installed; running: cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked || skip "cargo install cargo-fuzz failed (offline?)"
fi
echo "fuzz: $(cargo fuzz --version)"

# Toolchain and sanitizer.
toolchain="${FUZZ_TOOLCHAIN:-}"
if [[ -z "$toolchain" ]]; then
    if cargo +nightly --version >/dev/null 2>&1; then
        toolchain=nightly
    else
        toolchain=stable
        echo "fuzz: no nightly toolchain; using stable with --sanitizer none (no ASan)"
    fi
fi
if [[ "$toolchain" == nightly ]]; then
    cargo_cmd=(cargo +nightly fuzz)
    sanitizer=() # default: address
    echo "fuzz: nightly ($(cargo +nightly --version)), AddressSanitizer"
else
    cargo_cmd=(cargo fuzz)
    sanitizer=(--sanitizer none)
    echo "fuzz: stable ($(cargo --version)), no sanitizer"
fi

if [[ -n "${FUZZ_TARGETS:-}" ]]; then
    read -r -a targets <<<"$FUZZ_TARGETS"
else
    all="$("${cargo_cmd[@]}" list)" # fails the script if cargo-fuzz cannot list
    read -r -d '' -a targets <<<"$all" || true
fi
[[ ${#targets[@]} -gt 0 ]] || {
    echo "fuzz: FAIL: no fuzz targets found"
    exit 1
}

# Build everything first: a build error is a failure, not a finding.
"${cargo_cmd[@]}" build "${sanitizer[@]}"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-scratch.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

failed=()
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t" "corpus/$t"
    echo "fuzz: === $t: ${seconds}s, scratch corpus $scratch/$t, reading corpus/$t ==="
    log="$scratch/$t.log"
    # The first corpus directory is where libFuzzer writes new inputs; the
    # others are only read.
    if "${cargo_cmd[@]}" run "${sanitizer[@]}" "$t" "$scratch/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
        grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
        echo "fuzz: $t OK"
    else
        tail -n 60 "$log"
        echo "fuzz: FAIL: $t (reproducer, if any, in fuzz/artifacts/$t/; replay with:"
        echo "      cd fuzz && ${cargo_cmd[*]} run ${sanitizer[*]} $t artifacts/$t/<file>)"
        failed+=("$t")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: FAILED targets: ${failed[*]}"
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed (${seconds}s each, $toolchain)"
