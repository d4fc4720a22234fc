"""Related-posts quality on the synthetic blog corpus (Benchmarks/generator), whose posts are mixtures of
known topics: two posts are related in proportion to the overlap of their topic mixtures (sum of the smaller
weight per topic, from 0 to 1). For a fixed sample of posts, nDCG@10 of each engine's related list with that
overlap as graded gain (ideal: the 10 posts of largest overlap), and P@5 with overlap >= 0.5 as "related".

Engines, in the same run: blogsearch (its precomputed lists, read from the published generation; each
`--variant LABEL:key=value,...` is one more build with `blogsearch index --tune`) and scikit-learn
TfidfVectorizer(sublinear_tf=True, stop_words='english') cosine over title + tags + body.

Usage: python synthetic_related.py [--posts 10000] [--sample 500] [--variant LABEL:tags=0,...]
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

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "out")


def generate(posts):
    corpus = os.path.join(OUT, f"synthetic-{posts}.jsonl")
    truth = os.path.join(OUT, f"synthetic-{posts}-truth.jsonl")
    if not (os.path.exists(corpus) and os.path.exists(truth)):
        subprocess.run([sys.executable, os.path.join(HERE, "../generator/generate.py"), "--posts", str(posts), "--seed", "42",
                        "--out", corpus, "--truth", truth], check=True)
    return corpus, truth


def load_truth(path):
    slugs, rows = [], []
    for line in open(path):
        t = json.loads(line)
        slugs.append(t["slug"])
        rows.append({int(k): v for k, v in t["topics"].items()})
    k = 1 + max(max(r) for r in rows)
    m = np.zeros((len(rows), k), dtype=np.float32)
    for i, r in enumerate(rows):
        for topic, w in r.items():
            m[i, topic] = w
    return slugs, m


def evaluate(lists, slugs, mix, sample):
    index = {s: i for i, s in enumerate(slugs)}
    ndcg = p5 = 0.0
    for i in sample:
        overlap = np.minimum(mix, mix[i]).sum(axis=1)
        overlap[i] = -1
        ideal = np.sort(overlap)[::-1][:10]
        idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
        ranked = [index[s] for s in lists.get(slugs[i], [])[:10]]
        dcg = sum(overlap[j] / math.log2(r + 2) for r, j in enumerate(ranked))
        ndcg += dcg / idcg if idcg > 0 else 0
        p5 += sum(1 for j in ranked[:5] if overlap[j] >= 0.5) / 5
    return p5 / len(sample), ndcg / len(sample)


def blogsearch(binary, corpus, tune):
    indexes = tempfile.mkdtemp(prefix="bs-synth-")
    t = time.perf_counter()
    p = subprocess.run([binary, "index", "--quiet", "--corpus", corpus, "--indexes", indexes] + (["--tune", tune] if tune else []),
                       capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if p.returncode not in (0, 3):
        sys.exit(f"index failed: {p.stderr}")
    db = sqlite3.connect(os.path.join(indexes, open(os.path.join(indexes, "CURRENT")).read().strip()))
    slug = dict(db.execute("SELECT id, slug FROM posts"))
    lists = {}
    for post, other in db.execute("SELECT post_id, other_id FROM related WHERE rank <= 10 ORDER BY post_id, rank"):
        lists.setdefault(slug[post], []).append(slug[other])
    db.close()
    subprocess.run(["rm", "-rf", indexes])
    return lists, seconds


def sklearn(corpus, slugs, sample):
    from sklearn.feature_extraction.text import TfidfVectorizer
    docs = [json.loads(line) for line in open(corpus)]
    t = time.perf_counter()
    m = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [d["title"] + "\n" + " ".join(d.get("tags", [])) + "\n" + d["body"] for d in docs])
    sims = (m[sample] @ m.T).toarray()
    lists = {}
    for row, i in enumerate(sample):
        sims[row, i] = -1
        top = np.argsort(-sims[row])[:10]
        lists[slugs[i]] = [slugs[j] for j in top]
    return lists, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--bin", default=os.environ.get("BLOGSEARCH_BIN", os.path.join(HERE, "../../.build/release/blogsearch")))
    ap.add_argument("--variant", action="append", default=[], help="LABEL:key=value,... (blogsearch index --tune)")
    ap.add_argument("--no-sklearn", action="store_true")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    corpus, truth = generate(a.posts)
    slugs, mix = load_truth(truth)
    sample = sorted(np.random.default_rng(7).choice(len(slugs), size=min(a.sample, len(slugs)), replace=False).tolist())
    print(f"Synthetic corpus: {len(slugs)} posts, {mix.shape[1]} topics; {len(sample)} sampled posts; gain = topic overlap")
    print()
    print("| engine | P@5 (overlap >= 0.5) | nDCG@10 | seconds |")
    print("|---|---|---|---|")
    if not a.no_sklearn:
        lists, s = sklearn(corpus, slugs, sample)
        p5, nd = evaluate(lists, slugs, mix, sample)
        print(f"| scikit-learn TfidfVectorizer(sublinear_tf, stop_words='english') cosine | {p5:.3f} | {nd:.3f} | {s:.1f} (sample only) |", flush=True)
    for label, tune in [("blogsearch (default)", "")] + [tuple(v.split(":", 1)) for v in a.variant]:
        lists, s = blogsearch(a.bin, corpus, tune)
        p5, nd = evaluate(lists, slugs, mix, sample)
        print(f"| {label} | {p5:.3f} | {nd:.3f} | {s:.1f} (whole index build) |", flush=True)


if __name__ == "__main__":
    main()
