"""Cranfield scoring as in /work/shared/eval/README.md.

A run is {query position: [doc id, ...] best first}. nDCG@10 uses graded gain 5 - code for
codes 1..4 (code -1, the source document, counts as not relevant) with log2(rank + 1)
discounts; MAP and Recall@100 use binary relevance (codes 1..4). Every query of the
qrels counts; MAP is over the whole ranking given (the README's reference figures rank
every match: runs here keep the top 1000, which equals that on Cranfield); a query missing from the run or with nothing relevant retrieved scores 0.
"""
import math


def gains(judged):
    return {d: 5 - c for d, c in judged.items() if 1 <= c <= 4}


def ndcg(ranked, judged, k=10):
    g = gains(judged)
    dcg = sum(g.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sum(x / math.log2(i + 2) for i, x in enumerate(sorted(g.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def average_precision(ranked, judged):
    rel = set(gains(judged))
    hits, total = 0, 0.0
    for i, d in enumerate(ranked):
        if d in rel:
            hits += 1
            total += hits / (i + 1)
    return total / len(rel) if rel else 0.0


def recall(ranked, judged, k=100):
    rel = set(gains(judged))
    return len(rel.intersection(ranked[:k])) / len(rel) if rel else 0.0


def evaluate(run, qrels):
    """Mean nDCG@10, MAP, Recall@100 over all queries in qrels."""
    n = len(qrels)
    per = [(ndcg(run.get(q, []), j), average_precision(run.get(q, []), j), recall(run.get(q, []), j))
           for q, j in qrels.items()]
    return {"ndcg@10": sum(p[0] for p in per) / n, "map": sum(p[1] for p in per) / n,
            "r@100": sum(p[2] for p in per) / n, "per_query": per}


def fmt(m):
    return f"{m['ndcg@10']:.3f} | {m['map']:.3f} | {m['r@100']:.3f}"
