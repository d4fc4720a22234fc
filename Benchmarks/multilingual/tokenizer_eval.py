#!/usr/bin/env python3
"""How the multilingual tokenizer's variants find CJK and Korean words, on a page-bundle blog (SLUG/index.LANG.md).

usage: tokenizer_eval.py EXT.so PAGES_DIR CASES.json
  EXT.so     CSQLiteExtras as a loadable extension, from the package root:
             gcc -O2 -fPIC -shared -ISources/CSQLiteExtras/include -ISources/CSQLiteExtras Sources/CSQLiteExtras/*.c \
                 Benchmarks/multilingual/ext.c -o /tmp/blogsearch-ext.so -lsqlite3 -lstemmer -licuuc
  CASES.json from ../shared/eval/multilingual/make_cases.py (groups word-cjk and word-ko are used)
Needs a Python whose sqlite3 can load extensions (Debian's /usr/bin/python3 can).

For each variant (`tokenize=` arguments), every post is a row of one FTS5 table, marked with its language; each
case's word is a quoted phrase marked with its language, ranked by bm25. Printed per group: cases whose post is
found at all and in the top 3, and the mean number of other posts matched (the word is in no other post's text,
so each is a false match). For every CJK term of the first variant's index (two characters or more) and every Hangul word of
the posts (space-separated, at least two syllables): posts matched that do not hold the word (false) and posts
holding it that are not matched (missed).
"""
import json, os, re, sqlite3, sys

EXT, PAGES, CASES = sys.argv[1:4]
cases = json.load(open(CASES))["cases"]

posts = []  # (id, lang, text)
for slug in sorted(os.listdir(PAGES)):
    d = os.path.join(PAGES, slug)
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.fullmatch(r"index(?:\.([a-z]{2}(?:-[a-z]+)?))?\.md", f)
        if m:
            posts.append((f"{slug}/{f}", m.group(1) or "en", open(os.path.join(d, f), encoding="utf-8").read()))

def mark(text, lang):
    return "\x01" + lang + "\x02" + text

def phrase(word, lang):
    return '"' + mark(word.replace('"', '""'), lang) + '"'

VARIANTS = ["blogsearch", "blogsearch han bigrams", "blogsearch korean particles"]
for variant in VARIANTS:
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(EXT)
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{variant}')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", [(i + 1, mark(text, lang)) for i, (_, lang, text) in enumerate(posts)])
    row_of = {pid: i + 1 for i, (pid, _, _) in enumerate(posts)}
    print(f"== tokenize='{variant}'")
    for group in ["word-cjk", "word-ko"]:
        gc = [c for c in cases if c["group"] == group]
        found = top3 = others = 0
        for c in gc:
            rows = [r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t)", (phrase(c["query"], c["lang"]),))]
            target = row_of[c["target"]]
            found += target in rows
            top3 += target in rows[:3]
            others += len([r for r in rows if r != target])
        if gc:
            print(f"  {group}: {len(gc)} cases, found {found} ({100 * found / len(gc):.0f}%), top 3 {top3} ({100 * top3 / len(gc):.0f}%), "
                  f"other posts matched per case {others / len(gc):.2f}")
    # Every CJK term of two characters or more of the first variant's index: the posts holding it as a substring
    # should match.
    if variant == VARIANTS[0]:
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, row)")
        cjk = [w for (w,) in db.execute("SELECT term FROM v") if len(w) >= 2 and re.fullmatch(r"[\u3040-\u30ff\u4e00-\u9fff]+", w)]
    false = missed = pairs = 0
    for w in cjk:
        lang = next(l for _, l, text in posts if l != "ko" and w in text)
        rows = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (phrase(w, lang),))}
        holders = {row_of[pid] for pid, l, text in posts if l != "ko" and w in text}
        false += len(rows - holders)
        missed += len(holders - rows)
        pairs += len(holders)
    print(f"  CJK words: {len(cjk)}, (word, post holding it) pairs {pairs}, false matches {false}, missed {missed}")
    words = sorted({w for _, lang, text in posts if lang == "ko" for w in re.findall(r"[\uac00-\ud7a3]{2,}", text)})
    false = missed = 0
    for w in words:
        rows = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (phrase(w, "ko"),))}
        holders = {row_of[pid] for pid, lang, text in posts if lang == "ko" and w in text}
        false += len(rows - holders)
        missed += len(holders - rows)
    print(f"  Korean words: {len(words)}, false matches {false}, missed {missed}")
