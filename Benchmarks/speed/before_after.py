#!/usr/bin/env python3
"""Two builds of blogsearch on one index, in one run: are their answers identical, and how fast is each?

usage: before_after.py --old BIN_OR_CMD --new BIN_OR_CMD --corpus FILE.jsonl --queries FILE.jsonl --work DIR
                       [--repeat 5] [--rounds 3]

BIN_OR_CMD is the binary that times searches: `.build/release/blogsearch-bench` (its `search` subcommand), or
for builds before the bench target existed `.build/release/blogsearch` (its hidden `bench-search`); `serve` is
taken from the `blogsearch` binary beside it. Each build indexes the corpus itself (an older build may read an
older index format). Answers: every query with five request variants (page 2, a category filter, date order, a
recency boost, search as you type) through both servers' /search, compared without `tookMs` on every field the
old answer has (fields new in the new build are listed, not compared). Speed: the search timing of each build alternately,
`--rounds` times, per class the median over rounds of each run's p50 and p99 (ms), and new/old.
Prints a Markdown table; exit 1 when an answer differs."""
import argparse, json, os, shutil, socket, subprocess, sys, time, urllib.parse, urllib.request
from statistics import median


def bench_command(cmd):
    return [cmd, "search"] if os.path.basename(cmd) == "blogsearch-bench" else [cmd, "bench-search"]


def serve_binary(cmd):
    folder = os.path.dirname(os.path.abspath(cmd))
    return os.path.join(folder, "blogsearch")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, indexes, corpus):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--indexes", indexes, "--corpus", corpus, "--port", str(port),
                             "--no-analytics"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"{binary} serve did not answer on port {port}")


def get(port, params):
    url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode(params)
    body = json.loads(urllib.request.urlopen(url, timeout=30).read())
    body.pop("tookMs", None)
    return body


def project(new, old, path, added):
    """`new` restricted to the keys `old` has (recursively); keys only `new` has are added to `added`."""
    if isinstance(new, dict) and isinstance(old, dict):
        added.update(f"{path}.{k}" for k in new if k not in old)
        return {k: project(new[k], old[k], f"{path}.{k}", added) if k in new else "<missing>" for k in old}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [project(n, o, f"{path}[]", added) for n, o in zip(new, old)]
    return new


def main():
    p = argparse.ArgumentParser()
    for name in ("--old", "--new", "--corpus", "--queries", "--work"):
        p.add_argument(name, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    indexes = {}
    for name, cmd in (("old", a.old), ("new", a.new)):
        indexes[name] = os.path.join(a.work, "indexes-" + name)
        shutil.rmtree(indexes[name], ignore_errors=True)
        subprocess.run([serve_binary(cmd), "index", "--corpus", a.corpus, "--indexes", indexes[name]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queries = [json.loads(line) for line in open(a.queries) if line.strip()]
    variants = [{}, {"offset": "10"}, {"category": "Science"}, {"sort": "date"}, {"recency": "90"}, {"prefix": "last"}]

    servers = [start(serve_binary(b), indexes[name], a.corpus) for name, b in (("old", a.old), ("new", a.new))]
    compared = differing = 0
    first = None
    added = set()
    try:
        for q in queries:
            for v in variants:
                params = dict(q=q["text"], **v)
                old, new = (get(port, params) for _, port in servers)
                old, new = (json.dumps(x, sort_keys=True) for x in (old, project(new, old, "", added)))
                compared += 1
                if old != new:
                    differing += 1
                    first = first or (params, old[:300], new[:300])
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait()

    runs = {"old": [], "new": []}
    for _ in range(a.rounds):
        for name, cmd in (("old", a.old), ("new", a.new)):
            out = subprocess.run(bench_command(cmd) + ["--queries", a.queries, "--indexes", indexes[name], "--repeat",
                                  str(a.repeat), "--limit", "10"], capture_output=True, text=True, check=True)
            runs[name].append(json.loads(out.stdout))

    order = ["rare", "medium", "common", "and2", "or3", "phrase", "question"]
    classes = sorted((c for c in runs["new"][0] if c != "all"), key=lambda c: (order.index(c) if c in order else 99, c))
    print(f"answers: {compared} requests ({len(queries)} queries x {len(variants)} variants), {differing} differ")
    if added:
        print("fields only the new build answers (not compared): " + ", ".join(sorted(added)))
    if first:
        print(f"first difference: {first[0]}\n old: {first[1]}\n new: {first[2]}")
    print()
    print("| class | old p50 | new p50 | new/old | old p99 | new p99 | new/old |")
    print("|---|---|---|---|---|---|---|")

    def stat(run, cls, key):
        return run[cls][key]

    for cls in classes + ["all"]:
        row = []
        for key in ("p50Ms", "p99Ms"):
            o = median(stat(r, cls, key) for r in runs["old"])
            n = median(stat(r, cls, key) for r in runs["new"])
            row += [f"{o:.3f}", f"{n:.3f}", f"{n / o:.2f}" if o else "-"]
        print(f"| {cls} | " + " | ".join(row[:3]) + " | " + " | ".join(row[3:]) + " |")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
