"""Peer engines on Cranfield or CACM: tantivy (English stemmer, BM25, default query parser over
title + body) and bm25s (PyStemmer english + English stop words), indexing the same
title + abstract text as blogsearch. Prints one Markdown row per engine.

Usage: python peers.py [CORPUS.jsonl] [--collection cranfield|cacm]
  CORPUS.jsonl defaults to the collection converted on the fly; the collection defaults to cranfield.
Query time is the mean of the search call alone, per query, one query at a time, keeping
the top 1000 (MAP is over the whole ranking kept, as in the README's reference figures).
"""
import argparse
import json
import re
import time

import score
import smart

DEPTH = 1000  # ranking depth kept for MAP; nDCG@10 and R@100 use the head of it


def load(path=None, coll="cranfield"):
    if path:
        with open(path, encoding="utf-8") as f:
            return [(d["slug"], d["title"], d["body"]) for d in map(json.loads, f)]
    return smart.collection(coll).documents()


def run_tantivy(docs, queries):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("slug", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="en_stem")
    sb.add_text_field("body", tokenizer_name="en_stem")
    schema = sb.build()
    index = tantivy.Index(schema)
    writer = index.writer(num_threads=1)
    for slug, title, body in docs:
        writer.add_document(tantivy.Document(slug=slug, title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    run, spent = {}, 0.0
    for q, text in queries.items():
        # Escape by keeping words only: the parser's syntax (+ - ( ) : " ^ ~ * ? / \) never fires.
        safe = " ".join(re.findall(r"\w+", text))
        t = time.perf_counter()
        hits = searcher.search(index.parse_query(safe, ["title", "body"]), DEPTH).hits
        spent += time.perf_counter() - t
        run[q] = [searcher.doc(addr)["slug"][0] for _, addr in hits]
    return run, spent * 1000 / len(queries)


def run_bm25s(docs, queries):
    import bm25s
    import Stemmer
    stemmer = Stemmer.Stemmer("english")
    ids = [d for d, _, _ in docs]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([f"{t} {b}" for _, t, b in docs], stopwords="en",
                                   stemmer=stemmer, show_progress=False), show_progress=False)
    run, spent = {}, 0.0
    for q, text in queries.items():
        t = time.perf_counter()
        toks = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, return_ids=False,
                              show_progress=False)
        found, _ = retriever.retrieve(toks, k=min(DEPTH, len(ids)), show_progress=False)
        spent += time.perf_counter() - t
        run[q] = [ids[i] for i in found[0]]
    return run, spent * 1000 / len(queries)


def run_tantivy_one_field(docs, queries):
    """The README's reference setup: title + abstract concatenated into one field."""
    return run_tantivy([(d, "", f"{t} {b}") for d, t, b in docs], queries)


PEERS = {"tantivy, en_stem, BM25 (title, body fields)": run_tantivy,
         "tantivy, en_stem, BM25 (one title+body field)": run_tantivy_one_field,
         "bm25s, PyStemmer english + English stop words": run_bm25s}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", help="JSONL corpus (default: converted on the fly)")
    ap.add_argument("--collection", choices=smart.COLLECTIONS, default="cranfield")
    a = ap.parse_args()
    coll = smart.collection(a.collection)
    docs = load(a.corpus, a.collection)
    queries, qrels = coll.queries(), coll.qrels()
    for name, fn in PEERS.items():
        run, ms = fn(docs, queries)
        print(f"| {name} | {score.fmt(score.evaluate(run, qrels, coll.GAIN))} | {ms:.2f} |", flush=True)


if __name__ == "__main__":
    main()
