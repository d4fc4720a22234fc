#!/usr/bin/env bash
# Search as you type over HTTP (typeahead.py): /suggest and /search?prefix=last with one connection, against
# /hello, on the speed benchmark's generated corpora that exist (run Benchmarks/speed/run.sh first).
# Usage: Benchmarks/typeahead/run.sh [--no-build] [SIZE ...]   (sizes: 1k 10k 100k; default: those generated)
# Results are printed and saved to Benchmarks/out/typeahead.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/Benchmarks/out"
BENCH="${BLOGSEARCH_BENCH_BIN:-$ROOT/.build/release/blogsearch-bench}"
build=1
sizes=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    1k|10k|100k) sizes+=("$arg") ;;
    *) echo "usage: $0 [--no-build] [1k|10k|100k ...]" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then (cd "$ROOT" && swift build -c release --product blogsearch-bench >&2); fi
[ ${#sizes[@]} -gt 0 ] || for s in 1k 10k 100k; do [ -d "$OUT/speed/data-$s/indexes" ] && sizes+=("$s"); done
[ ${#sizes[@]} -gt 0 ] || { echo "no generated corpus in $OUT/speed: run Benchmarks/speed/run.sh first" >&2; exit 1; }
: > "$OUT/typeahead.md"
for s in "${sizes[@]}"; do
  python3 "$HERE/typeahead.py" --bin "$BENCH" --indexes "$OUT/speed/data-$s/indexes" --queries "$OUT/speed/data-$s/queries.jsonl" \
    --label "$s posts" --out "$OUT/typeahead.md"
done
