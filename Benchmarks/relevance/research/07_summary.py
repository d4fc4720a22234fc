"""Step 7: the ingredient ladder (each row adds one thing), a paired randomisation test against
plain FTS5, and 2-fold cross-validation of the BM25F grid (tune on odd queries, test on even
and vice versa) as an overfitting check."""
import itertools
import random
from collections import Counter
from common import Collection, row
from rank import Index, stopwords
import score

c = Collection()
ix = Index(c)
nltk = stopwords("nltk")
skip = frozenset(c.stem(sorted(nltk)))
Qn = {q: Counter(c.query_terms(t)) for q, t in c.queries.items()}
Qs = {q: Counter(c.query_terms(t, nltk)) for q, t in c.queries.items()}
allfirst = lambda t: (lambda d: ix.matched(d, list(t)) == len(t))  # noqa: E731
F = dict(k1=1.5, b=(0.75, 0.75), w=(3, 1))


def go(Q, kw, tier=False, tp=0.0, rm3=None):
    run = {}
    for q, t in Q.items():
        s = ix.bm25f(t, **kw)
        if rm3:
            e = ix.rm3(t, s, *rm3, skip=skip)  # weights sum to 1: rescale to the query's size
            s = ix.bm25f(Counter({k: v * sum(t.values()) for k, v in e.items()}), **kw)
        if tp:
            s = ix.bm25tp(t, s, kw.get("k1", 1.2), tp)
        run[q] = ix.rank(s, allfirst(t) if tier else None)
    return c.evaluate(run)


ladder = [("FTS5 bm25(), OR of all words", go(Qn, dict(fts5=True))),
          ("+ NLTK stop words dropped", go(Qs, dict(fts5=True))),
          ("+ BM25F title 3 / body 1, b .75/.75, k1 1.2", go(Qs, dict(F, k1=1.2))),
          ("+ k1 1.5", go(Qs, F)),
          ("+ all-terms-first tiering (product rule)", go(Qs, F, tier=True)),
          ("+ BM25TP proximity, weight 0.5, window 5", go(Qs, F, tier=True, tp=0.5)),
          ("+ RM3 (5 docs, 10 terms, orig 0.5), no BM25TP", go(Qs, F, tier=True, rm3=(5, 10, 0.5))),
          ("+ RM3 and BM25TP", go(Qs, F, tier=True, tp=0.5, rm3=(5, 10, 0.5))),
          ("BM25F + tiering + BM25TP, with ../stopwords.txt", go({q: Counter(c.query_terms(t, stopwords("file"))) for q, t in c.queries.items()}, F, tier=True, tp=0.5))]
print("| variant | nDCG@10 | MAP | R@100 |\n|---|---|---|---|")
for name, m in ladder:
    print(row(name, m))

rng = random.Random(1)
base = [p[0] for p in ladder[0][1]["per_query"]]
for name, m in ladder[1:]:
    diff = [p[0] - b for p, b in zip(m["per_query"], base)]
    obs = abs(sum(diff))
    hits = sum(abs(sum(d if rng.random() < .5 else -d for d in diff)) >= obs for _ in range(2000))
    print(f"vs FTS5 baseline: {name}: {sum(d > 0 for d in diff)} queries up, "
          f"{sum(d < 0 for d in diff)} down, randomisation p = {hits / 2000:.3f}")

grid = list(itertools.product((1, 2, 3, 5), (0.9, 1.2, 1.5, 2.0), (0.5, 0.75, 0.9), (0.5, 0.75, 0.9)))
per = {g: [p[0] for p in go(Qs, dict(w=(g[0], 1), k1=g[1], b=(g[2], g[3])))["per_query"]] for g in grid}
qs = list(Qs)
folds = [[i for i, q in enumerate(qs) if q % 2 == r] for r in (0, 1)]
mean = lambda g, idx: sum(per[g][i] for i in idx) / len(idx)  # noqa: E731
print("\n2-fold CV over the BM25F grid (w_title, k1, b_title, b_body):")
for a, b in ((0, 1), (1, 0)):
    best = max(grid, key=lambda g: mean(g, folds[a]))
    print(f"tuned on fold {a}: {best} -> fold {b} nDCG@10 {mean(best, folds[b]):.3f} "
          f"(recommended (3, 1.5, .75, .75): {mean((3, 1.5, 0.75, 0.75), folds[b]):.3f}, "
          f"FTS5-like (1, 1.2, .75, .75): {mean((1, 1.2, 0.75, 0.75), folds[b]):.3f})")
