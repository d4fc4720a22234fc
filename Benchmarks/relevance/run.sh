#!/usr/bin/env bash
# Cranfield 1400 relevance benchmark: blogsearch vs tantivy and bm25s.
# Usage: Benchmarks/relevance/run.sh [--peers-only] [--no-build]
#   --peers-only  skip blogsearch (no build, no run); also what happens when the build fails
#   --no-build    use the existing binary ($BLOGSEARCH_BIN or .build/release/blogsearch)
# Prints a Markdown table and saves it to Benchmarks/out/relevance.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/Benchmarks/.venv"
OUT="$ROOT/Benchmarks/out"
BIN="${BLOGSEARCH_BIN:-$ROOT/.build/release/blogsearch}"
export BLOGSEARCH_BIN="$BIN"
peers_only=0 build=1
for arg in "$@"; do
  case "$arg" in
    --peers-only) peers_only=1 ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--peers-only] [--no-build]" >&2; exit 2 ;;
  esac
done

mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import tantivy, bm25s, Stemmer, sklearn" 2>/dev/null; then
  echo "setting up $VENV ..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q tantivy bm25s PyStemmer scikit-learn >&2
fi
PY="$VENV/bin/python"

blog_note=""
if [ "$peers_only" = 0 ] && [ "$build" = 1 ]; then
  echo "building blogsearch (swift build -c release --product blogsearch) ..." >&2
  if ! (cd "$ROOT" && swift build -c release --product blogsearch >&2); then
    blog_note="blogsearch: build failed, showing peers only"
    peers_only=1
  fi
fi
if [ "$peers_only" = 0 ] && [ ! -x "$BIN" ]; then
  blog_note="blogsearch: no binary at $BIN (not built yet?), showing peers only"
  peers_only=1
fi
[ -n "$blog_note" ] && echo "$blog_note" >&2

CORPUS="$OUT/cranfield.jsonl"
(cd "$HERE" && "$PY" cranfield.py to-jsonl "$CORPUS")

{
  echo "## Relevance: Cranfield 1400 (225 queries, title + abstract)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr), $(date -u +%Y-%m-%d)."
  echo "nDCG@10 graded (gain 5 - code), MAP over the top 1000 and R@100 binary; all 225 queries count."
  echo
  echo "| engine | nDCG@10 | MAP | R@100 | mean query ms |"
  echo "|---|---|---|---|---|"
  (cd "$HERE" && "$PY" peers.py "$CORPUS")
  if [ "$peers_only" = 0 ]; then
    rm -rf "$OUT/cranfield-indexes"
    (cd "$HERE" && "$PY" blogsearch_run.py "$CORPUS" --indexes "$OUT/cranfield-indexes") \
      || echo "| blogsearch | failed (see stderr) | | | |"
  fi
  echo
  echo "Query time: peers, the search call in-process; blogsearch, the engine's tookMs (one process per query)."
  [ -n "$blog_note" ] && echo "$blog_note."
  true
} | tee "$OUT/relevance.md"
