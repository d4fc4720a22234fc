"""Search as you type over HTTP: GET /suggest and GET /search?prefix=last, one connection, against /hello.

Usage: python typeahead.py --indexes DIR --queries QUERIES.jsonl [--bin BLOGSEARCH_BENCH] [--duration 10] [--out FILE.md]

Starts `blogsearch-bench serve` (the shipped server plus GET /hello) on DIR (a generation of the speed benchmark's corpus), makes the
keystrokes of its queries (every prefix of every query's last word, 1 to 8 letters, after the words before
it: "angry c", "angry cu", "angry cus"…) and runs `wrk -t1 -c1 --latency` (one connection, one request at a
time, as one reader typing) cycling through them: /hello, /suggest, /search?prefix=last&limit=6 (what the
search box asks), /hello again. Reports requests/s and latency p50/p99 per route, and the ratio to /hello.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "speed"))
from http_load import parse_wrk, start_server  # noqa: E402


def keystrokes(queries_path, limit=2000):
    out = []
    for line in open(queries_path):
        text = json.loads(line).get("text", "")
        words = text.split()
        if not words:
            continue
        head, last = " ".join(words[:-1]), words[-1].strip("?.,!\"")
        for n in range(1, min(len(last), 8) + 1):
            out.append((head + " " if head else "") + last[:n])
    return out[:limit]


def run_wrk(base, path, duration, paths_file=None):
    cmd = ["wrk", "-t1", "-c1", f"-d{duration}s", "--latency"]
    env = dict(os.environ)
    if paths_file:
        cmd += ["-s", os.path.join(HERE, "..", "speed", "cycle.lua")]
        env["WRK_PATHS"] = paths_file
    return parse_wrk(subprocess.run(cmd + [base + path], capture_output=True, text=True, env=env, check=True).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--indexes", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--bin", default=os.environ.get("BLOGSEARCH_BENCH_BIN", ".build/release/blogsearch-bench"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--label", default="")
    ap.add_argument("--out")
    a = ap.parse_args()
    typed = keystrokes(a.queries)
    work = tempfile.mkdtemp(prefix="typeahead-")
    files = {}
    for name, make in [("suggest", lambda q: "/suggest?limit=5&q=" + urllib.parse.quote(q)),
                       ("search", lambda q: "/search?prefix=last&limit=6&q=" + urllib.parse.quote(q))]:
        files[name] = os.path.join(work, f"{name}.txt")
        with open(files[name], "w") as f:
            f.write("\n".join(make(q) for q in typed) + "\n")
    proc, base = start_server(a.bin, a.indexes, os.path.join(work, "serve.log"))
    try:
        # Every path answers 200 before anything is timed.
        for name in files:
            for path in open(files[name]).read().split("\n")[:50]:
                if path:
                    urllib.request.urlopen(base + path).read()
        rows = [("hello", run_wrk(base, "/hello", a.duration)),
                ("suggest", run_wrk(base, "/", a.duration, files["suggest"])),
                ("search, prefix=last", run_wrk(base, "/", a.duration, files["search"])),
                ("hello-end", run_wrk(base, "/hello", a.duration))]
    finally:
        proc.terminate()
        proc.wait()
    hello = (rows[0][1]["rps"] + rows[-1][1]["rps"]) / 2
    lines = [f"### Search as you type over HTTP: {a.label or a.indexes}", "",
             f"{len(typed)} keystrokes of the benchmark's queries, `wrk -t1 -c1 -d{a.duration}s` (one connection), "
             "cycling through them.", "",
             "| route | req/s | ÷ hello | p50 ms | p99 ms | non-2xx |", "|---|---|---|---|---|---|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['rps']:.0f} | {r['rps'] / hello:.0%} | {r['p50Ms']:.3f} | {r['p99Ms']:.3f} | {r['non2xx']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "a") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
