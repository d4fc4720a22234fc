#!/usr/bin/env python3
"""Deterministic synthetic blog corpus for blogsearch benchmarks (JSON Lines, one post per line).

Usage:
    python generate.py --posts 10000 --seed 42 --out corpus-10k.jsonl \
        [--truth truth.jsonl] [--queries queries.jsonl] [--jobs 2]

Generative model (a small topic model with a Zipf background, in the spirit of LDA):

* Vocabulary. V word types (50k at 1k posts, ~100k at 10k, ~200k at 100k; `--vocab` overrides), ranked by a
  Zipf law p(rank r) ~ 1/(r+2)^s (s = 1.2, r from 0). The top ranks are ~300 real English function words
  ("the", "of", "and", ..., contractions such as "don't"), interleaved more and more sparsely with frequent
  content words, so that stop-word handling matters; the rest are pronounceable pseudo-words (random
  syllables, shorter words at higher frequency), a few numbers, and ~18% inflected forms (-s, -ed, -ing,
  -er, -ly) of other pseudo-words, placed at lower frequency than their base word, so stemming conflates
  real variants. The tail of the law is the rare vocabulary.
* Topics. K topics (40 at 1k posts, 60 at 10k, 80 at 100k), each a list of 300 content words drawn
  log-uniformly over the ranks (so favoured words range from fairly common to rare) with Zipf-Mandelbrot
  weights 1/(r + 10) over the list (the top word is ~2.7% of a topic's tokens). Each topic has a
  popularity that drifts linearly (in log) over the 8 years, a category (8-15 categories, each a group of
  topics) and 12 tags made of its top words.
* Posts. Dates over 2017-2024 with a rising posting rate, slugs in date order. Each post draws 1-3 topics
  (30/45/25%; the main one by dated popularity, the others half the time from the main topic's category)
  with Dirichlet(1.5) weights sorted descending. Body: 300-1200 tokens (log-normal, median 660); each token
  is, with the post's background share b ~ U(0.40, 0.60), a Zipf background word; with probability 0.02 one
  of the post's 3-8 "local" words (names and the like drawn from the rare half of the vocabulary, bursty
  inside one post and its comments); otherwise a word of one of its topics, chosen by weight. Sentences of
  ~14 words (gamma lengths, at least 4) with capitals, commas, '.', '?' and '!', paragraphs of ~5 sentences
  separated by a blank line. Title: 4-10 words mostly from the main topic's top words with a few function
  words, in title case. Tags: 2-5, 80% from the post's topics by weight, 20% from an unrelated topic.
  Category: the main topic's, plus a second one for ~15% of posts. Author: one of 10-40, each with
  category preferences. A topic's three two-word tags are collocations: in its text the first word is
  followed by the second 60% of the time.
* Comments. Binomial(30, p) with p ~ Beta(1.3, 1.3) per post (0-30, mean 15 at every size); 10-80 tokens
  (log-normal, median 35) with background share b + 0.12 and the post's topics, 20% opening with a short
  real-English phrase ("Thanks for this."); times after the post, increasing; ~30% are replies
  (`replyTo` = an earlier comment of the same post, biased to recent ones); authors from a Zipf-weighted
  pool of readers, sometimes the post's author.

Outputs besides the corpus: `--truth` gives each post's topic mixture (two posts are related in proportion
to the overlap of their mixtures, e.g. the sum of min weights); `--queries` gives ~300 queries of seven
classes built from the generated text, with document frequencies counted exactly over whole posts (title,
body and comments). A term's class (rare: <= 0.1% of posts, medium: 1-5%, common: > 20%) must hold both
for the word itself and for its stem group: its Porter stem when nltk is importable (as the engine's FTS5
`porter` tokenizer would conflate), else the generator's own inflection groups.

Same --posts, --seed (and --vocab, --topics) give byte-identical output whatever --jobs is: every batch of
500 posts has its own random stream derived from the seed.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import re
import sys
import time

import numpy as np

BATCH = 500            # posts per work unit (part of the output's definition: keep fixed)
TOPIC_WORDS = 300      # favoured words per topic
ZIPF_S = 1.2           # exponent of the background Zipf law
TAGS_PER_TOPIC = 12
START_DAY = np.datetime64("2017-01-01", "D")
END_DAY = np.datetime64("2024-12-31", "D")

# Real English function words (and a few near-function words), roughly by frequency. Includes all of
# NLTK's English stop words except the contraction fragments (don, t, ll, ...), which the contractions
# below produce when a tokenizer splits them.
FUNCTION_WORDS = """
the of and to a in is that it for I you was on with as be this are have but not at by he they we from or
an his so if can there all my what about which one do will would their more has out just up when been were
like me also some your them no how then than only its had other into could she her our these even any
because very who should much over most after where get those us him well through may being really many here
too why both still does did each same while few again own such off before down might never every always
often between without under against during since until around though although whether however yet already
perhaps quite rather almost enough maybe actually probably anyway instead else nothing something anything
everything someone anyone everyone nobody somebody either neither several another once twice above below
across along among behind beyond near toward towards upon within throughout onto via per despite unless
whereas whenever wherever whatever whoever whom whose myself yourself himself herself itself ourselves
yourselves themselves ours yours hers theirs mine am having doing got getting let must shall ought need
used make made go going went come came see seen know knew think say said take want way thing things lot bit
kind sort now today later soon first last next new old good better best less least sure right true able
don't it's I'm can't doesn't isn't I've that's there's won't didn't you're we're they're I'd let's wasn't
aren't haven't wouldn't couldn't shouldn't nor further hence thus therefore meanwhile otherwise indeed
besides still anyhow somewhat nearly mostly usually sometimes simply just also else ever lately thereby
what's here's who's where's how's what're you've we've they've you'll we'll they'll I'll he's she's
""".split()

NUMBERS = list(dict.fromkeys([str(n) for n in list(range(0, 31)) + [40, 45, 50, 60, 64, 80, 90, 99, 100, 128, 200,
                                                                    250, 256, 300, 500, 512, 1000, 1024, 5000,
                                                                    10000] + list(range(1990, 2026))]))

ONSETS = ["", "", "", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "z", "br", "bl", "cr", "cl", "dr", "fr", "fl", "gr", "gl", "pr", "pl", "tr", "st", "sp", "sk", "sl",
          "sn", "sh", "ch", "th", "qu", "wh"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "i", "ai", "ea", "ee", "oo", "ou", "io", "ie", "au"]
CODAS_END = ["", "", "", "", "n", "r", "l", "s", "t", "m", "k", "d", "nd", "nt", "st", "rt", "rn", "ng", "ck",
             "x", "sh", "lt", "mp"]
CODAS_MID = ["", "", "", "", "n", "r", "l", "s", "m", "t"]
SUFFIXES = ["s", "s", "s", "ed", "ing", "er", "ly"]

CATEGORY_NAMES = ["Programming", "Travel", "Cooking", "Photography", "Music", "Science", "Gardening",
                  "Personal Finance", "Health", "Books", "Design", "Politics", "Sports", "Games", "Parenting"]
FIRST_NAMES = ["Ada", "Alex", "Amara", "Ben", "Carla", "Chen", "Dana", "Diego", "Elena", "Emeka", "Farah",
               "Felix", "Grace", "Hana", "Ian", "Ines", "Jonas", "Julia", "Kai", "Kofi", "Lars", "Lena", "Luca",
               "Maya", "Mara", "Nadia", "Noah", "Omar", "Olga", "Priya", "Quinn", "Rahul", "Rosa", "Sam",
               "Sofia", "Tariq", "Tess", "Uma", "Victor", "Wen", "Yara", "Yusuf", "Zoe", "Ravi", "Marta",
               "Pavel", "Aiko", "Leon", "Nina", "Oscar"]
LAST_NAMES = ["Adams", "Baker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes", "Ivanova",
              "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quintero", "Rossi",
              "Schmidt", "Tanaka", "Urban", "Vargas", "Weber", "Xu", "Yilmaz", "Zimmer", "Stone", "Raman",
              "Pace", "Novak", "Silva", "Murphy", "Kim", "Haddad", "Brennan", "Lindqvist", "Mensah", "Ortiz",
              "Park", "Reyes"]
OPENERS = ["Thanks for this.", "Great post!", "Interesting.", "Good point.", "I disagree.", "Nice write-up.",
           "Thank you!", "Agreed.", "Hmm.", "Same here.", "Not sure about this.", "Love this."]
TITLE_FW = ["the", "of", "and", "for", "with", "in", "to", "a", "on", "your", "my", "from", "about", "without",
            "vs", "how", "why", "what", "when", "after", "before", "beyond", "into", "is"]
QUESTION_TEMPLATES = [
    "how do I {} the {} when {} is not working",
    "what is the best way to {} {} with {}",
    "why does my {} keep {} after I {} the {}",
    "can someone explain the difference between {} and {} in {}",
    "is it possible to {} a {} without {} the {} first",
    "where can I find a good {} for {} and {}",
    "what should I do if the {} and the {} are both {}",
    "does anyone know how {} affects {} when you are {}",
    "how long does it take to {} a {} with only {}",
    "which {} is better for {} if I already have a {}",
    "I want to {} my {} but I am not sure about the {}",
    "are there any {} that work with {} and {} at the same time",
]


def parse_count(text):
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1000, "m": 1000000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


class Model:
    """Everything shared by all posts: vocabulary, topics, tags, categories, authors, dates."""

    def __init__(self, n_posts, seed, vocab_size=None, n_topics=None, n_queries_sample=3000):
        self.n_posts = n_posts
        self.seed = seed
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
        scale = min(2.0, max(0.0, math.log10(max(n_posts, 1) / 1000)))   # 0 at 1k, 1 at 10k, 2 at 100k
        self.V = vocab_size or int(min(200000, max(50000, round(50000 * (max(n_posts, 1) / 1000) ** 0.3))))
        self.K = n_topics or int(round(40 + 20 * scale))
        self.C = int(min(15, max(8, round(8 + 3.5 * scale))))
        self.A = int(round(10 + 15 * scale))
        self.P = int(min(25000, max(300, n_posts // 4)))      # pool of commenters
        self._build_vocab(rng)
        self._build_topics(rng)
        self._build_people(rng)
        self._build_dates(rng)
        qrng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2,)))
        self.sampled = np.zeros(n_posts, dtype=bool)
        self.sampled[qrng.choice(n_posts, size=min(n_posts, n_queries_sample), replace=False)] = True
        self.slug_width = max(6, len(str(max(n_posts - 1, 0))))

    # -- vocabulary ---------------------------------------------------------------------------------
    def _build_vocab(self, rng):
        fw = list(dict.fromkeys(FUNCTION_WORDS))
        fw_lower = {w.lower() for w in fw}
        numbers = [n for n in NUMBERS if n not in fw_lower]
        n_content = self.V - len(fw)
        n_infl = int(0.18 * n_content)
        n_base = n_content - n_infl - len(numbers)

        # Pseudo-words, unique, never a function word.
        words, seen = [], set(fw_lower) | set(numbers)
        while len(words) < n_base:
            m = int((n_base - len(words)) * 1.1) + 100
            nsyl = rng.choice([1, 2, 3, 4], size=m, p=[0.10, 0.45, 0.35, 0.10])
            on = rng.integers(0, len(ONSETS), size=(m, 4))
            vo = rng.integers(0, len(VOWELS), size=(m, 4))
            cm = rng.integers(0, len(CODAS_MID), size=(m, 4))
            ce = rng.integers(0, len(CODAS_END), size=m)
            for i in range(m):
                k = nsyl[i]
                parts = []
                for j in range(k):
                    parts.append(ONSETS[on[i, j]] if j == 0 or ONSETS[on[i, j]] else "l")
                    parts.append(VOWELS[vo[i, j]])
                    parts.append(CODAS_END[ce[i]] if j == k - 1 else CODAS_MID[cm[i, j]])
                w = "".join(parts)
                if len(w) >= 3 and w not in seen:
                    seen.add(w)
                    words.append(w)
                    if len(words) == n_base:
                        break
        # Shorter words are more frequent (with noise): sort keys become ranks.
        keys = np.array([len(w) for w in words], dtype=float) + rng.normal(0, 2.0, size=len(words))
        order = np.argsort(keys, kind="stable")
        words = [words[i] for i in order]
        items = [(float(i), w, i) for i, w in enumerate(words)]     # (sort key, word, base index)

        # Inflected forms: a base word plus a suffix, less frequent than the base.
        infl, tries = [], 0
        bases = rng.integers(0, max(1, n_base // 2), size=n_infl * 6)
        sufs = rng.integers(0, len(SUFFIXES), size=n_infl * 6)
        factors = np.exp(rng.normal(1.0, 0.7, size=n_infl * 6))
        while len(infl) < n_infl and tries < len(bases):
            b = int(bases[tries])
            w = words[b] + SUFFIXES[sufs[tries]]
            if w not in seen:
                seen.add(w)
                infl.append(((b + 1) * factors[tries], w, b))
            tries += 1
        items += infl
        num_keys = np.exp(rng.uniform(math.log(50), math.log(20000), size=len(numbers)))
        items += [(float(k), n, -1) for k, n in zip(num_keys, numbers)]
        items.sort(key=lambda t: (t[0], t[1]))
        content = items

        # Interleave: function word i sits at rank i + i^2/400 (so ~150 content words among the top 400).
        V = len(fw) + len(content)
        self.V = V
        fw_pos = [i + (i * i) // 400 for i in range(len(fw))]
        is_fw_rank = np.zeros(V, dtype=bool)
        is_fw_rank[fw_pos] = True
        vocab = [None] * V
        is_func = np.zeros(V, dtype=bool)
        is_number = np.zeros(V, dtype=bool)
        base_of_word = {}
        ci = 0
        fi = 0
        content_base = [None] * V
        for r in range(V):
            if is_fw_rank[r]:
                vocab[r] = fw[fi]
                is_func[r] = True
                fi += 1
            else:
                key, w, b = content[ci]
                vocab[r] = w
                content_base[r] = b
                if b < 0:
                    is_number[r] = True
                ci += 1
        for r, w in enumerate(vocab):
            base_of_word.setdefault(w, r)
        # Inflection groups (fallback for stem grouping): the rank of the base word.
        lemma = np.arange(V, dtype=np.int64)
        for r in range(V):
            b = content_base[r]
            if b is not None and b >= 0 and vocab[r] != words[b]:
                lemma[r] = base_of_word[words[b]]
        self.vocab = vocab
        self.is_func = is_func
        self.is_number = is_number
        self.lemma = lemma
        self.vocab_arr = np.array(vocab, dtype=object)
        self.vocab_cap_arr = np.array([w[:1].upper() + w[1:] for w in vocab], dtype=object)
        p = 1.0 / np.arange(2, V + 2, dtype=np.float64) ** ZIPF_S      # Zipf-Mandelbrot, q = 1
        self.bg_cdf = np.cumsum(p / p.sum())
        self.F = len(fw)

    # -- topics, categories, tags -------------------------------------------------------------------
    def _build_topics(self, rng):
        K, V = self.K, self.V
        content = ~(self.is_func | self.is_number)
        lo, hi = math.log(200), math.log(V)
        topic_words = np.zeros((K, TOPIC_WORDS), dtype=np.int32)
        for k in range(K):
            chosen = []
            got = set()
            while len(chosen) < TOPIC_WORDS:
                r = np.exp(rng.uniform(lo, hi, size=TOPIC_WORDS * 2)).astype(np.int64)
                for x in r:
                    x = int(min(x, V - 1))
                    if content[x] and x not in got:
                        got.add(x)
                        chosen.append(x)
                        if len(chosen) == TOPIC_WORDS:
                            break
            topic_words[k] = chosen
        self.topic_words = topic_words
        p = 1.0 / (np.arange(1, TOPIC_WORDS + 1, dtype=np.float64) + 10.0)   # Zipf-Mandelbrot, flat head
        self.topic_cdf = np.cumsum(p / p.sum())
        pt = p[:60]
        self.title_cdf = np.cumsum(pt / pt.sum())
        self.topic_pop = np.exp(rng.normal(0, 0.6, size=K))
        self.topic_trend = rng.uniform(-1.2, 1.2, size=K)
        perm = rng.permutation(K)
        self.topic_cat = np.zeros(K, dtype=np.int64)
        for i, k in enumerate(perm):
            self.topic_cat[k] = i % self.C
        self.cat_topics = [np.flatnonzero(self.topic_cat == c) for c in range(self.C)]
        self.categories = CATEGORY_NAMES[:self.C]
        # Tags: 9 single top words, 3 two-word tags, from each topic's top 40 words.
        # Two-word tags are also the topic's collocations: in text, their first word is followed by the
        # second 60% of the time (bigram_partner, by topic and rank: the second word's id, else -1).
        tags = []
        self.bigram_partner = np.full((K, TOPIC_WORDS), -1, dtype=np.int64)
        for k in range(K):
            top = [self.vocab[int(w)].lower() for w in topic_words[k, :40]]
            pick = rng.choice(40, size=15, replace=False)
            t = [top[i] for i in pick[:9]]
            for a in range(3):
                t.append(top[pick[9 + 2 * a]] + " " + top[pick[10 + 2 * a]])
                self.bigram_partner[k, pick[9 + 2 * a]] = topic_words[k, pick[10 + 2 * a]]
            tags.append(t)
        self.topic_tags = tags
        q = 1.0 / np.arange(1, TAGS_PER_TOPIC + 1) ** 0.7
        self.tag_cdf = np.cumsum(q / q.sum())

    # -- authors and commenters ---------------------------------------------------------------------
    def _build_people(self, rng):
        combos = [f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES]
        idx = rng.choice(len(combos), size=self.A, replace=False)
        self.authors = [combos[i] for i in idx]
        w = 1.0 / np.arange(1, self.A + 1) ** 0.8
        aff = rng.gamma(0.5, 1.0, size=(self.C, self.A)) + 0.02
        pa = w[None, :] * aff
        self.author_cdf = np.cumsum(pa / pa.sum(axis=1, keepdims=True), axis=1)
        names, seen = [], set(self.authors)
        pseudo = [w for w in self.vocab[self.F:self.F + 20000] if w.isalpha()]
        while len(names) < self.P:
            u = rng.random()
            f = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
            l = LAST_NAMES[rng.integers(len(LAST_NAMES))]
            if u < 0.4:
                n = f"{f} {l}"
            elif u < 0.7:
                n = f"{f} {l[0]}."
            else:
                n = pseudo[rng.integers(len(pseudo))] + str(rng.integers(1, 1000))
            if n not in seen:
                seen.add(n)
                names.append(n)
        self.commenters = names
        wc = 1.0 / np.arange(1, self.P + 1) ** 0.8
        self.commenter_cdf = np.cumsum(wc / wc.sum())

    # -- dates --------------------------------------------------------------------------------------
    def _build_dates(self, rng):
        days = int((END_DAY - START_DAY).astype(int)) + 1
        # density ~ 1 + x on [0, 1] (the blog posts more as it grows): inverse CDF of (x + x^2/2) / 1.5
        u = rng.random(self.n_posts)
        x = -1.0 + np.sqrt(1.0 + 3.0 * u)
        self.post_x = np.sort(x)
        self.post_day = np.minimum((self.post_x * days).astype(np.int64), days - 1)

    # -- stem groups, for document frequencies ------------------------------------------------------
    def stem_groups(self):
        try:
            from nltk.stem.porter import PorterStemmer
            ps = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
            stem = ps.stem
            how = "Porter stems (nltk)"
        except Exception:       # noqa: BLE001 - any import problem: fall back
            stem = None
            how = "inflection groups (nltk not importable)"
        if stem is None:
            _, group = np.unique(self.lemma, return_inverse=True)
            return group.astype(np.int64), how
        ids, group = {}, np.zeros(self.V, dtype=np.int64)
        for r, w in enumerate(self.vocab):
            s = stem(w.lower())
            group[r] = ids.setdefault(s, len(ids))
        return group, how


MODEL = None
GROUP = None


def _init_worker(model, group):
    global MODEL, GROUP
    MODEL, GROUP = model, group


SEPS = np.array([" ", ", ", ". ", "? ", "! ", ".\n\n", "?\n\n", "!\n\n", ".", "?", "!"], dtype=object)


def _assemble(M, rng, ids, lens, is_body):
    """Turn one batch's token stream (texts concatenated) into text strings with sentences and paragraphs."""
    T = len(ids)
    n = len(lens)
    starts = np.cumsum(lens) - lens
    text_of = np.repeat(np.arange(n), lens)
    pos = np.arange(T) - starts[text_of]
    L = lens[text_of]
    # Sentence ends from one stream of gamma lengths, cut at text ends, no fragments under 4 tokens.
    sl = np.maximum(4, np.rint(rng.gamma(4.0, 3.5, size=T // 10 + 100))).astype(np.int64)
    ends = np.cumsum(sl) - 1
    ends = ends[ends < T]
    bound = np.zeros(T, dtype=bool)
    bound[ends] = True
    last = pos == L - 1
    bound &= (pos >= 3) & (L - 1 - pos >= 4)
    bound |= last
    body_tok = is_body[text_of]
    u = rng.random(T)
    code = np.zeros(T, dtype=np.int8)
    # commas inside sentences
    nxt_bound = np.zeros(T, dtype=bool)
    nxt_bound[:-1] = bound[1:]
    code[(u < 0.05) & ~bound & ~nxt_bound & (pos >= 2)] = 1
    # punctuation at sentence ends: '.', '?', '!' (comments ask and exclaim more)
    v = rng.random(T)
    q = np.where(body_tok, 0.07, 0.18)
    e = np.where(body_tok, 0.02, 0.06)
    punct = np.where(v < q, 1, np.where(v < q + e, 2, 0)).astype(np.int8)
    para = (u >= 0.05) & (u < np.where(body_tok, 0.05 + 0.2, 0.05 + 0.03))
    inner = bound & ~last
    code[inner] = 2 + punct[inner] + 3 * para[inner]
    code[last] = 8 + punct[last]
    cap = np.empty(T, dtype=bool)
    cap[0] = True
    cap[1:] = bound[:-1]
    words = M.vocab_arr[ids]
    words[cap] = M.vocab_cap_arr[ids[cap]]
    inter = np.empty(2 * T, dtype=object)
    inter[0::2] = words
    inter[1::2] = SEPS[code]
    lst = inter.tolist()
    out = []
    s2 = (2 * starts).tolist()
    e2 = (2 * (starts + lens)).tolist()
    for a, b in zip(s2, e2):
        out.append("".join(lst[a:b]))
    return out


def _title(M, rng, topics, m):
    L = int(rng.integers(4, 11))
    u = rng.random(L)
    r = np.searchsorted(M.title_cdf, rng.random(L), side="right")
    alt = rng.random(L)
    fwi = rng.integers(0, len(TITLE_FW), size=L)
    ids, words = [], []
    prev_fw = False
    for j in range(L):
        if j < L - 1 and not prev_fw and u[j] < 0.3:
            words.append(TITLE_FW[fwi[j]] if j else TITLE_FW[fwi[j]].capitalize())
            prev_fw = True
            continue
        k = topics[0] if (m == 1 or alt[j] < 0.8) else topics[1 + int(alt[j] * 10) % (m - 1)]
        rj = int(r[j])
        wid = int(M.topic_words[k, min(rj, 59)])
        while wid in ids:
            rj += 1
            wid = int(M.topic_words[k, rj % TOPIC_WORDS])
        ids.append(wid)
        w = M.vocab[wid]
        words.append(w[:1].upper() + w[1:])
        prev_fw = False
    return " ".join(words), ids


def _unique(a):
    """Sorted distinct values (np.unique's hash path is slow on millions of int64 keys)."""
    s = np.sort(a)
    return s[np.concatenate(([True], s[1:] != s[:-1]))] if len(s) else s


def gen_batch(b):
    M, G = MODEL, GROUP
    lo = b * BATCH
    hi = min(M.n_posts, lo + BATCH)
    B = hi - lo
    rng = np.random.default_rng(np.random.SeedSequence(M.seed, spawn_key=(3, b)))
    K = M.K
    x = M.post_x[lo:hi]

    # --- topic mixtures -------------------------------------------------------------------------
    logit = np.log(M.topic_pop)[None, :] + M.topic_trend[None, :] * (x[:, None] - 0.5)
    pk = np.exp(logit)
    pk /= pk.sum(axis=1, keepdims=True)
    cum = np.cumsum(pk, axis=1)
    main = np.minimum((rng.random(B)[:, None] > cum).sum(axis=1), K - 1)
    um = rng.random(B)
    m_topics = 1 + (um > 0.30).astype(int) + (um > 0.75).astype(int)
    topics = np.zeros((B, 3), dtype=np.int64)
    weights = np.zeros((B, 3))
    extra_u = rng.random((B, 8))
    extra_pick = rng.random((B, 8))
    for i in range(B):
        t = [int(main[i])]
        j = 0
        while len(t) < m_topics[i] and j < 8:
            if extra_u[i, j] < 0.5:
                same = M.cat_topics[M.topic_cat[t[0]]]
                cand = int(same[int(extra_pick[i, j] * len(same))])
            else:
                cand = int(min(np.searchsorted(cum[i], extra_pick[i, j], side="right"), K - 1))
            if cand not in t:
                t.append(cand)
            j += 1
        m_topics[i] = len(t)
        w = np.sort(rng.dirichlet([1.5] * len(t)))[::-1] if len(t) > 1 else np.array([1.0])
        topics[i, :len(t)] = t
        topics[i, len(t):] = t[0]
        weights[i, :len(t)] = w
    cw = np.cumsum(weights, axis=1)
    cw[:, 2] = 2.0          # the last slot always catches

    # --- lengths --------------------------------------------------------------------------------
    body_len = np.clip(np.rint(rng.lognormal(math.log(660), 0.4, size=B)), 300, 1200).astype(np.int64)
    ncom = rng.binomial(30, rng.beta(1.3, 1.3, size=B))
    NC = int(ncom.sum())
    clen = np.clip(np.rint(rng.lognormal(math.log(35), 0.55, size=NC)), 10, 80).astype(np.int64)
    opener = rng.random(NC) < 0.2
    opener_idx = rng.integers(0, len(OPENERS), size=NC)
    opener_words = np.array([len(o.split()) for o in OPENERS])[opener_idx]
    clen_tok = np.where(opener, np.maximum(clen - opener_words, 4), clen)
    bg = rng.uniform(0.40, 0.60, size=B)
    nlocal = rng.integers(3, 9, size=B)
    local_words = np.exp(rng.uniform(math.log(M.V // 2), math.log(M.V), size=(B, 8))).astype(np.int64)
    local_words = np.minimum(local_words, M.V - 1)
    local_words = np.where(M.is_func[local_words], M.V - 1, local_words)

    lens = np.concatenate([body_len, clen_tok])
    text_post = np.concatenate([np.arange(B), np.repeat(np.arange(B), ncom)])
    is_body = np.zeros(len(lens), dtype=bool)
    is_body[:B] = True
    tbg = np.where(is_body, bg[text_post], np.minimum(0.75, bg[text_post] + 0.12))
    tlp = np.where(is_body, 0.02, 0.01)
    T = int(lens.sum())
    tt = np.repeat(np.arange(len(lens)), lens)
    tp = text_post[tt]

    # --- token sampling -------------------------------------------------------------------------
    u = rng.random(T)
    lp = tlp[tt]
    bgp = tbg[tt]
    ids = np.empty(T, dtype=np.int64)
    is_local = u < lp
    is_bg = ~is_local & (u < lp + bgp)
    is_topic = ~(is_local | is_bg)
    nb = int(is_bg.sum())
    ids[is_bg] = np.minimum(np.searchsorted(M.bg_cdf, rng.random(nb), side="right"), M.V - 1)
    ptop = tp[is_topic]
    v = (u[is_topic] - (lp + bgp)[is_topic]) / (1.0 - (lp + bgp)[is_topic])
    slot = (v > cw[ptop, 0]).astype(np.int64) + (v > cw[ptop, 1])
    tk = topics[ptop, slot]
    rk = np.minimum(np.searchsorted(M.topic_cdf, rng.random(len(ptop)), side="right"), TOPIC_WORDS - 1)
    ids[is_topic] = M.topic_words[tk, rk]
    partner = M.bigram_partner[tk, rk]          # collocations: "w1" -> "w1 w2" 60% of the time
    hit = (partner >= 0) & (rng.random(len(tk)) < 0.6)
    at = np.flatnonzero(is_topic)[hit] + 1
    keep = at < T
    at, partner = at[keep], partner[hit][keep]
    keep = tt[at] == tt[at - 1]
    ids[at[keep]] = partner[keep]
    ploc = tp[is_local]
    li = (u[is_local] / lp[is_local] * nlocal[ploc]).astype(np.int64)
    ids[is_local] = local_words[ploc, np.minimum(li, 7)]

    texts = _assemble(M, rng, ids, lens, is_body)

    # --- per-post metadata ----------------------------------------------------------------------
    cat2_u = rng.random(B)
    cat2_pick = rng.integers(0, M.C, size=B)
    cat_idx = M.topic_cat[topics[:, 0]]
    auth = np.minimum((rng.random(B)[:, None] >= M.author_cdf[cat_idx]).sum(axis=1), M.A - 1)
    ntags = rng.integers(2, 6, size=B)
    tag_u = rng.random((B, 8))
    tag_r = np.minimum(np.searchsorted(M.tag_cdf, rng.random((B, 8)), side="right"), TAGS_PER_TOPIC - 1)
    tag_other = rng.integers(0, K, size=(B, 8))
    tx = tag_u * 1.25 - 0.25           # for the 80% of tags from the post's own topics: pick one by weight
    tag_slot = np.minimum((tx >= cw[:, 0:1]).astype(np.int64) + (tx >= cw[:, 1:2]), (m_topics - 1)[:, None])
    days = M.post_day[lo:hi]
    date_str = np.datetime_as_string(START_DAY + days.astype("timedelta64[D]"), unit="D").tolist()
    tod = rng.integers(7 * 3600, 23 * 3600, size=B)
    post_sec = (START_DAY - np.datetime64("1970-01-01", "D")).astype(np.int64) * 86400 + days * 86400 + tod

    # --- comments -------------------------------------------------------------------------------
    cstart = np.cumsum(ncom) - ncom
    ci = np.arange(NC) - np.repeat(cstart, ncom)
    gaps = rng.exponential(1.0, size=NC) * 3600 * (2.0 + 1.5 * ci) + 60
    cs = np.concatenate([[0.0], np.cumsum(gaps)])
    csec = np.repeat(post_sec, ncom) + (cs[1:] - np.repeat(cs[cstart], ncom)).astype(np.int64)
    cdate = np.datetime_as_string(csec.astype("datetime64[s]"), unit="s").tolist()
    is_reply = (ci >= 1) & (rng.random(NC) < 0.32)
    target = ci - 1 - np.floor(ci * rng.random(NC) ** 2).astype(np.int64)
    cauth = np.minimum(np.searchsorted(M.commenter_cdf, rng.random(NC), side="right"), M.P - 1)
    by_author = rng.random(NC) < np.where(is_reply, 0.15, 0.03)
    cpost = np.repeat(np.arange(B), ncom)

    lines, truth, samples = [], [], []
    title_ids = []
    title_post = []
    text_bytes = 0
    body_texts = texts[:B]
    com_texts = texts[B:]
    for i in range(B):
        n = lo + i
        slug = "p" + str(n).zfill(M.slug_width)
        m = int(m_topics[i])
        tps = [int(t) for t in topics[i, :m]]
        title, tids = _title(M, rng, tps, m)
        title_ids.extend(tids)
        title_post.extend([i] * len(tids))
        cats = [M.categories[cat_idx[i]]]
        if cat2_u[i] < 0.15:
            c2 = M.topic_cat[tps[1]] if m > 1 and M.topic_cat[tps[1]] != cat_idx[i] else cat2_pick[i]
            if c2 == cat_idx[i]:
                c2 = (c2 + 1) % M.C
            cats.append(M.categories[c2])
        tags = []
        for j in range(8):
            if len(tags) >= ntags[i]:
                break
            if tag_u[i, j] < 0.2:
                k = int(tag_other[i, j])
                if k in tps:
                    k = (k + 1) % K
            else:
                k = tps[tag_slot[i, j]]
            tag = M.topic_tags[k][tag_r[i, j]]
            if tag not in tags:
                tags.append(tag)
        author = M.authors[auth[i]]
        comments = []
        a0 = int(cstart[i])
        for c in range(int(ncom[i])):
            g = a0 + c
            body = com_texts[g]
            if opener[g]:
                body = OPENERS[opener_idx[g]] + " " + body
            comments.append({
                "id": f"c{c + 1}",
                "author": author if by_author[g] else M.commenters[cauth[g]],
                "date": cdate[g] + "Z",
                "body": body,
                "replyTo": f"c{target[g] + 1}" if is_reply[g] else None,
            })
            text_bytes += len(body)
        body = body_texts[i]
        text_bytes += len(title) + len(body)
        post = {"slug": slug, "title": title, "url": f"/posts/{slug}/", "date": date_str[i], "author": author,
                "categories": cats, "tags": tags, "body": body, "comments": comments}
        lines.append(json.dumps(post))
        w = [round(float(x), 3) for x in weights[i, :m]]
        w[0] = round(1.0 - sum(w[1:]), 3)
        truth.append(json.dumps({"slug": slug, "topics": {str(t): x for t, x in zip(tps, w)}}))
        if M.sampled[n]:
            samples.append({"i": i, "slug": slug, "body": body, "topics": tps, "tags": tags})

    # --- document frequencies (whole post: title, body, comments), types --------------------------
    all_ids = np.concatenate([ids, np.array(title_ids, dtype=np.int64)])
    all_post = np.concatenate([tp, np.array(title_post, dtype=np.int64)])
    ng = int(G.max()) + 1
    keys = _unique(all_post * ng + G[all_ids])
    df = np.bincount(keys % ng, minlength=ng).astype(np.int32)
    keys = _unique(all_post * M.V + all_ids)
    df_word = np.bincount(keys % M.V, minlength=M.V).astype(np.int32)
    types = np.flatnonzero(np.bincount(keys % M.V, minlength=M.V))
    for s in samples:
        s["ids"] = _unique(all_ids[all_post == s["i"]])
    return {
        "lines": "\n".join(lines) + "\n",
        "truth": "\n".join(truth) + "\n",
        "df": df,
        "df_word": df_word,
        "types": types,
        "comments": NC,
        "replies": int(is_reply.sum()),
        "text_bytes": text_bytes,
        "tokens": T + len(title_ids),
        "samples": samples,
    }


# -------------------------------------------------------------------------------------------------
# Queries
# -------------------------------------------------------------------------------------------------
def make_queries(M, group, df, df_word, n_posts, samples, seed, n_queries=300):
    """Queries from the sampled posts. A word's class must hold both for the word itself and for its stem
    group (fraction of posts holding it): rare <= 0.1% (at least one post), medium 1-5%, common > 20%."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(4,)))
    dfg = df[group]                   # per word type: posts holding its stem group
    dfw = df_word                     # posts holding the word itself
    lo_df, hi_df = np.minimum(dfg, dfw), np.maximum(dfg, dfw)
    rare_max = max(1, int(0.001 * n_posts))
    ok = ~(M.is_func | M.is_number)
    cls = np.full(M.V, "", dtype=object)
    cls[ok & (lo_df >= 1) & (hi_df <= rare_max)] = "rare"
    cls[ok & (lo_df >= 0.01 * n_posts) & (hi_df <= 0.05 * n_posts)] = "medium"
    cls[ok & (lo_df > 0.20 * n_posts)] = "common"
    samples = sorted(samples, key=lambda s: s["slug"])
    per_post = []
    for s in samples:
        d = {"rare": [], "medium": [], "common": []}
        for w in s["ids"].tolist():
            c = cls[w]
            if c:
                d[c].append(w)
        per_post.append(d)
    pools = {c: sorted({w for d in per_post for w in d[c]}) for c in ("rare", "medium", "common")}
    word = lambda w: M.vocab[w].lower()      # noqa: E731
    share = {"rare": 50, "medium": 50, "common": 40, "and2": 50, "or3": 40, "phrase": 40, "question": 30}
    scale = n_queries / sum(share.values())
    out, seen = [], set()

    def emit(c, text):
        if text and (c, text) not in seen:
            seen.add((c, text))
            out.append({"class": c, "text": text})
            return True
        return False

    def from_post(c, k, tries=200):
        for _ in range(tries):
            d = per_post[rng.integers(len(per_post))]
            if len(d[c]) >= 1:
                kk = min(k, len(d[c]))
                pick = rng.choice(d[c], size=kk, replace=False)
                return [word(int(w)) for w in pick]
        return None

    for c in ("rare", "medium", "common"):
        want, tries = round(share[c] * scale), 0
        got = 0
        while got < want and tries < want * 20 and per_post:
            tries += 1
            k = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
            ws = from_post(c, k)
            if ws and emit(c, " ".join(ws)):
                got += 1
    combos = [("medium", "medium", 0.4), ("common", "medium", 0.3), ("rare", "medium", 0.15),
              ("common", "common", 0.15)]
    want, tries, got = round(share["and2"] * scale), 0, 0
    while got < want and tries < want * 20 and per_post:
        tries += 1
        a, b, _ = combos[int(rng.choice(len(combos), p=[x[2] for x in combos]))]
        d = per_post[rng.integers(len(per_post))]
        if not d[a] or not d[b]:
            continue
        w1 = int(rng.choice(d[a]))
        w2 = int(rng.choice(d[b]))
        if group[w1] != group[w2] and emit("and2", f"{word(w1)} {word(w2)}"):
            got += 1
    want, tries, got = round(share["or3"] * scale), 0, 0
    while got < want and tries < want * 20 and all(pools.values()):
        tries += 1
        ws = [word(int(rng.choice(pools[c]))) for c in ("common", "medium", "rare")]
        if emit("or3", " OR ".join(ws)):
            got += 1
    # Phrases: a third are a sampled post's two-word tag found in its body (a topic collocation, in many
    # posts). The rest are windows of 2-4 words inside one clause of a sampled body with at least one
    # content word; half of those "broad": every content word in at least 1% of posts (a few posts hold
    # the phrase), the others as found (usually with a rarer word: one post).
    func = {w.lower() for w in FUNCTION_WORDS}
    word_id = {w.lower(): i for i, w in enumerate(M.vocab)}
    broad_ok = lo_df >= 0.01 * n_posts
    want, tries, got = round(share["phrase"] * scale), 0, 0
    while got < want and tries < want * 50 and samples:
        tries += 1
        sample = samples[rng.integers(len(samples))]
        body = sample["body"]
        if got % 3 == 0:
            low = " " + " ".join(re.findall(r"[a-z0-9']+", body.lower())) + " "
            bigrams = [t for t in sample["tags"] if " " in t and " " + t + " " in low]
            if bigrams and emit("phrase", '"' + bigrams[int(rng.integers(len(bigrams)))] + '"'):
                got += 1
            continue
        broad = got % 3 == 1
        chunks = [c.split() for c in re.split(r"[.?!,]\s+|\n\n|[.?!]$", body)]
        k = int(rng.choice([2, 3, 4], p=[0.4, 0.4, 0.2]))
        chunks = [c for c in chunks if len(c) >= k]
        if not chunks:
            continue
        ch = [w.lower() for w in chunks[rng.integers(len(chunks))]]
        n_win = len(ch) - k + 1
        first = int(rng.integers(0, n_win))
        ws = None
        for s in range(first, first + n_win):
            cand = ch[s % n_win:s % n_win + k]
            content = [w for w in cand if w not in func]
            if content and (not broad or all(broad_ok[word_id[w]] for w in content)):
                ws = cand
                break
        if ws is None:
            continue
        if emit("phrase", '"' + " ".join(ws) + '"'):
            got += 1
    want, tries, got = round(share["question"] * scale), 0, 0
    while got < want and tries < want * 20 and per_post:
        tries += 1
        d = per_post[rng.integers(len(per_post))]
        tpl = QUESTION_TEMPLATES[rng.integers(len(QUESTION_TEMPLATES))]
        slots = tpl.count("{}")
        ws = []
        for _ in range(slots):
            c = str(rng.choice(["medium", "common", "rare"], p=[0.6, 0.25, 0.15]))
            pool = d[c] or d["medium"] or d["common"]
            if not pool:
                break
            ws.append(word(int(rng.choice(pool))))
        if len(ws) < slots:
            continue
        text = tpl.format(*ws)
        n_words = len(text.split())
        if 8 <= n_words <= 15:
            text = text[0].upper() + text[1:] + "?"
            if emit("question", text):
                got += 1
    return out


# -------------------------------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=parse_count, required=True, help="number of posts (1000, 10k, 100k, ...)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, help="corpus JSON Lines file to write")
    ap.add_argument("--truth", help="write each post's topic mixture here (JSON Lines)")
    ap.add_argument("--queries", help="write the query mix here (JSON Lines)")
    ap.add_argument("--num-queries", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="worker processes (output does not depend on it)")
    ap.add_argument("--vocab", type=int, help="vocabulary size (default scales with --posts, 50k-200k)")
    ap.add_argument("--topics", type=int, help="number of topics (default 40-80, scaling with --posts)")
    a = ap.parse_args(argv)
    if a.posts < 1:
        ap.error("--posts must be at least 1")
    t0 = time.perf_counter()
    M = Model(a.posts, a.seed, a.vocab, a.topics)
    group, group_how = M.stem_groups() if a.queries else (M.lemma, "none")
    t_model = time.perf_counter() - t0
    print(f"model: {M.V} word types, {M.K} topics, {M.C} categories, {M.A} authors, {M.P} commenters "
          f"({t_model:.1f} s)", file=sys.stderr)

    n_batches = (a.posts + BATCH - 1) // BATCH
    ng = int(group.max()) + 1
    df = np.zeros(ng, dtype=np.int64)
    df_word = np.zeros(M.V, dtype=np.int64)
    seen_types = np.zeros(M.V, dtype=bool)
    stats = {"comments": 0, "replies": 0, "text_bytes": 0, "tokens": 0}
    samples = []
    truth_f = open(a.truth, "w", encoding="utf-8") if a.truth else None
    jobs = max(1, min(a.jobs, n_batches))
    pool = None
    try:
        if jobs > 1:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(M, group))
            results = pool.imap(gen_batch, range(n_batches), chunksize=1)
        else:
            _init_worker(M, group)
            results = (gen_batch(b) for b in range(n_batches))
        next_report = 0.1
        with open(a.out, "w", encoding="utf-8", buffering=1 << 22) as out:
            for b, r in enumerate(results):
                out.write(r["lines"])
                if truth_f:
                    truth_f.write(r["truth"])
                df += r["df"]
                df_word += r["df_word"]
                seen_types[r["types"]] = True
                for k in stats:
                    stats[k] += r[k]
                samples.extend(r["samples"])
                done = (b + 1) / n_batches
                if done >= next_report and n_batches >= 10:
                    print(f"  {done:4.0%}  {(b + 1) * BATCH if b + 1 < n_batches else a.posts} posts, "
                          f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
                    next_report += 0.1
    finally:
        if pool:
            pool.close()
            pool.join()
        if truth_f:
            truth_f.close()
    n_queries = 0
    if a.queries:
        qs = make_queries(M, group, df, df_word, a.posts, samples, a.seed, a.num_queries)
        with open(a.queries, "w", encoding="utf-8") as f:
            for q in qs:
                f.write(json.dumps(q) + "\n")
        n_queries = len(qs)
    secs = time.perf_counter() - t0
    size = os.path.getsize(a.out)
    print(f"posts        {a.posts}\n"
          f"comments     {stats['comments']} ({stats['comments'] / a.posts:.1f} per post, "
          f"{stats['replies'] / max(1, stats['comments']):.0%} replies)\n"
          f"text         {stats['text_bytes'] / 1e6:.1f} MB (titles, bodies, comments), "
          f"{stats['tokens'] / 1e6:.1f} M words; file {size / 1e6:.1f} MB\n"
          f"vocabulary   {int(seen_types.sum())} types used of {M.V}\n"
          + (f"queries      {n_queries} (df by {group_how})\n" if a.queries else "")
          + f"seconds      {secs:.1f} ({jobs} job{'s' if jobs > 1 else ''})", file=sys.stderr)


if __name__ == "__main__":
    main()
