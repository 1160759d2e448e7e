#!/usr/bin/env bash
# Benchmark (release build). The figures in the README come from this script.
#
#   ./scripts/bench.sh            3 runs of everything
#   RUNS=5 ./scripts/bench.sh     more runs
#
# It reports, each as a median with the range over the runs:
#   - a single act, whole process, cold: `check` and `render --format pdf,docx`
#     of data/orenburg-596.yaml (the program as a clerk starts it);
#   - the 500-variant batch (data/batch/plan-base.yaml with the districts of
#     data/batch/districts.yaml over and over, PDF and DOCX): `-j 1` and `-j N`
#     (N = all cores), the scaling ratio, variants per second, and the peak
#     memory of the whole process tree (the sum of the processes' PSS, sampled);
#   - LibreOffice converting the same DOCX to PDF: one call per document (on
#     10 documents) and one warm call for all 500;
#   - `prikaz serve`: the server time of a one-word edit of
#     data/orenburg-596.yaml (read, check, lay out, draw the changed pages as
#     SVG), and the whole request as the page sees it;
#   - in-process timings per example (cargo bench --bench render).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CORES=$(nproc)
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB" >&2
cargo build --release --quiet
BIN=$PWD/target/release/prikaz
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# "median (min–max)" of the numbers on stdin.
spread() {
    sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s (%s–%s)", m, v[1], v[NR]}'
}

# Run a command; print its wall time in ms.
timed() {
    local start
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    echo "$(($(now_ms) - start))"
}

# Run a command; print the peak of the summed PSS (MB) of it and its children.
# The sampling costs CPU, so timed runs are separate.
peak_pss() {
    local peak=0 sum pids p v
    "$@" >/dev/null 2>&1 &
    local root=$!
    while kill -0 "$root" 2>/dev/null; do
        pids="$root $(cat /proc/"$root"/task/*/children 2>/dev/null || true)"
        sum=0
        for p in $pids; do
            v=$(awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || true)
            sum=$((sum + ${v:-0}))
        done
        ((sum > peak)) && peak=$sum
        sleep 0.1
    done
    wait "$root"
    echo "$((peak / 1024))"
}

