"""Turn the speed benchmark's results-SIZE.json files into one Markdown report.

Usage: python report.py WORK_DIR SIZE [SIZE ...] [--bin BLOGSEARCH] [--bin-note TEXT] [--elapsed SECONDS]

Ratios compare numbers measured in the same run: `x` columns are blogsearch's time divided by the peer's
(above 1 = blogsearch slower), `vs hello` is a route's requests/s divided by /hello's.
"""
import argparse
import json
import os
import platform
import sqlite3
import subprocess
import time
from importlib.metadata import version

CLASSES = ["rare", "medium", "common", "and2", "or3", "phrase", "question", "all"]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def f(x, digits=2):
    return "–" if x is None else f"{x:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.1f}×" if a and b else "–"


def machine(binary, note):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem_gb = int(open("/proc/meminfo").readline().split()[1]) / 2**20
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    note = f", {note}" if note else ""
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(binary))) if binary else "?"
    return (f"Machine: nproc {nproc}, {cpu}, {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}; "
            f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. The machine is shared: each size gives "
            f"the 1-minute load average at its start and end.\n\n"
            f"Software: blogsearch release binary `{binary}` (built {built}{note}), SQLite {sqlite3.sqlite_version} "
            f"(the system libsqlite3, linked by both blogsearch and Python's sqlite3), tantivy-py "
            f"{version('tantivy')}, scikit-learn {version('scikit-learn')}, scipy {version('scipy')}, "
            f"Python {platform.python_version()}, wrk 4.1.0.")


def build_section(r):
    b, fts, tan = r["build"]["blogsearch"], r["build"]["fts5"], r["build"]["tantivy"]
    mb = lambda n: f(n / 1e6, 1)
    rows = [["**blogsearch** `index`", f(b["wallS"]), "1.0×", f(b["maxRssMB"], 0), mb(b["bytes"]),
             f"reported {f(b['reportedS'])} s: " + ", ".join(f"{k} {f(v, 1)}" for k, v in b["phases"].items())
             + f"; outside it (reading the corpus, start-up) {f(b['wallS'] - b['reportedS'], 1)}"],
            ["plain FTS5 table (Python sqlite3)", f(fts["wallS"]), ratio(b["wallS"], fts["wallS"]),
             f(fts["maxRssMB"], 0), mb(fts["bytes"]),
             f"in-script {f(fts['seconds'])} s: insert {f(fts['insertS'], 1)}, optimize {f(fts['optimizeS'], 1)}"],
            ["tantivy (2 threads)", f(tan["wallS"]), ratio(b["wallS"], tan["wallS"]), f(tan["maxRssMB"], 0),
             mb(tan["bytes"]), f"in-script {f(tan['seconds'])} s: add {f(tan['addS'], 1)}, "
                               f"commit+merge {f(tan['commitS'], 1)}"]]
    runs = [("incremental", "1% of posts changed"), ("incrementalNew", "1% changed and 0.1% new posts"),
            ("unchanged", "nothing changed")]
    for at, (key, label) in enumerate([run for run in runs if r["build"].get(run[0])], start=1):
        inc = r["build"][key]
        how = (f"{inc['incremental'][0]} changed, {inc['incremental'][1]} new, {inc['incremental'][2]} reused"
               if inc.get("incremental") else "fell back to a full build")
        related = (f"; related {f(inc['relatedS'], 1)} s (vectors {f(inc['relatedVectorsS'], 1)}, neighbours "
                   f"{f(inc['relatedNeighboursS'], 1)})" if inc.get("relatedS") is not None else "; related lists kept")
        rows.insert(at, [f"**blogsearch** `index` again, {label}", f(inc["wallS"]),
                         ratio(b["wallS"], inc["wallS"]), f(inc["maxRssMB"], 0), mb(inc["bytes"]),
                         f"{how}; " + ", ".join(f"{k} {f(v, 1)}" for k, v in inc["phases"].items()) + related])
    return table(["engine", "wall s", "blogsearch ÷ this", "max RSS MB", "index MB", "breakdown (s)"], rows)


def search_section(r):
    s = r["search"]
    rows = []
    for c in CLASSES:
        if c not in s["blogsearch"]:
            continue
        b, fts, tan = s["blogsearch"][c], s["fts5"][c], s["tantivy"][c]
        rank = f"{f(b['rankP50Ms'])} / {f(b['rankP99Ms'])}" if "rankP50Ms" in b else "–"
        rank_ratio = ratio(b["rankP50Ms"], tan["p50Ms"]) if "rankP50Ms" in b else "–"
        share = f"{100 * (1 - b['rankP50Ms'] / b['p50Ms']):.0f}%" if "rankP50Ms" in b and b["p50Ms"] > 0 else "–"
        rows.append([c, b["queries"], f"{f(b['p50Ms'])} / {f(b['p99Ms'])}", rank, share, f"{f(fts['p50Ms'])} / {f(fts['p99Ms'])}",
                     f"{f(tan['p50Ms'], 3)} / {f(tan['p99Ms'], 3)}", ratio(b["p50Ms"], fts["p50Ms"]),
                     ratio(b["p99Ms"], fts["p99Ms"]), ratio(b["p50Ms"], tan["p50Ms"]), rank_ratio,
                     f"{f(b['meanHits'], 1)} / {f(fts['meanHits'], 1)} / {f(tan['meanHits'], 1)}"])
    return table(["class", "queries", "blogsearch p50 / p99 ms", "ranking only p50 / p99 ms", "hits' share of p50",
                  "raw FTS5 p50 / p99 ms", "tantivy p50 / p99 ms", "x FTS5 p50", "x FTS5 p99", "x tantivy p50",
                  "ranking only x tantivy p50", "mean hits b / F / t"], rows)


