"""Search peers for the speed benchmark: a plain SQLite FTS5 table and tantivy.

Usage:
    python peers.py build-fts5    CORPUS.jsonl OUT.sqlite     # prints {"seconds", "insertS", "optimizeS", "bytes"}
    python peers.py build-tantivy CORPUS.jsonl OUT_DIR        # prints {"seconds", "addS", "commitS", "bytes"}
    python peers.py search-fts5    QUERIES.jsonl INDEX.sqlite --repeat N   # per-class stats (JSON)
    python peers.py search-tantivy QUERIES.jsonl OUT_DIR      --repeat N

Builds stream the corpus line by line (reading and JSON parsing are inside the timed span, as in
`blogsearch index`). Both index title, body and comments (the comment bodies joined by newlines).
- FTS5: `CREATE VIRTUAL TABLE post_text USING fts5(title, body, comments, tokenize='porter unicode61
  remove_diacritics 2')`, every post INSERTed in one transaction, then `INSERT ... VALUES('optimize')`.
- tantivy: text fields title, body, comments with tokenizer `en_stem`, stored (like FTS5, which keeps the
  text for snippets), plus a raw stored slug; `index.writer(num_threads=2)`, add all, commit, wait merges.

Search (`search-fts5` runs against *blogsearch's own index file*, table post_text, opened read-only):
    SELECT rowid FROM post_text WHERE post_text MATCH ? ORDER BY rank LIMIT 10
with the MATCH string made by `fts5_query`: a `phrase` query stays one quoted lowercase phrase; any other
query becomes an OR of its quoted lowercase word tokens (regex \\w+, the operator word OR dropped), e.g.
`Where can I find ...?` -> `"where" OR "can" OR "i" OR "find" ...`. `rank` is FTS5's built-in bm25().
tantivy gets the same tokens (`tantivy_query`): space-separated words (its parser ORs them by default) or
the quoted phrase, parsed over title, body and comments, then `searcher.search(query, 10)`; documents are
not fetched. Timing covers making the query string, parsing and searching. Protocol as `blogsearch-bench
search`: each query once to warm up, then --repeat timed runs; p50/p99 = sorted[int(n*q)].
"""
import argparse
import json
import os
import re
import sqlite3
import sys
import time

WORD = re.compile(r"\w+")


def posts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                yield p["slug"], p["title"], p["body"], "\n".join(c["body"] for c in p.get("comments", []))


def words(text):
    """Lowercase word tokens, without the query operator OR (uppercase in the query file)."""
    return WORD.findall(re.sub(r"\bOR\b", " ", text).lower())


def fts5_query(cls, text):
    if cls == "phrase":
        return '"' + " ".join(WORD.findall(text.lower())) + '"'
    return " OR ".join(f'"{w}"' for w in words(text))


def tantivy_query(cls, text):
    return fts5_query(cls, text) if cls == "phrase" else " ".join(words(text))


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def build_fts5(corpus, out):
    if os.path.exists(out):
        os.remove(out)
    t0 = time.perf_counter()
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("CREATE VIRTUAL TABLE post_text USING fts5(title, body, comments, "
               "tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("BEGIN")
    db.executemany("INSERT INTO post_text(title, body, comments) VALUES (?, ?, ?)",
                   (p[1:] for p in posts(corpus)))
    db.execute("COMMIT")
    t1 = time.perf_counter()
    db.execute("INSERT INTO post_text(post_text) VALUES ('optimize')")
    db.close()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "insertS": t1 - t0, "optimizeS": t2 - t1, "bytes": os.path.getsize(out)}


def tantivy_schema():
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("slug", stored=True, tokenizer_name="raw")
    for field in ("title", "body", "comments"):
        sb.add_text_field(field, stored=True, tokenizer_name="en_stem")
    return sb.build()


def build_tantivy(corpus, out):
    import shutil
    import tantivy
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    t0 = time.perf_counter()
    index = tantivy.Index(tantivy_schema(), path=out)
    writer = index.writer(num_threads=2)
    for slug, title, body, comments in posts(corpus):
        writer.add_document(tantivy.Document(slug=slug, title=title, body=body, comments=comments))
    t1 = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "addS": t1 - t0, "commitS": t2 - t1, "bytes": dir_bytes(out)}


def stats(times, hits):
    s = sorted(times)
    q = lambda x: s[min(len(s) - 1, int(len(s) * x))] * 1000
    return {"p50Ms": q(0.5), "p99Ms": q(0.99), "meanMs": sum(s) / len(s) * 1000,
            "meanHits": sum(hits) / len(hits), "queries": len(hits), "runs": len(s)}


def bench(queries, run, repeat):
    by_class = {}
    for q in map(json.loads, open(queries, encoding="utf-8")):
        times, hits = by_class.setdefault(q["class"], ([], []))
        hits.append(len(run(q["class"], q["text"])))
        for _ in range(repeat):
            t = time.perf_counter()
            run(q["class"], q["text"])
            times.append(time.perf_counter() - t)
    result = {c: stats(t, h) for c, (t, h) in by_class.items()}
    result["all"] = stats([x for t, _ in by_class.values() for x in t], [x for _, h in by_class.values() for x in h])
    return result


def search_fts5(queries, index, repeat):
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, check_same_thread=False)
    sql = "SELECT rowid FROM post_text WHERE post_text MATCH ? ORDER BY rank LIMIT 10"
    return bench(queries, lambda c, t: db.execute(sql, (fts5_query(c, t),)).fetchall(), repeat)


def search_tantivy(queries, out, repeat):
    import tantivy
    index = tantivy.Index.open(out)
    searcher = index.searcher()
    fields = ["title", "body", "comments"]
    return bench(queries, lambda c, t: searcher.search(index.parse_query(tantivy_query(c, t), fields), 10).hits,
                 repeat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["build-fts5", "build-tantivy", "search-fts5", "search-tantivy"])
    ap.add_argument("input")
    ap.add_argument("target")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if a.command == "build-fts5":
        result = build_fts5(a.input, a.target)
    elif a.command == "build-tantivy":
        result = build_tantivy(a.input, a.target)
    elif a.command == "search-fts5":
        result = search_fts5(a.input, a.target, a.repeat)
    else:
        result = search_tantivy(a.input, a.target, a.repeat)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
