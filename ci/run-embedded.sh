#!/usr/bin/env bash
# Embedded checks for `activations`. Run from anywhere (usually the repository
# root): `bash ci/run-embedded.sh`.
#
#  1. no_std proof: ci/nostd (a #![no_std] staticlib with its own panic
#     handler) builds for the host; std leaking in would fail with E0152.
#  2. Cortex-M4F under QEMU: ci/cortex-m4 runs every public kernel on fixed
#     and random inputs, at opt-level 3, "s" and 0 (debug assertions on), and
#     fails on any failed check. A self-check shows that an injected failure
#     does make the run exit non-zero.
#  3. No-panic check: ci/cortex-m4-min calls every public kernel with opaque
#     inputs and lengths; the linked ELF, built with each profile in
#     NOPANIC_PROFILES, must contain no panic symbol (core::panicking::*,
#     rust_begin_unwind, *_fail, ...). On failure the call chain from each
#     panic symbol up to the kernel is printed.
#  4. Code size: the flash (text) each kernel adds to the minimal firmware, at
#     opt-level 3 and "s" (fat LTO).
#
# What it needs, it installs: the rustup target, and (only if the command is
# missing) Debian's qemu-system-arm and binutils-arm-none-eabi. Where that is
# impossible it prints "skipped: <reason>" for the steps that need them.
#
# Environment:
#   NOPANIC_PROFILES  profiles of ci/cortex-m4-min/Cargo.toml checked for panics
#                     (default: all six)
#   RUN_PROFILES      profiles ci/cortex-m4 is run with (default: release release-s dev)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET=thumbv7em-none-eabihf
TDIR="$ROOT/target"
KERNELS=(sigmoid sigmoid_in_place sigmoid_fast sigmoid_fast_in_place tanh_fast tanh_fast_in_place silu silu_in_place gelu_tanh gelu_tanh_in_place gelu gelu_in_place mish mish_in_place softplus softplus_in_place elu elu_in_place selu selu_in_place
    hard_sigmoid hard_sigmoid_in_place hard_swish hard_swish_in_place tanh tanh_in_place relu relu_in_place
    leaky_relu leaky_relu_in_place softmax softmax_in_place softmax_rows
    softmax_rows_in_place sigmoid_backward sigmoid_backward_in_place tanh_backward
    tanh_backward_in_place relu_backward relu_backward_in_place leaky_relu_backward
    leaky_relu_backward_in_place log_softmax log_softmax_in_place log_softmax_rows
    log_softmax_rows_in_place softmax_backward softmax_backward_in_place softmax_backward_rows
    softmax_backward_rows_in_place log_softmax_backward log_softmax_backward_in_place
    log_softmax_backward_rows log_softmax_backward_rows_in_place silu_backward silu_backward_in_place softplus_backward
    softplus_backward_in_place elu_backward elu_backward_in_place selu_backward
    selu_backward_in_place gelu_tanh_backward gelu_tanh_backward_in_place gelu_backward
    gelu_backward_in_place)
NOPANIC_PROFILES="${NOPANIC_PROFILES:-release release-s release-z nolto-3 nolto-s nolto-z}"
RUN_PROFILES="${RUN_PROFILES:-release release-s dev}"
# Symbols that only exist when a panic is reachable.
PANIC_RE='panic|rust_begin_unwind|_fail|unwrap_failed|expect_failed|assert_failed'