def related_section(r):
    b, sk = r["build"]["blogsearch"], r["related"]
    if b.get("relatedS") is not None:
        relating = b["relatedS"]
        rows = [["**blogsearch** (computed during the build, beside the text writing, 2 threads)", f(relating),
                 f(b["relatedVectorsS"]), f(b["relatedNeighboursS"]), "1.0×", f"{f(b['maxRssMB'], 0)} (whole build)"]]
    else:
        relating = b["phases"].get("relating")
        rows = [["**blogsearch** (`relating` phase of the build, 2 threads)", f(relating), "–", "–", "1.0×",
                 f"{f(b['maxRssMB'], 0)} (whole build)"]]
    rows += [["scikit-learn TF-IDF + sparse cosine (1 thread)", f(sk["seconds"]), f(sk["vectorizeS"]),
             f(sk["neighboursS"]), ratio(relating, sk["seconds"]), f"{f(sk['maxRssMB'], 0)} (whole script)"]]
    return (table(["engine (top 20 for every post)", "total s", "vectorise s", "neighbours s",
                   "blogsearch ÷ this", "max RSS MB"], rows)
            + f"\n\nscikit-learn: {sk['terms']:,} terms, {sk['nnz']:,} non-zeros; reading the corpus "
              f"({f(sk['readS'])} s) and Python start-up are excluded (process wall {f(sk['wallS'])} s).")


def http_section(r):
    h = r["http"]
    rps = {x["route"]: x["rps"] for x in h["routes"]}
    hello = (rps["hello"] + rps.get("hello-end", rps["hello"])) / 2
    rows = [[f"`{x['path']}`" if x["path"] and x["route"] != "hello-end" else x["route"], f(x["rps"], 0),
             f"{100 * x['rps'] / hello:.0f}%", f(x["p50Ms"]), f(x["p99Ms"]), x["non2xx"],
             f(x["VmHWM"] / 1024, 0)] for x in h["routes"]]
    search = next(x for x in h["routes"] if x["route"].startswith("search-cycle"))
    c = h.get("check", {})
    b = r["search"]["blogsearch"]
    short = [b[k] for k in ("rare", "medium", "common", "and2") if k in b]
    mean_ms = sum(x["meanMs"] * x["queries"] for x in short) / sum(x["queries"] for x in short)
    return (table(["route", "requests/s", "vs hello", "p50 ms", "p99 ms", "non-2xx", "serve VmHWM after, MB"], rows)
            + f"\n\n`vs hello`: requests/s ÷ the mean of the two /hello runs (first and last). "
              f"Check before the load: {c.get('non200', '?')} non-200 answers over the cycled paths, "
              f"{c.get('zeroMatchSearches', '?')} of {c.get('searches', '?')} cycled searches with 0 matches, "
              f"the single search has {c.get('searchOneMatches', '?')} matches. The in-process mean of the "
              f"cycled classes (rare, medium, common, and2) is {f(mean_ms)} ms: on 2 cores the engine alone "
              f"caps search-cycle at about {2000 / mean_ms:,.0f} requests/s.\n\n"
              f"Serve memory: {f(h['idle']['VmRSS'] / 1024, 0)} MB RSS idle after start, "
              f"**peak (VmHWM) {f(search['VmHWM'] / 1024, 0)} MB after the search load**. "
              f"`wrk -t2 -c32 -d{r['duration']}s --latency`, wrk and the server on the same 2 cores.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work")
    ap.add_argument("sizes", nargs="+")
    ap.add_argument("--bin")
    ap.add_argument("--bin-note", default="")
    ap.add_argument("--elapsed", type=float)
    a = ap.parse_args()
    out = ["# Speed: blogsearch vs peers", "", machine(a.bin, a.bin_note), ""]
    if a.elapsed:
        out += [f"Whole run: {a.elapsed / 60:.1f} min for sizes {', '.join(a.sizes)}.", ""]
    for size in a.sizes:
        r = json.load(open(os.path.join(a.work, f"results-{size}.json")))
        out += [f"## {r['posts']:,} posts ({size}, corpus {r['corpusBytes'] / 1e6:.0f} MB)", "",
                f"Load average {r['loadStart'][0]:.1f} at the start, {r['loadEnd'][0]:.1f} at the end; "
                f"this size took {r['seconds'] / 60:.1f} min.", "",
                "### Index build", "", build_section(r), "",
                f"### Search, in-process, warm (each query once to warm up, then {r['repeat']} timed runs; "
                "top 10)", "", search_section(r), "",
                "`ranking only`: the same search up to the ranked page with its total and facet counts, without "
                "making the hits (snippets, matched comment, records): what tantivy's column measures. "
                "`hits' share`: the part of blogsearch's p50 that making the 10 hits takes.", "",
                "### Related posts, precomputed for every post", "", related_section(r), "",
                "### HTTP", "", http_section(r), ""]
    out += ["Notes: `x` = blogsearch's time ÷ the peer's (above 1: blogsearch slower). blogsearch's search does "
            "more than the peers: BM25F ranking with all-words-first and proximity, snippets and hit records; "
            "the raw FTS5 peer is `SELECT rowid FROM post_text WHERE post_text MATCH ? ORDER BY rank LIMIT 10` on "
            "blogsearch's own index (OR of quoted lowercase tokens, stop words kept; phrases as one quoted "
            "phrase); tantivy parses the same words (OR) over title, body, comments and fetches no documents. "
            "HTTP search queries are sent with %20 for spaces (the server also decodes `+` as a space). "
            "See Benchmarks/speed/README.md."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
