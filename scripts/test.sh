#!/usr/bin/env bash
# The project's whole test suite, from a fresh machine: set up, then typecheck, lint, unit, kernel
# end-to-end, browser and VM-matrix tests. This is what .ci/run runs. Ends with one line saying which
# stages passed, or which one failed.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

current=''
passed=()
trap 'echo "scripts/test.sh: FAILED in stage \"$current\" after ${SECONDS} s (passed: ${passed[*]:-none})" >&2' ERR

stage() {
  current=$1
  shift
  local started=$SECONDS
  echo "=== stage: $current"
  "$@"
  echo "=== stage: $current passed in $((SECONDS - started)) s"
  passed+=("$current")
}

stage setup bash scripts/setup.sh
source scripts/node-runtime.sh
export NX_DAEMON=false
# build-arm64: every example also compiles for arm64 (include/arm64/vmlinux.h).
stage static-checks npx nx run-many -t typecheck lint format-check build-arm64 --outputStyle=static
stage unit-tests npx nx run-many -t test --parallel=1 --outputStyle=static
stage e2e-tests npx nx run-many -t e2e --parallel=1 --outputStyle=static
# Every example inside each Debian kernel the matrix boots (5.10 to 7.3, QEMU), proving what the host kernel cannot.
stage vm-matrix npx nx run vm:matrix --outputStyle=static
echo "scripts/test.sh: all ${#passed[@]} stages passed (${passed[*]}) in ${SECONDS} s"
