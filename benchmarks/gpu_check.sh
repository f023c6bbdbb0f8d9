#!/usr/bin/env bash
# One command for a GPU machine: xpml's GPU tests, then the "large" benchmark tier.
#
#     bash benchmarks/gpu_check.sh             # OUT=/some/folder to choose where the results go
#     bash benchmarks/gpu_check.sh --dry-run   # print each step's command, run nothing
#
# The machine is expected to have numpy, cupy, torch, jax, scikit-learn and pytest, but no network and
# none of array-api-compat, array-api-extra, array-api-strict. Their wheels come from .whl/ in the
# project's root, which /work/shared/hooks/gpu-wheels.sh fills (`pip download` on a machine with a
# network; name ".whl" in the device call's carry list). Nothing else is installed: xpml runs from this
# checkout.
#
# Steps, each under a `timeout` so that the whole script stays under 8 minutes:
#   1. install the three array-API packages from .whl/ (already installed is fine);
#   2. nvidia-smi                                    -> $OUT/nvidia-smi.txt
#   3. python -m pytest -k "cupy or cuda"             -> $OUT/pytest.txt
#   4. python -m xpml bench --sizes large --backends <cupy torch:cuda numpy, those available>
#                                                    -> $OUT/bench-large/ (results.json, results.md, plots)
#                                                       and $OUT/bench.log
# The benchmark runs even when the tests fail; the script then exits with the tests' status.
#
# Environment: OUT (default benchmarks/results/gpu), PYTHON (default python3), SIZES (default large),
# ALGORITHMS (default: the headline workloads below; "all" for every one), REPEATS (default 1: numpy and
# scikit-learn take seconds a fit at these sizes), TEST_TIMEOUT (default 190) and BENCH_TIMEOUT (default 250)
# in seconds. The benchmark writes its results after every measurement, so a run cut short keeps them.
set -u

cd "$(dirname "$0")/.."  # the project's root: `import xpml` finds this checkout
OUT="${OUT:-benchmarks/results/gpu}"
PYTHON="${PYTHON:-python3}"
SIZES="${SIZES:-large}"
ALGORITHMS="${ALGORITHMS:-kmeans pca truncated_svd logistic_regression ridge knn mlp}"
REPEATS="${REPEATS:-1}"
TEST_TIMEOUT="${TEST_TIMEOUT:-190}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-250}"
DRY_RUN=0
for arg in "$@"; do
    case "$arg" in
        --dry-run) DRY_RUN=1 ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "gpu_check.sh: unknown argument $arg (expected --dry-run)" >&2; exit 2 ;;
    esac
done

# Print a command, quoted as the shell would need it.
show() { printf '+'; printf ' %q' "$@"; printf '\n'; } >&2

# Print a step's command; run it unless this is a dry run.
step() {
    show "$@"
    if [ "$DRY_RUN" = 1 ]; then return 0; fi
    "$@"
}

mkdir -p "$OUT"
# jax, if a test imports it, must not take most of the GPU's memory from cupy and torch.
export XLA_PYTHON_CLIENT_PREALLOCATE=false

# 1. The array-API packages, from the wheels carried in .whl/ only.
PACKAGES=(array-api-compat array-api-extra array-api-strict)
if ! step timeout 30 "$PYTHON" -m pip install -q --no-index --find-links .whl "${PACKAGES[@]}"; then
    # A read-only site-packages: put them beside the checkout instead, as gpu-wheels.sh describes.
    step timeout 30 "$PYTHON" -m pip install -q --no-index --no-deps --target /tmp/xpml-site .whl/*.whl
    export PYTHONPATH="/tmp/xpml-site${PYTHONPATH:+:$PYTHONPATH}"
fi
if [ "$DRY_RUN" = 0 ] && ! "$PYTHON" -c "import array_api_compat, array_api_extra, array_api_strict"; then
    echo "gpu_check.sh: the array-API packages could not be installed; run /work/shared/hooks/gpu-wheels.sh" \
         "first to fill .whl/" >&2
    exit 2
fi

# 2. The GPU, as the driver sees it (a machine without one says so in the file).
if [ "$DRY_RUN" = 1 ]; then
    echo "+ timeout 15 nvidia-smi > $OUT/nvidia-smi.txt" >&2
else
    timeout 15 nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || echo "nvidia-smi failed or is missing" >> "$OUT/nvidia-smi.txt"
fi

# 3. The tests on cupy and torch:cuda (the `xp` fixture's GPU parameters; they skip without a GPU).
# pyproject's addopts ask for pytest-xdist; without it they are replaced by the ones that need no plugin.
if "$PYTHON" -c "import xdist" 2>/dev/null; then
    WORKERS=(-n 4)
else
    WORKERS=(-o "addopts=--strict-markers --strict-config -rfE")
fi
TESTS=(timeout --kill-after=10 "$TEST_TIMEOUT" "$PYTHON" -m pytest -q -k "cupy or cuda" -p no:cacheprovider "${WORKERS[@]}")
if [ "$DRY_RUN" = 1 ]; then
    show "${TESTS[@]}"
    TESTS_RC=0
else
    show "${TESTS[@]}"
    "${TESTS[@]}" 2>&1 | tee "$OUT/pytest.txt"
    TESTS_RC=${PIPESTATUS[0]}
    [ "$TESTS_RC" = 124 ] && echo "gpu_check.sh: the tests ran past ${TEST_TIMEOUT} s" | tee -a "$OUT/pytest.txt"
fi

# 4. The benchmark, on the GPU backends found and numpy, with scikit-learn beside them.
if [ "$DRY_RUN" = 1 ]; then
    BACKENDS="cupy torch:cuda numpy"
else
    BACKENDS=$("$PYTHON" -c "
from xpml._backend import all_targets
print(' '.join(b for b in ('cupy', 'torch:cuda', 'numpy') if b in all_targets()))")
fi
[ "$BACKENDS" = numpy ] && echo "gpu_check.sh: no GPU backend is available; the benchmark runs on numpy only" >&2
BENCH=(timeout --kill-after=10 "$BENCH_TIMEOUT" "$PYTHON" -m xpml bench --sizes "$SIZES" --backends $BACKENDS
       --repeats "$REPEATS" --out "$OUT/bench-$SIZES")
[ "$ALGORITHMS" != all ] && BENCH+=(--algorithms $ALGORITHMS)
if [ "$DRY_RUN" = 1 ]; then
    show "${BENCH[@]}"
    BENCH_RC=0
else
    show "${BENCH[@]}"
    "${BENCH[@]}" > "$OUT/bench.log" 2>&1
    BENCH_RC=$?
    tail -n 40 "$OUT/bench.log"
    [ "$BENCH_RC" = 124 ] && echo "gpu_check.sh: the benchmark ran past ${BENCH_TIMEOUT} s" | tee -a "$OUT/bench.log"
fi

echo "gpu_check.sh: tests exit status $TESTS_RC, benchmark exit status $BENCH_RC; results in $OUT"
if [ "$TESTS_RC" != 0 ]; then exit "$TESTS_RC"; fi
exit "$BENCH_RC"
