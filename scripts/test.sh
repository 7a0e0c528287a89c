#!/usr/bin/env bash
# The project's whole test suite, from a fresh machine: set up, then typecheck, lint, unit, kernel
# end-to-end, browser and VM-matrix tests. This is what .ci/run runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export NX_DAEMON=false
npx nx run-many -t typecheck lint format-check --outputStyle=static
npx nx run-many -t test --parallel=1 --outputStyle=static
npx nx run-many -t e2e --parallel=1 --outputStyle=static
# Every example inside the Debian 6.1 and 6.12 kernels (QEMU), proving what the host kernel cannot.
npx nx run vm:matrix --outputStyle=static
