#!/usr/bin/env bash
# The whole test suite, from a fresh machine that has only the Rust toolchain.
# Installs the Debian packages the tests use when they are missing:
#   poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm) and LibreOffice
#   (soffice, to open and convert our DOCX) with Russian hyphenation, and the
#   Liberation fonts.
#
# Every step runs even when an earlier one fails, and the run always ends with
# one line `prikaz: N passed, M failed`: the tests of `cargo test` plus one check
# each for the set-up, formatting and clippy. The exit code is 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
log=$(mktemp)

summary() {
  rm -f "$log"
  if [ ${#failures[@]} -gt 0 ]; then
    echo "Не прошли: ${failures[*]}"
  fi
  echo "prikaz: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
# Also on an unexpected exit (a signal, a bug in this script): the line still comes.
trap 'summary; exit $?' EXIT

# One check: counted as passed or failed, never stopping the run.
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "ОШИБКА на шаге «$name»" >&2
  fi
}

install_tools() {
  local need=()
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
  # Russian hyphenation patterns for LibreOffice (else its page breaks drift from ours).
  dpkg -s hyphen-ru >/dev/null 2>&1 || need+=(hyphen-ru)
  dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
  [ ${#need[@]} -eq 0 ] && return 0
  echo "Устанавливаю пакеты для тестов: ${need[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

check "установка инструментов" install_tools
check "cargo fmt" cargo fmt --check
check "cargo clippy" cargo clippy --all-targets --quiet -- -D warnings

# Every test binary runs even when one fails (--no-fail-fast).
cargo test --no-fail-fast 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { printf "%d %d\n", p, f }' "$log")
passed=$((passed + p))
failed=$((failed + f))
if [ "$f" -gt 0 ]; then
  failures+=("cargo test ($f)")
elif [ "$rc" -ne 0 ]; then
  # cargo test failed without a failing test: the build broke or a binary crashed.
  failed=$((failed + 1))
  failures+=("cargo test (сборка или аварийное завершение)")
fi
