"""Step 3: "documents containing ALL query terms first, then the rest by score", and variants,
on FTS5 bm25() (clone) and on BM25F; also the subset of queries where the variants differ."""
from collections import Counter
from common import Collection, row
from rank import Index, stopwords
import score

c = Collection()
ix = Index(c)
stop = stopwords("nltk")
Q = {q: Counter(c.query_terms(t, stop)) for q, t in c.queries.items()}
sizes = Counter(min(len(t), 6) for t in Q.values())
print("distinct non-stop terms per query (6 = 6+):", dict(sorted(sizes.items())))

BASES = {"FTS5 bm25()": dict(fts5=True),
         "BM25F wt=3 k1=1.2 b=.75": dict(k1=1.2, b=(0.75, 0.75), w=(3, 1))}


def tiers(name, terms):
    n = len(terms)
    if name == "none":
        return None
    if name == "all terms first":
        return lambda d: ix.matched(d, terms) == n
    if name == "all terms first, only if <=3 terms":
        return (lambda d: ix.matched(d, terms) == n) if n <= 3 else None
    if name == "by #matched terms, only if 2-3 terms":
        return (lambda d: ix.matched(d, terms)) if 2 <= n <= 3 else None
    if name == "by #matched terms, always":
        return lambda d: ix.matched(d, terms)


short = [q for q, t in Q.items() if len(t) <= 3]
print(f"{len(short)} queries with <=3 distinct non-stop terms\n")
print("| base | tiering | nDCG@10 | MAP | R@100 | nDCG@10 on the <=3-term queries |\n|---|---|---|---|---|---|")
for bname, kw in BASES.items():
    scores = {q: ix.bm25f(t, **kw) for q, t in Q.items()}
    for tname in ["none", "all terms first", "all terms first, only if <=3 terms",
                  "by #matched terms, only if 2-3 terms", "by #matched terms, always"]:
        run = {q: ix.rank(scores[q], tiers(tname, list(Q[q]))) for q in Q}
        m = c.evaluate(run)
        sub = score.evaluate({q: run[q] for q in short}, {q: c.qrels[q] for q in short})
        print(f"| {bname} | {tname} " + row("", m)[3:] + f" {sub['ndcg@10']:.3f} |")

# Cranfield has almost no short queries: simulate them by cutting every query to k terms
# (its first k distinct non-stop terms, or its k rarest), judged by the full query's qrels.
print("\nsimulated short queries (BM25F wt=3 k1=1.2 b=.75):")
print("| short query | no tiering | all terms first | by #matched terms |\n|---|---|---|---|")
kw = BASES["BM25F wt=3 k1=1.2 b=.75"]
for how in ("first", "rarest"):
    for k in (2, 3):
        cells = []
        for tname in ["none", "all terms first", "by #matched terms, always"]:
            run = {}
            for q, t in Q.items():
                terms = list(t)
                if how == "rarest":
                    terms = sorted(terms, key=lambda x: -ix.idf(x))
                qt = Counter(terms[:k])
                run[q] = ix.rank(ix.bm25f(qt, **kw), tiers(tname, list(qt)))
            cells.append(score.fmt(c.evaluate(run)).replace(" | ", "/"))
        print(f"| {how} {k} terms | " + " | ".join(cells) + " |")
