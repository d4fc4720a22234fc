"""Run blogsearch on Cranfield or CACM through its CLI and print one Markdown row.

Usage: python blogsearch_run.py CORPUS.jsonl [--collection cranfield|cacm] [--indexes DIR] [--limit N]
  (the collection, default cranfield, gives the queries and judgments; CORPUS must be its JSONL)
  BIN index  --corpus CORPUS.jsonl --indexes DIR       (exit 0, or 3 = published, some skipped)
  BIN search --json --limit 100 --offset K --indexes DIR -- "QUERY"
                                                       (pages of 100 up to N, text verbatim)
BIN is $BLOGSEARCH_BIN or /work/main/.build/release/blogsearch. Query time is the mean of
the engine's own tookMs; the mean wall time per process (with start-up) is printed on stderr.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import score
import smart

BIN = os.environ.get("BLOGSEARCH_BIN", "/work/main/.build/release/blogsearch")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--collection", choices=smart.COLLECTIONS, default="cranfield")
    ap.add_argument("--indexes", default=None, help="index dir (default: a fresh temp dir)")
    ap.add_argument("--limit", type=int, default=1000, help="ranking depth (MAP uses all of it)")
    ap.add_argument("--label", default="blogsearch")
    a = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"blogsearch_run: no executable at {BIN} (build it, or set BLOGSEARCH_BIN)")
    coll = smart.collection(a.collection)
    indexes = a.indexes or tempfile.mkdtemp(prefix=f"blogsearch-{a.collection}-")

    t = time.perf_counter()
    p = subprocess.run([BIN, "index", "--corpus", a.corpus, "--indexes", indexes],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(f"blogsearch_run: index failed ({p.returncode}):\n{p.stderr}{p.stdout}")
    note = " (exit 3: some documents skipped)" if p.returncode == 3 else ""
    print(f"blogsearch: indexed in {time.perf_counter() - t:.2f} s{note}", file=sys.stderr)

    run, took, wall = {}, [], 0.0
    for q, text in coll.queries().items():
        run[q] = []
        while len(run[q]) < a.limit:
            page = min(100, a.limit - len(run[q]))
            t = time.perf_counter()
            p = subprocess.run([BIN, "search", "--json", "--limit", str(page), "--offset", str(len(run[q])),
                                "--indexes", indexes, "--", text], capture_output=True, text=True)
            wall += time.perf_counter() - t
            if p.returncode != 0:
                sys.exit(f"blogsearch_run: search failed on query {q} {text!r} "
                         f"({p.returncode}):\n{p.stderr}{p.stdout}")
            out = json.loads(p.stdout)
            if len(run[q]) == 0 and out.get("tookMs") is not None:
                took.append(float(out["tookMs"]))   # the first page: what a user waits for
            run[q] += [h["slug"] for h in out["hits"]]
            if len(out["hits"]) < page:
                break
    n = len(run)
    print(f"blogsearch: {n} queries, wall {wall:.1f} s for all processes", file=sys.stderr)
    ms = f"{sum(took) / len(took):.2f}" if took else "n/a"
    print(f"| {a.label} | {score.fmt(score.evaluate(run, coll.qrels(), coll.GAIN))} | {ms} |")


if __name__ == "__main__":
    main()
