#!/usr/bin/env bash
# Speed benchmark: blogsearch vs a plain FTS5 table, tantivy and scikit-learn, plus HTTP under wrk.
# Usage: Benchmarks/speed/run.sh [--sizes 1k,10k] [--repeat 5] [--duration 10]
#   --sizes     corpus sizes (1k, 10k, 100k; default 1k,10k). 100k works but takes long (~1 GB corpus).
#   --repeat    timed runs per query in the in-process search benchmark (default 5)
#   --duration  seconds of wrk per HTTP route (default 10)
# Uses the existing release binaries ($BLOGSEARCH_BIN or .build/release/blogsearch, and blogsearch-bench beside it
# or $BLOGSEARCH_BENCH_BIN; it does not build: swift build -c release --product blogsearch, then
# --product blogsearch-bench) and Benchmarks/.venv (created from PyPI if missing). Needs wrk and /usr/bin/time
# (apt: wrk, time).
# Writes Benchmarks/out/speed/results-SIZE.json and the report Benchmarks/out/speed.md, and prints it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/Benchmarks/.venv"
OUT="$ROOT/Benchmarks/out"
WORK="$OUT/speed"
BIN="${BLOGSEARCH_BIN:-$ROOT/.build/release/blogsearch}"
BENCH="${BLOGSEARCH_BENCH_BIN:-$(dirname "$BIN")/blogsearch-bench}"
sizes=1k,10k repeat=5 duration=10
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) sed -n '2,11p' "$0" >&2; exit 2 ;;
  esac
done

[ -x "$BIN" ] || { echo "no blogsearch binary at $BIN (swift build -c release --product blogsearch)" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "no blogsearch-bench binary at $BENCH (swift build -c release --product blogsearch-bench)" >&2; exit 1; }
for tool in wrk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk time)" >&2; exit 1; }
done
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import tantivy, sklearn, nltk" 2>/dev/null; then
  echo "setting up $VENV ..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy nltk tantivy bm25s PyStemmer scikit-learn >&2
fi
PY="$VENV/bin/python"

mkdir -p "$WORK"
start=$(date +%s)
bin_id() { cat "$BIN" "$BENCH" | sha256sum | cut -c1-12; }
bin_start=$(bin_id)
for size in ${sizes//,/ }; do
  "$PY" "$HERE/speed.py" --size "$size" --bin "$BIN" --bench-bin "$BENCH" --work "$WORK" --repeat "$repeat" --duration "$duration"
done
bin_note="sha256 of blogsearch and blogsearch-bench $bin_start"
[ "$(bin_id)" = "$bin_start" ] || bin_note="$bin_note, REPLACED DURING THE RUN (now $(bin_id)): numbers mix two builds"
"$PY" "$HERE/report.py" "$WORK" ${sizes//,/ } --bin "$BIN" --bin-note "$bin_note" \
  --elapsed $(( $(date +%s) - start )) \
  | tee "$OUT/speed.md"
