"""Run every speed measurement for one corpus size and save the results as JSON.

Usage: python speed.py --size 10k --bin BLOGSEARCH [--bench-bin BLOGSEARCH_BENCH] --work DIR [--repeat 5] [--duration 10]
       (--bench-bin: the benchmark harness, by default blogsearch-bench beside BLOGSEARCH)
       -> DIR/results-SIZE.json (report.py turns it into Markdown)

Steps, in this order, all in this one run so the peers share the machine's state:
 1. corpus, truth and queries from Benchmarks/generator/generate.py --seed 42 (reused when already in DIR);
 2. index builds, each a fresh process under /usr/bin/time (wall time, max RSS): `blogsearch index`
    (its summary line gives the phase timings), then peers.py build-fts5 and build-tantivy;
 3. in-process search: `blogsearch-bench search --repeat N --limit 10`, peers.py search-fts5 (on
    blogsearch's index file) and search-tantivy, same query file and protocol;
 4. related posts: related.py (scikit-learn) under /usr/bin/time, to set against the build's `relating`;
 5. HTTP: http_load.py (`blogsearch-bench serve`, the shipped server plus /hello, under wrk, VmHWM after each route).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "..", "generator", "generate.py")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(cmd, work):
    """Run cmd under /usr/bin/time; return (stdout, stderr, wall seconds, max RSS MB)."""
    time_file = os.path.join(work, "time.txt")
    p = subprocess.run(["/usr/bin/time", "-f", "TIMED %e %M", "-o", time_file] + cmd,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    wall, rss_kb = re.search(r"TIMED ([\d.]+) (\d+)", open(time_file).read()).groups()
    return p.stdout, p.stderr, float(wall), int(rss_kb) / 1024


def blogsearch_build(binary, corpus, indexes, work, fresh=True):
    if fresh:
        shutil.rmtree(indexes, ignore_errors=True)
    _, err, wall, rss = timed([binary, "index", "--corpus", corpus, "--indexes", indexes], work)
    summary = re.search(r"^published .* in ([\d.]+) s, [\d.]+ MB \(([^)]*)\)(.*)$", err, re.I | re.M)
    if not summary:
        sys.exit(f"no summary line in blogsearch index's stderr:\n{err[-2000:]}")
    reported = float(summary.group(1))
    phases = {name: float(s) for name, s in re.findall(r"(\w+) ([\d.]+) s", summary.group(2))}
    related = re.search(r"related posts computed beside the writing in ([\d.]+) s \(vectors ([\d.]+) s, neighbours ([\d.]+) s[;)]",
                        summary.group(3))
    incremental = re.search(r"incremental: (\d+) changed and (\d+) new post\(s\) written, (\d+) reused", summary.group(3))
    current = open(os.path.join(indexes, "CURRENT")).read().strip()
    return {"wallS": wall, "maxRssMB": rss, "reportedS": reported, "phases": phases, "summary": summary.group(0).strip(),
            "relatedS": float(related.group(1)) if related else None,
            "relatedVectorsS": float(related.group(2)) if related else None,
            "relatedNeighboursS": float(related.group(3)) if related else None,
            "incremental": [int(x) for x in incremental.groups()] if incremental else None,
            "bytes": os.path.getsize(os.path.join(indexes, current)), "file": os.path.join(indexes, current)}


def incremental_build(binary, corpus, indexes, data, work, change="edits"):
    """The nightly case, on a copy of the indexes folder (so the rest of the benchmark searches the full build of
    the original corpus). change: "edits" (every 100th post gets one more sentence), "edits+new" (the same, plus
    0.1% new posts dated after the newest: every document frequency moves) or "none" (the same corpus again)."""
    changed = os.path.join(data, f"corpus-{change}.jsonl")
    with open(corpus, encoding="utf-8") as src, open(changed, "w", encoding="utf-8") as dst:
        lines = 0
        for i, line in enumerate(src):
            lines += 1
            if change != "none" and i % 100 == 50:
                post = json.loads(line)
                post["body"] += "\n\nUpdated: a reader pointed out a typo, now fixed."
                line = json.dumps(post) + "\n"
            dst.write(line)
        if change == "edits+new":
            src.seek(0)
            for i, line in enumerate(src):
                if i >= max(1, lines // 1000):
                    break
                post = json.loads(line)
                post["slug"] = f"new-{i}-{post['slug']}"
                post["date"] = "2099-01-01"
                post["comments"] = []
                dst.write(json.dumps(post) + "\n")
    copy = indexes + "-incremental"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(indexes, copy)
    try:
        return blogsearch_build(binary, changed, copy, work, fresh=False)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
        os.remove(changed)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", required=True, help="1k, 10k or 100k")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--bench-bin")
    ap.add_argument("--work", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--duration", type=int, default=10)
    a = ap.parse_args()
    py, size, work = sys.executable, a.size, os.path.abspath(a.work)
    bench = a.bench_bin or os.path.join(os.path.dirname(os.path.abspath(a.bin)), "blogsearch-bench")
    data = os.path.join(work, f"data-{size}")
    os.makedirs(data, exist_ok=True)
    corpus, queries = os.path.join(data, "corpus.jsonl"), os.path.join(data, "queries.jsonl")
    res = {"size": size, "repeat": a.repeat, "duration": a.duration, "started": time.time(),
           "loadStart": os.getloadavg()}

    if os.path.exists(corpus) and os.path.exists(queries):
        log(f"{size}: reusing {corpus}")
    else:
        log(f"{size}: generating corpus")
        subprocess.run([py, GENERATOR, "--posts", size, "--seed", "42", "--out", corpus, "--queries", queries,
                        "--truth", os.path.join(data, "truth.jsonl")], check=True, stderr=subprocess.DEVNULL)
    res["posts"] = sum(1 for _ in open(corpus, encoding="utf-8"))
    res["corpusBytes"] = os.path.getsize(corpus)

    log(f"{size}: index builds")
    indexes = os.path.join(data, "indexes")
    res["build"] = {"blogsearch": blogsearch_build(a.bin, corpus, indexes, work)}
    index_file = res["build"]["blogsearch"]["file"]
    log(f"{size}: incremental rebuilds: 1% of posts changed; the same plus 0.1% new posts; nothing changed")
    res["build"]["incremental"] = incremental_build(a.bin, corpus, indexes, data, work, "edits")
    res["build"]["incrementalNew"] = incremental_build(a.bin, corpus, indexes, data, work, "edits+new")
    res["build"]["unchanged"] = incremental_build(a.bin, corpus, indexes, data, work, "none")
    for peer, target in (("fts5", os.path.join(data, "fts5.sqlite")), ("tantivy", os.path.join(data, "tantivy"))):
        out, _, wall, rss = timed([py, os.path.join(HERE, "peers.py"), f"build-{peer}", corpus, target], work)
        res["build"][peer] = dict(json.loads(out), wallS=wall, maxRssMB=rss)

    log(f"{size}: in-process search (repeat {a.repeat})")
    out = subprocess.run([bench, "search", "--queries", queries, "--indexes", indexes,
                          "--repeat", str(a.repeat), "--limit", "10"], capture_output=True, text=True, check=True)
    res["search"] = {"blogsearch": json.loads(out.stdout)}
    for peer, target in (("fts5", index_file), ("tantivy", os.path.join(data, "tantivy"))):
        out = subprocess.run([py, os.path.join(HERE, "peers.py"), f"search-{peer}", queries, target,
                              "--repeat", str(a.repeat)], capture_output=True, text=True, check=True)
        res["search"][peer] = json.loads(out.stdout)

    log(f"{size}: related posts (scikit-learn)")
    out, _, wall, rss = timed([py, os.path.join(HERE, "related.py"), corpus], work)
    res["related"] = dict(json.loads(out), wallS=wall, maxRssMB=rss)

    log(f"{size}: HTTP ({a.duration} s per route)")
    out = subprocess.run([py, os.path.join(HERE, "http_load.py"), "--bin", bench, "--indexes", indexes,
                          "--corpus", corpus, "--queries", queries, "--duration", str(a.duration),
                          "--work", data], stdout=subprocess.PIPE, text=True, check=True)
    res["http"] = json.loads(out.stdout)

    res["loadEnd"] = os.getloadavg()
    res["seconds"] = time.time() - res["started"]
    with open(os.path.join(work, f"results-{size}.json"), "w") as f:
        json.dump(res, f, indent=1)
    log(f"{size}: done in {res['seconds']:.0f} s")


if __name__ == "__main__":
    main()
