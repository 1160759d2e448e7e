#!/usr/bin/env bash
# The whole test suite, from a fresh machine that has only the Rust toolchain.
# Installs the Debian packages the tests use when they are missing:
#   poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm) and LibreOffice
#   (soffice, to open and convert our DOCX) with Russian hyphenation, and the
#   Liberation fonts.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# Russian hyphenation patterns for LibreOffice (else its page breaks drift from ours).
dpkg -s hyphen-ru >/dev/null 2>&1 || need+=(hyphen-ru)
dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
if [ ${#need[@]} -gt 0 ]; then
  echo "Устанавливаю пакеты для тестов: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test 2>&1 | tee "$log"
# One closing line for the whole suite.
awk '/^test result:/ { p += $4; f += $6 } END { printf "prikaz: %d passed, %d failed\n", p, f }' "$log"
