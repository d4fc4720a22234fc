"""Shared research plumbing: Cranfield loaded into an in-memory SQLite FTS5 table with the
engine's tokenizer, per-document porter tokens read back through fts5vocab('instance'),
query words stemmed by the same tokenizer, stop-word lists, and an evaluation helper."""
import os
import re
import sqlite3
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import cranfield  # noqa: E402
import score  # noqa: E402

TOKENIZE = "porter unicode61 remove_diacritics 2"
WORD = re.compile(r"[^\W_]+")  # unicode61: runs of letters/digits; '_' and punctuation separate


def stopwords(name):
    """'lucene' (33, = bm25s 'en'), 'nltk' (179, = bm25s 'en_plus'), 'sklearn' (318), 'none',
    'file' (../stopwords.txt, the recommended list)."""
    if name == "none":
        return frozenset()
    if name == "file":
        with open(os.path.join(os.path.dirname(HERE), "stopwords.txt")) as f:
            return frozenset(w.strip() for w in f if w.strip())
    if name == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        return frozenset(ENGLISH_STOP_WORDS)
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS
    return frozenset({"lucene": STOPWORDS_EN, "nltk": STOPWORDS_EN_PLUS}[name])


class Collection:
    """Docs, queries, qrels, and the FTS5 index `docs(title, body)` in memory."""

    def __init__(self):
        self.docs = cranfield.documents()
        self.queries = cranfield.queries()
        self.qrels = cranfield.qrels()
        self.db = db = sqlite3.connect(":memory:")
        db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{TOKENIZE}')")
        db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                       [(int(d), t, b) for d, t, b in self.docs])
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(docs, 'instance')")
        self.ids = [d for d, _, _ in self.docs]
        # fields[doc id] = (title tokens, body tokens) in position order
        toks = {d: ([], []) for d in self.ids}
        for term, doc, col, off in db.execute("SELECT term, doc, col, offset FROM v"):
            toks[str(doc)][0 if col == "title" else 1].append((off, term))
        self.fields = {d: tuple([t for _, t in sorted(f)] for f in fs) for d, fs in toks.items()}
        self._stem = {}

    def stem(self, words):
        """Porter stems exactly as FTS5 produces them, one per word (None if no token)."""
        new = [w for w in set(words) if w not in self._stem]
        if new:
            db = sqlite3.connect(":memory:")
            db.execute(f"CREATE VIRTUAL TABLE w USING fts5(x, tokenize='{TOKENIZE}')")
            db.executemany("INSERT INTO w(rowid, x) VALUES (?, ?)", enumerate(new, 1))
            db.execute("CREATE VIRTUAL TABLE wv USING fts5vocab(w, 'instance')")
            got = {doc: term for term, doc in db.execute("SELECT term, doc FROM wv")}
            for i, w in enumerate(new, 1):
                self._stem[w] = got.get(i)
        return [self._stem[w] for w in words if self._stem[w]]

    def query_words(self, text, stop=frozenset(), dedup=False):
        """Lower-cased query words minus stop words (what the engine hands to FTS5)."""
        words = [w for w in WORD.findall(text.lower()) if w not in stop]
        return list(dict.fromkeys(words)) if dedup else words

    def query_terms(self, text, stop=frozenset(), dedup=False):
        terms = self.stem(self.query_words(text, stop))
        return list(dict.fromkeys(terms)) if dedup else terms

    def fts_run(self, stop=frozenset(), dedup=False, limit=1000, rank="bm25(docs)"):
        """Real FTS5: OR of the quoted query words, ordered by `rank`."""
        run = {}
        for q, text in self.queries.items():
            m = fts_or_query(self.query_words(text, stop, dedup))
            run[q] = [str(r) for (r,) in self.db.execute(
                f"SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY {rank} LIMIT {limit}", (m,))]
        return run

    def evaluate(self, run):
        return score.evaluate(run, self.qrels)


def fts_or_query(terms):
    return " OR ".join('"%s"' % t.replace('"', '""') for t in terms)


def row(name, m):
    return f"| {name} | {score.fmt(m)} |"
