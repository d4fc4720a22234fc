"""Step 2: check the Python FTS5-bm25() clone against real FTS5, then the BM25F grid:
title weight x k1 x b_title x b_body (body weight 1), query stop words = sys.argv[1] (nltk)."""
import sys
from collections import Counter
from common import Collection, row
from rank import Index, stopwords

c = Collection()
ix = Index(c)
stop = stopwords(sys.argv[1] if len(sys.argv) > 1 else "nltk")
Q = {q: Counter(c.query_terms(t, stop)) for q, t in c.queries.items()}


def ev(**kw):
    return c.evaluate({q: ix.rank(ix.bm25f(t, **kw)) for q, t in Q.items()})


print("| variant | nDCG@10 | MAP | R@100 |\n|---|---|---|---|")
print(row("real FTS5 bm25()", c.evaluate(c.fts_run(stop, limit=1000))))
print(row("python clone of FTS5 bm25()", ev(fts5=True)))
print(row("clone, lucene idf", ev(fts5=True, idf="lucene")))
res = []
for wt in (1, 2, 3, 5):
    for k1 in (0.9, 1.2, 1.5, 2.0):
        for bt in (0.5, 0.75, 0.9):
            for bb in (0.5, 0.75, 0.9):
                m = ev(k1=k1, b=(bt, bb), w=(wt, 1))
                res.append((m["ndcg@10"], f"BM25F wt={wt} k1={k1} bt={bt} bb={bb}", m))
for wt in (1, 2, 3, 5):
    best = max(r for r in res if f"wt={wt} " in r[1])
    print(row(best[1] + " (best for this wt)", best[2]))
print("\ntop 15 of the grid:")
for n, name, m in sorted(res, key=lambda r: -r[0])[:15]:
    print(row(name, m))
print("\nk1=1.2 b=0.75/0.75, by title weight:")
for wt in (1, 2, 3, 5):
    print(row(f"BM25F wt={wt}", next(r[2] for r in res if r[1] == f"BM25F wt={wt} k1=1.2 bt=0.75 bb=0.75")))
print("\nk1 slice, b=0.75/0.75:")
for wt in (1, 3):
    for k1 in (0.9, 1.2, 1.5, 2.0):
        print(row(f"BM25F wt={wt} k1={k1}", next(r[2] for r in res if r[1] == f"BM25F wt={wt} k1={k1} bt=0.75 bb=0.75")))
