#!/usr/bin/env bash
# Relevance benchmark on Cranfield 1400 and CACM 3204: blogsearch vs tantivy and bm25s.
# Usage: Benchmarks/relevance/run.sh [--peers-only] [--no-build] [--collection cranfield|cacm]
#   --peers-only         skip blogsearch (no build, no run); also what happens when the build fails
#   --no-build           use the existing binary ($BLOGSEARCH_BIN or .build/release/blogsearch)
#   --collection NAME    run one collection only (default: both, Cranfield then CACM)
# Prints one Markdown table per collection and saves them to Benchmarks/out/relevance.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/Benchmarks/.venv"
OUT="$ROOT/Benchmarks/out"
BIN="${BLOGSEARCH_BIN:-$ROOT/.build/release/blogsearch}"
export BLOGSEARCH_BIN="$BIN"
usage="usage: $0 [--peers-only] [--no-build] [--collection cranfield|cacm]"
peers_only=0 build=1 collections="cranfield cacm"
while [ $# -gt 0 ]; do
  case "$1" in
    --peers-only) peers_only=1 ;;
    --no-build) build=0 ;;
    --collection) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; collections="$2"; shift ;;
    --collection=*) collections="${1#--collection=}" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
case "$collections" in
  "cranfield cacm"|cranfield|cacm) ;;
  *) echo "unknown collection '$collections' (cranfield or cacm)" >&2; echo "$usage" >&2; exit 2 ;;
esac

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

for c in $collections; do
  (cd "$HERE" && "$PY" "$c.py" to-jsonl "$OUT/$c.jsonl")
done

# One section per collection: heading, scoring line, table.
section() {
  local c="$1" corpus="$OUT/$1.jsonl"
  case "$c" in
    cranfield)
      echo "### Cranfield 1400 (225 queries, title + abstract)"
      echo
      echo "nDCG@10 graded (gain 5 - code), MAP over the top 1000 and R@100 binary; all 225 queries count." ;;
    cacm)
      echo "### CACM 3204 (64 queries, 52 judged, title + abstract)"
      echo
      echo "nDCG@10 binary (gain 1), MAP over the top 1000 and R@100; the 52 judged queries count (all 64 run)." ;;
  esac
  echo
  echo "| engine | nDCG@10 | MAP | R@100 | mean query ms |"
  echo "|---|---|---|---|---|"
  (cd "$HERE" && "$PY" peers.py "$corpus" --collection "$c")
  if [ "$peers_only" = 0 ]; then
    rm -rf "$OUT/$c-indexes"
    (cd "$HERE" && "$PY" blogsearch_run.py "$corpus" --collection "$c" --indexes "$OUT/$c-indexes") \
      || echo "| blogsearch | failed (see stderr) | | | |"
  fi
  echo
}

{
  echo "## Relevance: blogsearch vs tantivy and bm25s"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr), $(date -u +%Y-%m-%d)."
  echo "Query time: peers, the search call in-process; blogsearch, the engine's tookMs (one process per query)."
  [ -n "$blog_note" ] && echo "$blog_note."
  echo
  for c in $collections; do
    section "$c"
  done
  true
} | tee "$OUT/relevance.md"
