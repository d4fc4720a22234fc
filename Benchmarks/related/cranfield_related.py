"""Related-posts quality on Cranfield 1400, with no hand labels: documents judged relevant to the same query
count as related. For every document with such partners, precision@5 and nDCG@10 (binary gain) of its related
list, for blogsearch (its precomputed lists, read from the published generation) and, in the same run, for
scikit-learn TfidfVectorizer cosine (sublinear_tf=True, stop_words='english', its best setting).

Usage: python cranfield_related.py [--bin BLOGSEARCH] [--out DIR] [--variant NAME=ENV ...]
"""
import argparse
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "relevance"))
import cranfield  # noqa: E402


def partners():
    """doc id -> set of doc ids judged relevant to some query together with it."""
    groups = {}
    for q, judged in cranfield.qrels().items():
        rel = {d for d, g in judged.items() if g > 0}
        groups[q] = rel
    out = {}
    for rel in groups.values():
        for d in rel:
            out.setdefault(d, set()).update(rel - {d})
    return {d: p for d, p in out.items() if p}


def evaluate(lists, truth):
    p5 = ndcg = 0.0
    for d, rel in truth.items():
        ranked = lists.get(d, [])
        p5 += sum(1 for x in ranked[:5] if x in rel) / 5
        dcg = sum(1 / math.log2(i + 2) for i, x in enumerate(ranked[:10]) if x in rel)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
        ndcg += dcg / idcg
    n = len(truth)
    return p5 / n, ndcg / n


def blogsearch_lists(binary, corpus, tune=""):
    indexes = tempfile.mkdtemp(prefix="bs-related-")
    t = time.perf_counter()
    p = subprocess.run([binary, "index", "--quiet", "--corpus", corpus, "--indexes", indexes]
                       + (["--tune", tune] if tune else []), capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if p.returncode not in (0, 3):
        sys.exit(f"index failed: {p.stderr}")
    current = open(os.path.join(indexes, "CURRENT")).read().strip()
    db = sqlite3.connect(os.path.join(indexes, current))
    slug = dict(db.execute("SELECT id, slug FROM posts"))
    lists = {}
    for post, other in db.execute("SELECT post_id, other_id FROM related ORDER BY post_id, rank"):
        lists.setdefault(slug[post], []).append(slug[other])
    return lists, seconds


def sklearn_lists(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer
    docs = [json.loads(line) for line in open(corpus)]
    t = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [d["title"] + "\n" + d["body"] for d in docs])
    sim = (matrix @ matrix.T).toarray()
    lists = {}
    for i, d in enumerate(docs):
        sim[i, i] = -1
        top = sim[i].argsort()[::-1][:20]
        lists[d["slug"]] = [docs[j]["slug"] for j in top if sim[i, j] > 0]
    return lists, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.environ.get("BLOGSEARCH_BIN", os.path.join(HERE, "../../.build/release/blogsearch")))
    ap.add_argument("--out", default=os.path.join(HERE, "../out"))
    ap.add_argument("--variant", action="append", default=[],
                    help="LABEL:key=value,... an extra blogsearch run with `index --tune` (see IndexTuning.swift)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    corpus = os.path.join(a.out, "cranfield.jsonl")
    if not os.path.exists(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "../relevance/cranfield.py"), "to-jsonl", corpus], check=True,
                       cwd=os.path.join(HERE, "../relevance"))
    truth = partners()
    print(f"Cranfield: {len(truth)} documents have related partners (mean {sum(map(len, truth.values())) / len(truth):.1f})")
    print()
    print("| engine | P@5 | nDCG@10 | seconds |")
    print("|---|---|---|---|")
    lists, s = sklearn_lists(corpus)
    print(f"| scikit-learn TfidfVectorizer(sublinear_tf, stop_words='english') cosine | {evaluate(lists, truth)[0]:.3f} | {evaluate(lists, truth)[1]:.3f} | {s:.1f} |")
    runs = [("blogsearch (default)", "")] + [tuple(v.split(":", 1)) for v in a.variant]
    for label, tune in runs:
        lists, s = blogsearch_lists(a.bin, corpus, tune)
        p5, nd = evaluate(lists, truth)
        print(f"| {label} | {p5:.3f} | {nd:.3f} | {s:.1f} (whole index build) |")


if __name__ == "__main__":
    main()
