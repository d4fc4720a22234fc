"""Scoring as in /work/shared/eval/README.md, for Cranfield (graded) and CACM (binary).

A run is {query id: [doc id, ...] best first}; qrels are {query id: {doc id: code}}.
nDCG@10 uses gain(code) with log2(rank + 1) discounts: `graded` (Cranfield, the default)
gives 5 - code for codes 1..4 (code -1, the source document, counts as not relevant);
`binary` (CACM) gives 1 to every judged document. MAP and Recall@100 count a document
relevant when its gain is positive. Every query of the qrels counts, and only those
(Cranfield: all 225; CACM: the 52 judged); MAP is over the whole ranking given (the
README's reference figures rank every match: runs here keep the top 1000, which equals that
on Cranfield); a query missing from the run or with nothing relevant retrieved scores 0.
"""
import math


def graded(code):
    """Cranfield: 5 - code for codes 1..4, else 0."""
    return 5 - code if 1 <= code <= 4 else 0


def binary(code):
    """CACM: every judged document (code as in the qrels, any positive value) gains 1."""
    return 1 if code > 0 else 0


def gains(judged, gain=graded):
    return {d: g for d, g in ((d, gain(c)) for d, c in judged.items()) if g > 0}


def ndcg(ranked, judged, k=10, gain=graded):
    g = gains(judged, gain)
    dcg = sum(g.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sum(x / math.log2(i + 2) for i, x in enumerate(sorted(g.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def average_precision(ranked, judged, gain=graded):
    rel = set(gains(judged, gain))
    hits, total = 0, 0.0
    for i, d in enumerate(ranked):
        if d in rel:
            hits += 1
            total += hits / (i + 1)
    return total / len(rel) if rel else 0.0


def recall(ranked, judged, k=100, gain=graded):
    rel = set(gains(judged, gain))
    return len(rel.intersection(ranked[:k])) / len(rel) if rel else 0.0


def evaluate(run, qrels, gain=graded):
    """Mean nDCG@10, MAP, Recall@100 over all queries in qrels (and no others)."""
    n = len(qrels)
    per = []
    for q, j in qrels.items():
        r = run.get(q, [])
        per.append((ndcg(r, j, gain=gain), average_precision(r, j, gain), recall(r, j, gain=gain)))
    return {"ndcg@10": sum(p[0] for p in per) / n, "map": sum(p[1] for p in per) / n,
            "r@100": sum(p[2] for p in per) / n, "per_query": per}


def fmt(m):
    return f"{m['ndcg@10']:.3f} | {m['map']:.3f} | {m['r@100']:.3f}"