step() { echo; echo "=== $* (t=${SECONDS}s)"; }
skipped() { echo "skipped: $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=""
# apt_install PKG...: installs Debian packages; returns non-zero if it cannot.
apt_install() {
    have apt-get || return 1
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        have sudo || return 1
        sudo=(sudo -n)
    fi
    if [ -z "$APT_UPDATED" ]; then
        "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        --no-install-recommends "$@" >/dev/null 2>&1
}

# first_tool NAME...: prints the first command found (also llvm-*-NN and rustup's llvm-tools).
first_tool() {
    local name c
    for name in "$@"; do
        if have "$name"; then echo "$name"; return 0; fi
        for c in /usr/bin/"$name"-[0-9]* "$(rustc --print sysroot 2>/dev/null)"/lib/rustlib/*/bin/"$name"; do
            if [ -x "$c" ]; then echo "$c"; return 0; fi
        done
    done
    return 1
}

# ------------------------------------------------------------------ 1
step "no_std proof: ci/nostd for the host"
(cd ci/nostd && CARGO_TARGET_DIR="$TDIR/ci-nostd" cargo build --release)
echo "ok: activations builds without std (no duplicate panic_impl)"

# ------------------------------------------------------------------ setup
step "setup: $TARGET, qemu-system-arm, binutils"
if ! have rustup; then
    skipped "rustup not found, cannot add the $TARGET target: no embedded checks"
    exit 0
fi
if ! rustup target list --installed | grep -x "$TARGET" >/dev/null; then
    if ! rustup target add "$TARGET"; then
        skipped "rustup target add $TARGET failed: no embedded checks"
        exit 0
    fi
fi
if ! have qemu-system-arm; then
    apt_install qemu-system-arm || true
fi
QEMU_SKIP=""
if ! have qemu-system-arm; then
    QEMU_SKIP="qemu-system-arm is missing and apt-get could not install it"
fi
if ! have arm-none-eabi-nm || ! have arm-none-eabi-size || ! have arm-none-eabi-objdump; then
    apt_install binutils-arm-none-eabi || true
fi
NM="$(first_tool arm-none-eabi-nm llvm-nm || true)"
SIZE="$(first_tool arm-none-eabi-size llvm-size || true)"
OBJDUMP="$(first_tool arm-none-eabi-objdump || true)"
echo "qemu: $(if [ -z "$QEMU_SKIP" ]; then qemu-system-arm --version | head -n1; else echo missing; fi)"
echo "nm: ${NM:-missing}; size: ${SIZE:-missing}; objdump: ${OBJDUMP:-missing}"

# ------------------------------------------------------------------ 2
export CARGO_TARGET_DIR="$TDIR/ci-cortex-m4"
for profile in $RUN_PROFILES; do
    step "Cortex-M4F kernels under QEMU: ci/cortex-m4, profile $profile"
    if [ -n "$QEMU_SKIP" ]; then
        (cd ci/cortex-m4 && cargo build --profile "$profile")
        skipped "running the firmware ($QEMU_SKIP); it was only built"
        continue
    fi
    start=$SECONDS
    (cd ci/cortex-m4 && cargo run --profile "$profile")
    echo "ok: profile $profile passed ($((SECONDS - start))s with the build)"
done

step "harness self-check: an injected failure must make the run exit non-zero"
if [ -n "$QEMU_SKIP" ]; then
    skipped "$QEMU_SKIP"
else
    log="$TDIR/ci-cortex-m4/inject-failure.log"
    status=0
    (cd ci/cortex-m4 && cargo run --release --features inject-failure) >"$log" 2>&1 || status=$?
    if [ "$status" != 1 ] || ! grep -q "FAIL injected failure" "$log"; then
        cat "$log"
        echo "error: the injected failure gave exit status $status, want 1" >&2
        exit 1
    fi
    echo "ok: the injected failure was reported and the run exited with status 1"
fi
unset CARGO_TARGET_DIR

# ------------------------------------------------------------------ 3
MIN_DIR="$TDIR/ci-cortex-m4-min"
elf() { echo "$MIN_DIR/$TARGET/$1/activations-cortex-m4-min"; }

# panic_chains ELF: for each chain of calls from a function of `activations`
# down to a panic symbol, prints "caller -> ... -> panic symbol".
panic_chains() {
    local elf="$1"
    if [ -z "$OBJDUMP" ]; then
        echo "  (arm-none-eabi-objdump not available: no call chains)"
        return
    fi
    # Call graph edges "callee<TAB>caller" from bl/b instructions aimed at a
    # function's start (targets with +0x offsets are jumps inside a function).
    "$OBJDUMP" -d -C --no-show-raw-insn "$elf" | awk '
        /^[0-9a-f]+ <.*>:$/ { f = substr($0, index($0, "<") + 1); sub(/>:$/, "", f); next }
        f != "" && $2 ~ /^b/ && $0 ~ /<.*>[[:space:]]*$/ {
            t = substr($0, index($0, "<") + 1); sub(/>[[:space:]]*$/, "", t)
            if (t !~ /\+0x[0-9a-f]+$/ && t != f) print t "\t" f
        }' | sort -u >"$MIN_DIR/edges.tsv"
    "$NM" -C "$elf" | grep -iE "$PANIC_RE" | sed -E 's/^[0-9a-f]+ [a-zA-Z] //' >"$MIN_DIR/panic-symbols.txt"
    # Breadth-first from the panic symbols up the callers, not through other
    # panic symbols, stopping at the first function of `activations`.
    awk -F'\t' -v re="$PANIC_RE" '
        FNR == NR { q[++n] = $0; seen[$0] = 1; par[$0] = ""; next }
        { up[$1] = up[$1] "\n" $2 }
        END {
            for (i = 1; i <= n; i++) {
                c = q[i]; k = split(up[c], ps, "\n")
                for (j = 2; j <= k; j++) {
                    p = ps[j]
                    if (p in seen || tolower(p) ~ re) continue
                    seen[p] = 1; par[p] = c
                    if (p ~ /^<?activations::/) {
                        chain = p
                        for (x = c; x != ""; x = par[x]) chain = chain "  ->  " x
                        print "  " chain; found = 1
                    } else q[++n] = p
                }
            }
            if (!found) {
                print "  no function of activations on the way; direct callers:"
                for (s in up) if (tolower(s) ~ re) {
                    k = split(up[s], ps, "\n")
                    for (j = 2; j <= k; j++) if (tolower(ps[j]) !~ re) print "    " ps[j] "  ->  " s
                }
            }
        }' "$MIN_DIR/panic-symbols.txt" "$MIN_DIR/edges.tsv"
    sed 's/^/  symbol: /' "$MIN_DIR/panic-symbols.txt"
}

step "no-panic check: ci/cortex-m4-min --features all, profiles: $NOPANIC_PROFILES"
nopanic_failed=()
if [ -z "$NM" ]; then
    skipped "no nm for ARM ELF files (arm-none-eabi-nm or llvm-nm): no symbol check"
    for profile in $NOPANIC_PROFILES; do
        (cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo build --profile "$profile" --features all)
    done
else
    for profile in $NOPANIC_PROFILES; do
        (cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo build -q --profile "$profile" --features all)
        found="$("$NM" "$(elf "$profile")" | grep -iE "$PANIC_RE" || true)"
        if [ -z "$found" ]; then
            echo "ok: $profile: no panic symbol in the linked firmware"
        else
            echo "FAIL: $profile: panic symbols in the linked firmware:"
            panic_chains "$(elf "$profile")"
            nopanic_failed+=("$profile")
        fi
    done
    # The check itself: a deliberate out-of-bounds index must be caught.
    (cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo build -q --release --features all,inject-panic)
    # (grep reads all of nm's output: with -q it could exit first, nm would die of
    # SIGPIPE, and pipefail would turn a detected panic into "not detected".)
    if "$NM" "$(elf release)" | grep -iE "$PANIC_RE" >/dev/null; then
        echo "ok: check self-test: an injected bounds check is detected"
    else
        echo "FAIL: check self-test: an injected bounds check was not detected"
        nopanic_failed+=("self-test")
    fi
fi
# The minimal firmware boots and runs all kernels (rebuilt without inject-panic).
(cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo build -q --release --features all)
if [ -z "$QEMU_SKIP" ]; then
    (cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo run -q --release --features all)
    echo "ok: the minimal firmware runs every kernel under QEMU and exits 0"
fi

# ------------------------------------------------------------------ 4
step "code size: flash (text bytes) each kernel adds to a minimal Cortex-M4F firmware"
if [ -z "$SIZE" ] || [ -z "$NM" ]; then
    skipped "no size/nm for ARM ELF files: no code-size table"
else
    text() { "$SIZE" "$1" | awk 'NR == 2 { print $1 }'; }
    # Bytes of compiler-builtins routines (soft-float f64, memcpy...) in the image.
    helpers() {
        local sum=0 sz
        for sz in $("$NM" -C -S "$1" | awk '$3 ~ /^[tTwW]$/ && $4 ~ /^(compiler_builtins|__aeabi_|__[a-z]+[sd]f[0-9]|mem)/ { print $2 }'); do
            sum=$((sum + 16#$sz))
        done
        echo "$sum"
    }
    declare -A T H
    for profile in release release-s; do
        for k in none "${KERNELS[@]}" all; do
            feat=()
            [ "$k" = none ] || feat=(--features "$k")
            (cd ci/cortex-m4-min && CARGO_TARGET_DIR="$MIN_DIR" cargo build -q --profile "$profile" "${feat[@]}")
            T[$profile,$k]=$(text "$(elf "$profile")")
            H[$profile,$k]=$(helpers "$(elf "$profile")")
        done
    done
    echo "fat LTO, codegen-units = 1; +N = bytes over the baseline, of which 'rt' are"
    echo "compiler-builtins routines (soft-float f64 for softmax's sum, memcpy) shared by kernels"
    printf '%-24s %18s %18s\n' "kernel" "opt-level 3" 'opt-level "s"'
    printf '%-24s %18s %18s\n' "baseline (no kernel)" "${T[release,none]} total" "${T[release-s,none]} total"
    for k in "${KERNELS[@]}" all; do
        row=()
        for profile in release release-s; do
            d=$((T[$profile,$k] - T[$profile,none]))
            h=$((H[$profile,$k] - H[$profile,none]))
            row+=("+$d (rt $h)")
        done
        name="$k"
        [ "$k" = all ] && name="all together"
        printf '%-24s %18s %18s\n' "$name" "${row[0]}" "${row[1]}"
    done
fi

if [ "${#nopanic_failed[@]}" -gt 0 ]; then
    echo
    echo "error: panic symbols reachable in the firmware built with: ${nopanic_failed[*]}" >&2
    exit 1
fi
echo
echo "embedded checks passed (t=${SECONDS}s)"
