#!/usr/bin/env python3
"""Several replicas behind nginx: a new generation is published to every replica while load runs.

What it checks, on loopback only:
  1. nginx (the configuration OPERATIONS.md gives) in front of two `blogsearch serve` replicas, each following
     its own copy of the indexes folder;
  2. a bounded load through nginx while a new generation is built and published to both replicas in the
     documented order (the generation file first, then CURRENT, both with rsync) and each replica is told with
     SIGHUP: zero failed requests;
  3. for the same URL and the same generation, every replica answers with the same ETag (a generation copied
     between machines keeps its ETag, so caches in front of any replica agree);
  4. both replicas serve the new generation after the publish, and both answered requests;
  5. one replica stopped under load: nginx passes its requests to the other, zero failed requests.

Usage: replicas_test.py --binary PATH/blogsearch --corpus corpus [--seconds 4]
Exits non-zero on any failure; the last line is 'N passed, N failed'.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = ["angry customers", "sla", "chatbot", "escalation", "knowledge base", "csat survey", "onboarding",
           "first contact resolution", "empathy", "automation rules", "churn", "feedback", "support queue",
           "help center", "live chat", "accessible", "metrics", "refund", "handoff", "tickets"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path="/healthz", seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered {path} on port {port} within {seconds} s")


def health(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/healthz")
    return json.loads(conn.getresponse().read())


class Load:
    """A few threads, each on one keep-alive connection to nginx, for a bounded time and request count."""

    def __init__(self, port, slugs, threads=4, max_requests=20000):
        self.port, self.slugs, self.threads, self.max_requests = port, slugs, threads, max_requests
        self.records, self.failures = [], []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.workers = []

    def path(self, rng):
        kind = rng.random()
        if kind < 0.5:
            # Mostly distinct searches, so that most go past nginx's cache to a replica.
            q = rng.choice(QUERIES) + " " + rng.choice(QUERIES)
            return "/search?" + urllib.parse.urlencode({"q": q, "limit": rng.randint(1, 10)})
        if kind < 0.9:
            return f"/posts/{urllib.parse.quote(rng.choice(self.slugs))}/related?limit={rng.randint(1, 10)}"
        return "/widget/related/" + urllib.parse.quote(rng.choice(self.slugs))

    def run(self, seed):
        rng = random.Random(seed)
        conn = None
        while not self.stop.is_set():
            with self.lock:
                if len(self.records) + len(self.failures) >= self.max_requests:
                    return
            path = self.path(rng)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", path)
                response = response_body = None
                response = conn.getresponse()
                response_body = response.read()
                record = (path, response.status, response.getheader("ETag"), response.getheader("X-Upstream") or "",
                          response.getheader("X-Cache-Status") or "")
                with self.lock:
                    if response.status == 200:
                        self.records.append(record)
                    else:
                        self.failures.append(f"{path}: HTTP {response.status} {response_body[:200]!r}")
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.failures.append(f"{path}: {type(error).__name__}: {error}")
                conn = None

    def __enter__(self):
        self.workers = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for worker in self.workers:
            worker.join(30)


def nginx_config(template, listen, upstreams, workdir):
    with open(template) as f:
        text = f.read()
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in upstreams)
    return (text.replace("@LISTEN@", str(listen)).replace("@UPSTREAMS@", servers)
            .replace("@WORKDIR@", workdir))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--seconds", type=float, default=4)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = tempfile.mkdtemp(prefix="blogsearch-replicas-")
    processes = []
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("ok   " if ok else "FAIL ") + name + (f" — {detail}" if detail else ""), flush=True)

    try:
        # The build machine's corpus and indexes, and one indexes folder per replica.
        corpus = os.path.join(work, "corpus")
        shutil.copytree(args.corpus, corpus)
        built = os.path.join(work, "built")
        replicas = [os.path.join(work, f"replica{i}") for i in (1, 2)]

        def index():
            subprocess.run([binary, "index", "--quiet", "--corpus", corpus, "--indexes", built], check=True,
                           stdout=subprocess.DEVNULL)

        def publish(to):
            # The order OPERATIONS.md gives: generation files first, CURRENT last; rsync writes each aside and
            # renames it into place.
            os.makedirs(to, exist_ok=True)
            subprocess.run(["rsync", "-a", "--include=gen-*.sqlite", "--exclude=*", built + "/", to + "/"], check=True)
            subprocess.run(["rsync", "-a", os.path.join(built, "CURRENT"), os.path.join(to, "CURRENT")], check=True)

        index()
        for replica in replicas:
            publish(replica)
        ports = [free_port(), free_port()]
        for replica, port in zip(replicas, ports):
            log = open(os.path.join(work, f"serve-{port}.log"), "w")
            processes.append(subprocess.Popen(
                [binary, "serve", "--port", str(port), "--corpus", corpus, "--indexes", replica,
                 "--watch-interval", "60"], stdout=log, stderr=log))
        for port in ports:
            wait_for(port)
        first = {port: health(port)["generation"] for port in ports}
        conn = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=10)
        conn.request("GET", "/search?q=customers&limit=100")
        slugs = [hit["slug"] for hit in json.loads(conn.getresponse().read())["hits"]]
        if not slugs:
            raise SystemExit("the corpus answered no post for 'customers'")
        nginx_port = free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(nginx_config(os.path.join(HERE, "nginx.conf.in"), nginx_port, ports, work))
        processes.append(subprocess.Popen([nginx, "-c", conf, "-p", work, "-e", os.path.join(work, "nginx-error.log")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        wait_for(nginx_port)

        # Phase 1: publish a new generation to both replicas under load.
        with open(os.path.join(corpus, "posts", "replicas-test-new-post.md"), "w") as f:
            f.write("---\ntitle: \"Replicas answer together\"\ndate: 2030-01-01\nauthor: Test Author\n"
                    "categories: [Operations]\ntags: [replicas]\n---\n\nAngry customers and chatbots, published "
                    "to two replicas while they serve.\n")
        with Load(nginx_port, slugs) as load:
            time.sleep(args.seconds / 2)
            index()
            for replica, process in zip(replicas, processes):
                publish(replica)
                process.send_signal(signal.SIGHUP)
            deadline = time.time() + 30
            while time.time() < deadline and any(health(p)["generation"] == first[p] for p in ports):
                time.sleep(0.1)
            time.sleep(args.seconds / 2)
        after = {port: health(port) for port in ports}
        records, failures = load.records, load.failures
        check("no request failed while a new generation was published to both replicas", not failures,
              f"{len(failures)} of {len(records) + len(failures)} failed: {failures[:3]}" if failures
              else f"{len(records)} requests")
        check("both replicas serve the new generation",
              all(after[p]["generation"] != first[p] and after[p]["status"] == "ok" for p in ports),
              json.dumps({p: (first[p], after[p]["generation"], after[p]["status"]) for p in ports}))
        upstream = [r for r in records if r[3]]
        answered = {r[3] for r in upstream}
        check("both replicas answered through nginx", len(answered) == 2, f"upstreams seen: {sorted(answered)}")
        # The same URL asked of each replica directly (now that both serve the new generation), and through
        # nginx during the load: one ETag per URL and generation.
        etags = {}
        for path, _, etag, addr, _ in upstream:
            etags.setdefault((path, etag.strip('"').split("-")[0]), set()).add(etag)
        paths = sorted({r[0] for r in records})[:300]
        for path in paths:
            for port in ports:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                etag = response.getheader("ETag") or ""
                etags.setdefault((path, etag.strip('"').split("-")[0]), set()).add(etag)
        disagree = [(key, sorted(tags)) for key, tags in etags.items() if len(tags) > 1]
        check("the same URL in the same generation has the same ETag on every replica", not disagree,
              f"{len(paths)} URL(s) on both replicas and through nginx; disagreements: {disagree[:3]}")
        generations = {key[1] for key in etags}
        check("responses carried both generations' ETags (the swap happened under load)", len(generations) >= 2,
              f"generations seen: {sorted(generations)}")

        # Phase 2: one replica stops under load; nginx sends its share to the other.
        with Load(nginx_port, slugs) as load:
            time.sleep(args.seconds / 4)
            processes[1].send_signal(signal.SIGTERM)
            processes[1].wait(20)
            time.sleep(args.seconds / 2)
        check("no request failed while one replica stopped", not load.failures,
              f"{len(load.failures)} of {len(load.records) + len(load.failures)} failed: {load.failures[:3]}"
              if load.failures else f"{len(load.records)} requests")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if not all(results):
            for name in sorted(os.listdir(work)):
                if name.endswith(".log"):
                    with open(os.path.join(work, name), errors="replace") as f:
                        print(f"--- {name}\n" + f.read()[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
