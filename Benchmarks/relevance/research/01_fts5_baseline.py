"""Step 1: real FTS5 bm25(), OR of the query words, per stop-word list, repeated words kept
or deduplicated. Reference: 0.362 (no stop words), 0.370 (English stop words dropped)."""
import time
from common import Collection, stopwords, row

c = Collection()
print("| FTS5 bm25() OR-of-words | nDCG@10 | MAP | R@100 | ms/query |\n|---|---|---|---|---|")
for name in ["none", "lucene", "nltk", "sklearn"]:
    for dedup in (False, True):
        t = time.perf_counter()
        run = c.fts_run(stopwords(name), dedup)
        ms = (time.perf_counter() - t) * 1000 / len(run)
        print(row(f"stop={name}{' dedup' if dedup else ''}", c.evaluate(run)) + f" {ms:.2f} |")