# --- a single act, whole process ------------------------------------------
act=data/orenburg-596.yaml
"$BIN" render "$act" -o "$WORK/warm" --format pdf,docx >/dev/null 2>&1 # page cache
# Each command is started the way a shell starts it (fork and exec) and timed
# from start to exit by python3's clock; the commands alternate, so drift hits
# all alike. /bin/true shows what starting any process costs on the machine.
echo
echo "| single act, whole process ($((RUNS * 15)) runs each, alternating) | ms, median (range) |"
echo "|---|---|"
python3 - $((RUNS * 15)) "$BIN" "$act" "$WORK/one" <<'PY'
import statistics, subprocess, sys, time
n, bin_, act, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
runs = [
    ("`/bin/true` (starting any process)", ["/bin/true"]),
    ("`prikaz --help`", [bin_, "--help"]),
    (f"`check` {act}", [bin_, "check", act]),
    (f"`render --format pdf,docx` {act}", [bin_, "render", act, "-o", out, "--format", "pdf,docx"]),
]
def once(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000
times = {label: [] for label, _ in runs}
for label, cmd in runs:
    once(cmd)
for _ in range(n):
    for label, cmd in runs:
        times[label].append(once(cmd))
for label, _ in runs:
    v = times[label]
    print(f"| {label} | {statistics.median(v):.1f} ({min(v):.1f}–{max(v):.1f}) |")
PY

# --- prikaz serve: one-word edits ---------------------------------------------
mkdir -p "$WORK/serve"
cp "$act" "$WORK/serve/"
cp -r data/профили "$WORK/serve/"
"$BIN" serve "$WORK/serve/$(basename "$act")" --port 0 --no-open 2>"$WORK/serve.log" &
serve_pid=$!
for _ in $(seq 1 100); do
    grep -q 'http://' "$WORK/serve.log" 2>/dev/null && break
    sleep 0.1
done
addr=$(grep -o 'http://[0-9.:]*' "$WORK/serve.log" | head -1)
python3 - "$addr" "$WORK/serve/$(basename "$act")" $((RUNS * 10)) >"$WORK/edits" <<'PY'
import json, sys, time, urllib.parse, urllib.request
addr, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
url = addr + "/api/render?path=" + urllib.parse.quote(path.rsplit("/", 1)[1])
shown = []  # keys of the pages the page shows, as app.js sends them
def render(t):
    global shown
    req = urllib.request.Request(url + "&have=" + ",".join(shown), data=t.encode(),
                                 method="POST", headers={"Origin": addr})
    start = time.perf_counter()
    body = json.load(urllib.request.urlopen(req))
    assert body["ok"], body["diagnostics"]
    shown = [p["key"] for p in body["pages"]]
    return body["ms"], (time.perf_counter() - start) * 1000, len(body["pages"])
first = render(text)  # the first render of the session: everything laid out
# One word of the title changed each time, cycling through more words than
# the server keeps memoised layouts of, so no edit is a repeat it remembers.
words = ["Плана", "Перечня", "Графика", "Списка", "Комплекса", "Порядка",
         "Программы", "Проекта", "Свода", "Реестра"]
for i in range(n):
    ms, total, pages = render(text.replace("Плана мероприятий", words[i % len(words)] + " мероприятий", 1))
    print(f"{ms:.1f} {total:.1f} {pages} {first[0]:.1f}")
PY
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
echo
echo "| \`prikaz serve\`, one-word edit of $act ($(wc -l <"$WORK/edits") edits, $(awk 'NR==1{print $3}' "$WORK/edits") pages) | ms, median (range) |"
echo "|---|---|"
echo "| server: read, check, lay out, SVG of the changed pages | $(awk '{print $1}' "$WORK/edits" | spread) |"
echo "| the whole request as the page sees it (with the changed pages' SVG) | $(awk '{print $2}' "$WORK/edits" | spread) |"
echo "| for comparison: the session's first render, server time | $(awk 'NR==1{print $4}' "$WORK/edits") |"

# --- the 500-variant batch --------------------------------------------------
PRIKAZ_BENCH_CHILD="variants500=$WORK/variants.yaml" cargo bench --quiet --bench render >/dev/null
cp data/batch/plan-base.yaml "$WORK/base.yaml"
cp -r data/batch/профили "$WORK/"
batch() { # how (timed or peak_pss), jobs
    rm -rf "$WORK/out"
    "$1" "$BIN" batch "$WORK/base.yaml" "$WORK/variants.yaml" -o "$WORK/out" --format pdf,docx -j "$2"
}
: >"$WORK/j1"
: >"$WORK/jn"
for _ in $(seq 1 "$RUNS"); do # alternating, so drift hits both alike
    batch timed 1 >>"$WORK/j1"
    batch timed "$CORES" >>"$WORK/jn"
done
mem1=$(batch peak_pss 1)
memn=$(batch peak_pss "$CORES")
files=$(find "$WORK/out" -type f | wc -l)
pages=$("$BIN" batch "$WORK/base.yaml" "$WORK/variants.yaml" -o "$WORK/out" --json -j "$CORES" 2>/dev/null |
    awk -F: '/"pages"/{s+=$2; n++} END {printf "%.1f", s/n}')
row() { # label, file, memory
    local secs rate
    secs=$(awk '{printf "%.2f\n", $1/1000}' "$2" | spread)
    rate=$(awk '{printf "%.0f\n", 500000/$1}' "$2" | spread)
    echo "| $1 | $secs | $rate | $3 |"
}
echo
echo "| batch: 500 variants, act + plan ($pages pages each), PDF and DOCX, $files files; $RUNS runs | seconds | variants/s | peak memory, MB (all processes, PSS; one run) |"
echo "|---|---|---|---|"
row "\`-j 1\`" "$WORK/j1" "$mem1"
row "\`-j $CORES\`" "$WORK/jn" "$memn"
paste "$WORK/j1" "$WORK/jn" | awk '{printf "%.2f\n", $1/$2}' | spread >"$WORK/ratio"
echo
echo "scaling, \`-j $CORES\` against \`-j 1\` (per pair of runs): $(cat "$WORK/ratio")"

# --- LibreOffice on the same DOCX -------------------------------------------
if command -v soffice >/dev/null; then
    mapfile -t docx < <(find "$WORK/out" -name '*.docx' | sort)
    s=$(now_ms)
    for f in "${docx[@]:0:10}"; do
        soffice --headless --convert-to pdf --outdir "$WORK/lo1" "$f" >/dev/null 2>&1
    done
    one=$(( ($(now_ms) - s) / 10 ))
    soffice --headless --convert-to pdf --outdir "$WORK/lo0" "${docx[0]}" >/dev/null 2>&1 # warm
    s=$(now_ms)
    soffice --headless --convert-to pdf --outdir "$WORK/lo2" "${docx[@]}" >/dev/null 2>&1
    all=$(($(now_ms) - s))
    echo
    echo "LibreOffice, the same DOCX to PDF: one call per document $one ms a document;" \
        "one warm call for all ${#docx[@]}: $(echo "scale=1; ${#docx[@]} * 1000 / $all" | bc) documents/s."
else
    echo "LibreOffice (soffice) not found: its comparison is left out" >&2
fi

# --- in-process timings ---------------------------------------------------------
echo
cargo bench --quiet --bench render
