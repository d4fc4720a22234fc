"""Related-posts peer for the speed benchmark: scikit-learn TF-IDF + exact cosine top-K for every post.

Usage: python related.py CORPUS.jsonl [--k 20] [--chunk ROWS]   # prints {"readS", "vectorizeS", "neighboursS", ...}

Text per post: title, categories, tags, body and comment bodies (the fields blogsearch's related vectors
use, without its field weights). TfidfVectorizer(sublinear_tf=True, stop_words='english', dtype=float32)
with L2-normalised rows, so cosine = dot product; neighbours come from chunked sparse products
X[i:i+chunk] @ X.T (scipy, one thread; chunk = 2e7 / posts rows by default), densified, the diagonal
masked out, top K by argpartition, then sorted.
Reading the corpus is timed apart and not part of vectorising.
"""
import argparse
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            yield "\n".join([p["title"], " ".join(p.get("categories", [])), " ".join(p.get("tags", [])),
                             p["body"]] + [c["body"] for c in p.get("comments", [])])


def top_k(x, k, chunk):
    n = x.shape[0]
    k = min(k, n - 1)
    xt = x.T.tocsr()
    out = np.empty((n, k), dtype=np.int32)
    for start in range(0, n, chunk):
        sims = (x[start:start + chunk] @ xt).toarray()
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -1.0
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1)
        out[start:start + chunk] = np.take_along_axis(part, order, axis=1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--chunk", type=int, default=0, help="rows per product (default: 2e7 / posts)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    docs = list(texts(a.corpus))
    t1 = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32).fit_transform(docs)
    t2 = time.perf_counter()
    neighbours = top_k(x, a.k, a.chunk or max(64, 20_000_000 // x.shape[0]))
    t3 = time.perf_counter()
    json.dump({"readS": t1 - t0, "vectorizeS": t2 - t1, "neighboursS": t3 - t2, "seconds": t3 - t1,
               "posts": x.shape[0], "terms": x.shape[1], "nnz": int(x.nnz), "k": int(neighbours.shape[1])},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
