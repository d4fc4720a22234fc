"""HTTP load for the speed benchmark: the server under wrk, route by route.

Usage: python http_load.py --bin BLOGSEARCH_BENCH --indexes DIR --corpus CORPUS.jsonl --queries Q.jsonl
                           [--duration 10] [--slugs 50] [--work DIR]     # prints JSON

Starts `blogsearch-bench serve --indexes DIR --port 0` (the application `blogsearch serve` runs, with its defaults,
plus GET /hello; stderr to a log file, waiting for its
`at http://127.0.0.1:P/` line), then runs `wrk -t2 -c32 -dDURATIONs --latency` once per route (one route with -t1 -c1), in order:
  hello           GET /hello (hello-world behind the same middleware; the baseline), run first and again
                  last ("hello-end"): the mean of the two is the baseline, their gap shows the drift
  related-1       GET /posts/{slug}/related, one slug (the per-generation response cache answers)
  related-cycle   /posts/{slug}/related over --slugs slugs spread evenly over the corpus (cycle.lua)
  search-1        GET /search?q=..., one 2-word query from the file
  search-cycle    /search?q=... over every 1-3 word query of the query file without quotes or OR
                  (classes rare, medium, common, and2), cycled by cycle.lua
  search-cycle, 1 connection
                  the same cycle from one connection (wrk -t1 -c1): the latency one reader sees with
                  nothing else running, as a search box's user would
Spaces in q are sent as %20 (the server also decodes '+' as a space).
Before the load every cycled path is fetched once (which also warms the server): the result counts
non-200 answers and searches with 0 matches, and the matches of the single search.
After each run it reads VmHWM and VmRSS from /proc/PID/status, so the row after search-cycle gives the
server's peak memory up to and including the search load. Then SIGTERM. wrk shares the 2 cores with the
server, so requests/s are a lower bound of the server alone; compare routes by their ratio to /hello.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def start_server(binary, indexes, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen([binary, "serve", "--indexes", indexes, "--port", "0"],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/", open(log_path).read())
        if match:
            return proc, match.group(1)
        if proc.poll() is not None:
            sys.exit(f"serve exited with {proc.returncode}: see {log_path}")
        time.sleep(0.1)
    proc.terminate()
    sys.exit(f"serve did not start listening in 60 s: see {log_path}")


def memory_kb(pid):
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return {k: int(fields[k].split()[0]) for k in ("VmHWM", "VmRSS")}


def parse_wrk(text):
    ms = lambda value, unit: float(value) * UNIT_MS[unit]
    lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "requests": int(re.search(r"(\d+) requests in", text).group(1)),
            "p50Ms": lat.get("50"), "p99Ms": lat.get("99"),
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socketErrors": errors.group(1).strip() if errors else ""}


def wrk(base, path, duration, paths_file=None, connections=32):
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    env = dict(os.environ)
    if paths_file:
        cmd += ["-s", os.path.join(HERE, "cycle.lua")]
        env["WRK_PATHS"] = paths_file
    out = subprocess.run(cmd + [base + path], capture_output=True, text=True, env=env, check=True).stdout
    return parse_wrk(out)


def workload(corpus, queries, slugs_wanted):
    slugs = [json.loads(line)["slug"] for line in open(corpus, encoding="utf-8")]
    step = max(1, len(slugs) // slugs_wanted)
    related = [f"/posts/{s}/related" for s in slugs[::step][:slugs_wanted]]
    texts = [q["text"] for q in map(json.loads, open(queries, encoding="utf-8"))]
    short = [t for t in texts if '"' not in t and " OR " not in t and 1 <= len(t.split()) <= 3]
    search = ["/search?q=" + urllib.parse.quote(t, safe="") for t in short]
    two_words = next((p for t, p in zip(short, search) if len(t.split()) == 2), search[0])
    return related, search, two_words


def precheck(base, related, search, search_one):
    """Fetch every cycled path once: count non-200 answers and 0-match searches."""
    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, {}
    bad = sum(get(p)[0] != 200 for p in related)
    answers = [get(p) for p in search]
    return {"non200": bad + sum(status != 200 for status, _ in answers),
            "zeroMatchSearches": sum(body.get("total", 0) == 0 for _, body in answers),
            "searches": len(search), "searchOneMatches": get(search_one)[1].get("total")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--indexes", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--slugs", type=int, default=50)
    ap.add_argument("--work", default=tempfile.gettempdir())
    a = ap.parse_args()
    related, search, search_one = workload(a.corpus, a.queries, a.slugs)
    files = {}
    for name, paths in (("related", related), ("search", search)):
        files[name] = os.path.join(a.work, f"wrk-{name}-paths.txt")
        with open(files[name], "w") as f:
            f.write("\n".join(paths) + "\n")
    runs = [("hello", "/hello", None, 32), ("related-1", related[0], None, 32),
            (f"related-cycle ({len(related)} slugs)", "/", files["related"], 32),
            ("search-1", search_one, None, 32), (f"search-cycle ({len(search)} queries)", "/", files["search"], 32),
            (f"search-cycle, 1 connection ({len(search)} queries)", "/", files["search"], 1),
            ("hello-end", "/hello", None, 32)]
    proc, base = start_server(a.bin, a.indexes, os.path.join(a.work, "serve.log"))
    result = {"idle": memory_kb(proc.pid), "routes": []}
    try:
        result["check"] = precheck(base, related, search, search_one)
        print(f"  check: {result['check']}", file=sys.stderr)
        for name, path, paths_file, connections in runs:
            row = wrk(base, path, a.duration, paths_file, connections)
            row.update(route=name, path=path if not paths_file else None, **memory_kb(proc.pid))
            result["routes"].append(row)
            print(f"  {name}: {row['rps']:.0f} req/s", file=sys.stderr)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
