"""Step 4: RM3 pseudo-relevance feedback on top of BM25F: a first pass, expansion terms from
the top fb_docs documents (stop words and numbers excluded), a second pass with the mixed query."""
from collections import Counter
from common import Collection, row
from rank import Index, stopwords

c = Collection()
ix = Index(c)
stop = stopwords("nltk")
skip = frozenset(c.stem(sorted(stop)))
Q = {q: Counter(c.query_terms(t, stop)) for q, t in c.queries.items()}
print("| variant | nDCG@10 | MAP | R@100 |\n|---|---|---|---|")
for k1 in (1.2, 2.0):
    kw = dict(k1=k1, b=(0.75, 0.75), w=(3, 1))
    first = {q: ix.bm25f(t, **kw) for q, t in Q.items()}
    print(row(f"BM25F wt=3 k1={k1}, no PRF", c.evaluate({q: ix.rank(s) for q, s in first.items()})))
    for docs in (5, 10):
        for terms in (10, 20):
            for orig in (0.5, 0.7):
                run = {q: ix.rank(ix.bm25f(ix.rm3(Q[q], first[q], docs, terms, orig, skip), **kw))
                       for q in Q}
                print(row(f"k1={k1} + RM3 docs={docs} terms={terms} orig={orig}", c.evaluate(run)))
