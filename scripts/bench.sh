#!/usr/bin/env bash
# Benchmark (release build): time and peak memory of rendering each example and
# a 1,000-row plan. The figures in the README come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
cargo bench --bench render --quiet
