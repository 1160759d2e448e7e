#!/usr/bin/env bash
# Release archives for the machines clerks use.
#
#   ./scripts/dist.sh           build both archives into dist/
#   ./scripts/dist.sh --check   also prove them: the Windows build under Wine and
#                               the static Linux build must make the same bytes
#                               as the usual build, and say the same words
#
# Archives:
#   dist/prikaz-<version>-windows-x86_64.zip   prikaz.exe, README, licences,
#                                              templates/ to copy, примеры/
#                                              (acts and profiles), .cmd files
#                                              for a console and the editor
#   dist/prikaz-<version>-linux-x86_64.tar.gz  a static (musl) prikaz that runs
#                                              on any distribution
#
# It installs what it needs when missing: the Rust targets (rustup), and
# Debian's mingw-w64 (the Windows linker), musl-tools, zip and, for --check,
# wine64. Two more full release builds: 10–15 minutes each on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=0
[[ ${1:-} == --check ]] && CHECK=1
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
WIN=x86_64-pc-windows-gnu
MUSL=x86_64-unknown-linux-musl
# A target folder of its own: the usual build and the tests keep theirs.
export CARGO_TARGET_DIR=$PWD/target/cross
say() { echo "dist: $*" >&2; }

# --- tools ------------------------------------------------------------------
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(mingw-w64)
command -v musl-gcc >/dev/null || need+=(musl-tools)
command -v zip >/dev/null || need+=(zip)
command -v file >/dev/null || need+=(file)
((CHECK)) && ! command -v wine64 >/dev/null && ! command -v wine >/dev/null && need+=(wine64)
((CHECK)) && ! command -v unzip >/dev/null && need+=(unzip)
if ((${#need[@]})); then
    say "устанавливаю пакеты Debian: ${need[*]}"
    SUDO=$([[ $(id -u) == 0 ]] || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
installed=$(rustup target list --installed)
for t in $WIN $MUSL; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

# --- builds -----------------------------------------------------------------
build() { # target
    local s=$SECONDS
    say "сборка для $1…"
    cargo build --release --quiet --locked --target "$1"
    say "сборка для $1: $((SECONDS - s)) с"
}
build $WIN
build $MUSL
exe=$CARGO_TARGET_DIR/$WIN/release/prikaz.exe
musl=$CARGO_TARGET_DIR/$MUSL/release/prikaz

# --- archives ---------------------------------------------------------------
# Same sources, same archive bytes: fixed dates, owners and order.
rm -rf dist
mkdir -p dist/stage
stage() { # folder name, binary
    local d=dist/stage/$1
    mkdir -p "$d/licences"
    cp "$2" "$d/"
    cp README.md "$d/"
    cp LICENSE "$d/licences/LICENSE-prikaz.txt"
    cp fonts/LICENSE-*.txt "$d/licences/"
    cp -r templates "$d/templates"
    # The walkthrough's examples: real acts with their organisations'
    # profiles and the schemas editors read, in a folder a clerk opens
    # (prikaz serve примеры) or copies to start from.
    mkdir -p "$d/примеры/профили"
    cp data/*.yaml data/схема-акта.json "$d/примеры/"
    cp data/профили/*.yaml data/профили/схема-профиля.json "$d/примеры/профили/"
    echo "$d"
}
win_dir=$(stage "prikaz-$VERSION-windows-x86_64" "$exe")
# Double-clicked, it opens a console in the folder, with the help shown.
printf '%s\r\n' '@echo off' 'chcp 65001 >nul' 'cd /d "%~dp0"' 'cmd /k prikaz.exe --help' \
    >"$win_dir/prikaz-console.cmd"
# The editor in the browser (prikaz serve) for a folder of acts dropped on it,
# or for the folder it was copied into (then prikaz.exe is found on PATH).
printf '%s\r\n' '@echo off' 'chcp 65001 >nul' \
    'if not "%~1"=="" (set "ACTS=%~1") else (set "ACTS=%CD%")' \
    'if exist "%~dp0prikaz.exe" (set "PRIKAZ=%~dp0prikaz.exe") else (set "PRIKAZ=prikaz.exe")' \
    '"%PRIKAZ%" serve "%ACTS%"' 'pause' \
    >"$win_dir/prikaz-editor.cmd"
lin_dir=$(stage "prikaz-$VERSION-linux-x86_64" "$musl")
find dist/stage -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
(cd dist/stage && find "$(basename "$win_dir")" | LC_ALL=C sort |
    TZ=UTC zip -q -X -D -@ "../$(basename "$win_dir").zip")
tar -C dist/stage --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime='2000-01-01 00:00:00 UTC' -cf - "$(basename "$lin_dir")" |
    gzip -n -9 >"dist/$(basename "$lin_dir").tar.gz"
rm -rf dist/stage
echo
echo "Сделано:"
for f in dist/*.zip dist/*.tar.gz; do
    printf '  %s  %s байт  sha256 %s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
done
((CHECK)) || exit 0

# --- check ------------------------------------------------------------------
say "проверка: обычная сборка…"
CARGO_TARGET_DIR=$PWD/target cargo build --release --quiet --locked
linux=$PWD/target/release/prikaz
W=$(mktemp -d)
# Wine's server may still be writing into its prefix when the script ends:
# stop it first, and let a leftover never turn a passed check into a failure.
trap '{ WINEPREFIX="$W/wine" wineserver -k; rm -rf "$W"; } >/dev/null 2>&1 || true' EXIT
failed=0
fail() { echo "ОТЛИЧИЕ: $*"; failed=1; }
export WINEDEBUG=-all WINEPREFIX=$W/wine
WINE=$(command -v wine64 || command -v wine)
"$WINE" wineboot --init >/dev/null 2>&1 || true
# Rust's standard library takes its random numbers from ProcessPrng in
# bcryptprimitives.dll (Windows 10 and later); Debian's Wine 8 lacks that DLL.
# For the check only, a stand-in beside a copy of the program provides it
# through RtlGenRandom. The archive ships the program alone.
mkdir -p "$W/app"
cp "$exe" "$W/app/prikaz.exe"
cat >"$W/app/prng.c" <<'C'
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
C
printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n' >"$W/app/prng.def"
x86_64-w64-mingw32-gcc -O2 -shared -o "$W/app/bcryptprimitives.dll" \
    "$W/app/prng.c" "$W/app/prng.def" -ladvapi32
wine_exe() { "$WINE" "$W/app/prikaz.exe" "$@"; }

echo
echo "Статическая сборка musl:"
file "$musl" | sed 's/^/  /'
lddout=$(ldd "$musl" 2>&1 || true)
echo "  ldd: $(echo "$lddout" | head -1 | xargs)"
grep -qE 'statically linked|not a dynamic executable' <<<"$lddout" ||
    fail "ldd видит динамические библиотеки у $musl"

echo
echo "Windows-сборка под Wine:"
wine_exe --help >"$W/help.txt" 2>&1 || fail "prikaz.exe --help завершилась с ошибкой"
head -3 "$W/help.txt" | sed 's/^/  /'
grep -q 'Использование' "$W/help.txt" || fail "в --help под Wine нет русского текста"

# An act as Notepad saves it (BOM, CRLF) in a folder with Cyrillic letters
# and spaces; and a bad one, whose message must be the same on both systems.
mkdir -p "$W/Мои документы/акты"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' data/ochyor-60.yaml; } >"$W/Мои документы/акты/приказ 60.yaml"
# Its organisation profile, saved by Notepad too.
mkdir -p "$W/Мои документы/акты/профили"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' data/профили/уо-очёр.yaml; } >"$W/Мои документы/акты/профили/уо-очёр.yaml"
{ printf '\xef\xbb\xbf'; printf 'вид: приказ\r\nорган: Управление образования\r\nдата: 31.02.2024\r\nномер: 7\r\nзаголовок: О проверке\r\nпункты: [Провести проверку.]\r\nподписант: {должность: Начальник, имя: И.И. Иванов}\r\n'; } \
    >"$W/Мои документы/акты/плохой акт.yaml"
cd "$W/Мои документы/акты"
wine_exe check "приказ 60.yaml" >"$W/check.txt" 2>&1 || fail "check акта с BOM и CRLF под Wine: ошибка"
grep -q 'ошибок нет' "$W/check.txt" || fail "check под Wine: $(cat "$W/check.txt")"
echo "  check «Мои документы/акты/приказ 60.yaml» (BOM, CRLF): $(tail -1 "$W/check.txt" | tr -d '\r')"
set +e
"$linux" check "плохой акт.yaml" >"$W/bad-linux.txt" 2>&1
code_linux=$?
wine_exe check "плохой акт.yaml" >"$W/bad-wine.txt" 2>&1
code_wine=$?
set -e
tr -d '\r' <"$W/bad-wine.txt" >"$W/bad-wine-lf.txt"
if cmp -s "$W/bad-linux.txt" "$W/bad-wine-lf.txt"; then
    echo "  сообщение об ошибке под Wine совпадает с Linux байт в байт ($(wc -c <"$W/bad-linux.txt") байт), код выхода $code_wine"
else
    fail "сообщение об ошибке под Wine отличается:"
    diff "$W/bad-linux.txt" "$W/bad-wine-lf.txt" | head -20
fi
[[ $code_linux == "$code_wine" ]] || fail "коды выхода: Linux $code_linux, Wine $code_wine"
wine_exe render "приказ 60.yaml" -o "вывод" --format pdf,docx >/dev/null 2>&1 ||
    fail "render акта с BOM и CRLF под Wine: ошибка"
ls "вывод"/Приказ_60_*.pdf "вывод"/Приказ_60_*.docx >/dev/null || fail "render под Wine не создал файлы"
wine_exe new распоряжение -o "новое распоряжение.yaml" 2>/dev/null || fail "new под Wine"
wine_exe check "новое распоряжение.yaml" >/dev/null 2>&1 || fail "check образца под Wine"
cp "$OLDPWD/data/batch/plan-base.yaml" "основа пакета.yaml"
cp "$OLDPWD"/data/batch/профили/*.yaml профили/
cp "$OLDPWD/data/batch/districts.yaml" "районы города.yaml"
wine_exe batch "основа пакета.yaml" "районы города.yaml" -o "пакет" --format pdf,docx >/dev/null 2>&1 ||
    fail "batch под Wine"
echo "  render, new, check и batch в папке «Мои документы/акты»: файлов $(find . -name '*.pdf' -o -name '*.docx' | wc -l)"
cd - >/dev/null

# The examples as the archive carries them: every act checks and renders in
# its own folder, as a clerk would run them after unpacking.
mkdir -p "$W/archive"
(cd "$W/archive" && unzip -q "$OLDPWD/dist/$(basename "$win_dir").zip")
cd "$W/archive/$(basename "$win_dir")/примеры"
n_ex=0
for f in *.yaml; do
    wine_exe check "$f" >"$W/ex-check.txt" 2>&1 || fail "пример $f из архива: check под Wine: $(tr -d '\r' <"$W/ex-check.txt" | tail -3)"
    wine_exe render "$f" -o "вывод" --format pdf,docx >/dev/null 2>&1 || fail "пример $f из архива: render под Wine"
    n_ex=$((n_ex + 1))
done
echo "  примеры из архива проверены и сформированы под Wine: актов — $n_ex, файлов — $(find вывод -type f | wc -l)"
cd - >/dev/null

echo
echo "Одинаковые байты (обычная сборка, musl, Windows под Wine):"
render_all() { # name, runner…
    local out=$W/out-$1
    shift
    for f in data/*.yaml; do
        "$@" render "$f" -o "$out" --format pdf,docx >/dev/null 2>&1 || fail "$1: render $f"
    done
    "$@" batch data/batch/plan-base.yaml data/batch/districts.yaml -o "$out/batch" \
        --format pdf,docx -j 2 >/dev/null 2>&1 || fail "batch"
}
render_all linux "$linux"
render_all musl "$musl"
render_all wine wine_exe
n=$(find "$W/out-linux" -type f | wc -l)
for other in musl wine; do
    if diff -r "$W/out-linux" "$W/out-$other" >"$W/diff-$other.txt"; then
        echo "  $other: все $n файлов совпадают с обычной сборкой"
    else
        fail "$other: файлы отличаются от обычной сборки"
        head -20 "$W/diff-$other.txt"
    fi
done
((n >= 16)) || fail "сделано только $n файлов"
if ((failed)); then
    echo "dist --check: есть отличия"
    exit 1
fi
echo "dist --check: всё совпадает"
