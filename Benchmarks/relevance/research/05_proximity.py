"""Step 5: BM25TP term-proximity bonus (pairs of distinct query terms within 5 tokens) added
to BM25F; positions are FTS5's token offsets (title, then body)."""
from collections import Counter
from common import Collection, row
from rank import Index, stopwords

c = Collection()
ix = Index(c)
stop = stopwords("nltk")
Q = {q: Counter(c.query_terms(t, stop)) for q, t in c.queries.items()}
print("| variant | nDCG@10 | MAP | R@100 |\n|---|---|---|---|")
for k1 in (1.2, 2.0):
    kw = dict(k1=k1, b=(0.75, 0.75), w=(3, 1))
    base = {q: ix.bm25f(t, **kw) for q, t in Q.items()}
    print(row(f"BM25F wt=3 k1={k1}", c.evaluate({q: ix.rank(s) for q, s in base.items()})))
    for weight in (0.5, 1.0, 2.0):
        for window in (3, 5):
            run = {q: ix.rank(ix.bm25tp(Q[q], base[q], k1, weight, window)) for q in Q}
            print(row(f"k1={k1} + BM25TP weight={weight} window={window}", c.evaluate(run)))
