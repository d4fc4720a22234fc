"""Step 6: query stop-word list (none / Lucene 33 / NLTK 179 / scikit-learn 318) and keeping
repeated query words (query term frequency) vs deduplicating, on FTS5 bm25() and BM25F."""
from collections import Counter
from common import Collection, row
from rank import Index, stopwords

c = Collection()
ix = Index(c)
print("| ranking | stop words | query words | nDCG@10 | MAP | R@100 |\n|---|---|---|---|---|---|")
for rname, kw in {"FTS5 bm25()": dict(fts5=True),
                  "BM25F wt=3 k1=1.2": dict(k1=1.2, w=(3, 1)),
                  "BM25F wt=3 k1=2.0": dict(k1=2.0, w=(3, 1))}.items():
    for sname in ("none", "lucene", "nltk", "sklearn"):
        stop = stopwords(sname)
        for dedup in (False, True):
            run = {q: ix.rank(ix.bm25f(Counter(c.query_terms(t, stop, dedup)), **kw))
                   for q, t in c.queries.items()}
            print(f"| {rname} | {sname} ({len(stop)}) | {'dedup' if dedup else 'repeats kept'} "
                  + row("", c.evaluate(run))[3:])
