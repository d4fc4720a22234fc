"""Python re-implementations of the candidate ranking functions over FTS5's own porter tokens:
FTS5 bm25(), BM25F (per-field b and weight, tf summed before saturation), all-terms tiering,
RM3 pseudo-relevance feedback and a BM25TP proximity bonus. Candidates = docs matching any
query term (the OR query the engine runs), ranked by score, ties by doc id."""
import math
from collections import Counter, defaultdict

from common import Collection, stopwords  # noqa: F401  (re-exported for the scripts)


class Index:
    def __init__(self, c: Collection):
        self.c = c
        self.N = len(c.ids)
        self.post = defaultdict(dict)  # term -> {doc: (tf title, tf body)}
        self.len = {}
        self.pos = {}  # doc -> {term: [positions in title + gap + body]}
        for d, (t, b) in c.fields.items():
            self.len[d] = (len(t), len(b))
            for fi, toks in enumerate((t, b)):
                for term, n in Counter(toks).items():
                    old = self.post[term].get(d, (0, 0))
                    self.post[term][d] = (old[0] + n, old[1]) if fi == 0 else (old[0], old[1] + n)
            p = defaultdict(list)
            for i, term in enumerate(t + [None] * 50 + b):
                if term:
                    p[term].append(i)
            self.pos[d] = p
        self.avg = tuple(sum(x[i] for x in self.len.values()) / self.N for i in (0, 1))

    def idf(self, term, kind="fts5"):
        n = len(self.post.get(term, ()))
        if kind == "lucene":
            return math.log(1 + (self.N - n + 0.5) / (n + 0.5))
        return max(1e-6, math.log((self.N - n + 0.5) / (n + 0.5)))  # FTS5's bm25()

    def bm25f(self, qterms, k1=1.2, b=(0.75, 0.75), w=(1.0, 1.0), idf="fts5", fts5=False):
        """qterms: Counter term -> query weight (repeated words add up).
        fts5=True: FTS5 bm25() = one length norm over the whole row (b[0] used)."""
        score = defaultdict(float)
        avg_all = self.avg[0] + self.avg[1]
        for term, qw in qterms.items():
            i = self.idf(term, idf)
            for d, (tt, tb) in self.post.get(term, {}).items():
                lt, lb = self.len[d]
                if fts5:
                    tf = (w[0] * tt + w[1] * tb) / (1 - b[0] + b[0] * (lt + lb) / avg_all)
                else:
                    tf = (w[0] * tt / (1 - b[0] + b[0] * lt / self.avg[0]) +
                          w[1] * tb / (1 - b[1] + b[1] * lb / self.avg[1]))
                score[d] += qw * i * tf * (k1 + 1) / (k1 + tf)
        return score

    def matched(self, d, terms):
        return sum(1 for t in terms if d in self.post.get(t, ()))

    def rank(self, score, tier=None, depth=1000):
        """tier(d) -> sort key placed before the score (higher first), or None."""
        key = (lambda d: (-score[d], int(d))) if tier is None else \
            (lambda d: (-tier(d), -score[d], int(d)))
        return sorted(score, key=key)[:depth]

    def rm3(self, qterms, score, fb_docs=10, fb_terms=10, orig=0.5, skip=frozenset()):
        """RM3: expansion weights sum_D P(w|D) * normalised score(D) over the top fb_docs."""
        top = sorted(score, key=lambda d: (-score[d], int(d)))[:fb_docs]
        z = sum(score[d] for d in top) or 1.0
        rel = Counter()
        for d in top:
            toks = Counter(self.c.fields[d][0] + self.c.fields[d][1])
            n = sum(toks.values()) or 1
            for t, k in toks.items():
                if t not in skip and not t.isdigit():
                    rel[t] += k / n * score[d] / z
        exp = dict(rel.most_common(fb_terms))
        ez, qz = sum(exp.values()) or 1.0, sum(qterms.values())
        out = Counter()
        for t, v in qterms.items():
            out[t] += orig * v / qz
        for t, v in exp.items():
            out[t] += (1 - orig) * v / ez
        return out

    def bm25tp(self, qterms, score, k1=1.2, weight=1.0, window=5):
        """BM25TP (Rasolofo & Savoy 2003): pairs of distinct query terms within `window`
        tokens add 1/dist^2 to both terms' proximity mass, saturated like tf."""
        terms = list(qterms)
        out = dict(score)
        for d in score:
            p = self.pos[d]
            present = [t for t in terms if t in p]
            if len(present) < 2:
                continue
            acc = Counter()
            for i, a in enumerate(present):
                for bt in present[i + 1:]:
                    for x in p[a]:
                        for y in p[bt]:
                            dist = abs(x - y)
                            if 0 < dist <= window:
                                acc[a] += 1 / dist ** 2
                                acc[bt] += 1 / dist ** 2
            out[d] += weight * sum(min(1.0, self.idf(t)) * v * (k1 + 1) / (k1 + v)
                                   for t, v in acc.items())
        return out

