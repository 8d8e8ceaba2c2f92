#!/usr/bin/python3
"""bench/crawl_bench: podcrawl against Scrapy on a generated podcast site.

Run through run.sh (which checks the Debian packages first). See README.md.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"  # Debian's, where python3-scrapy lives
TIME = "/usr/bin/time"
REQUIRED_CRAWL_FLAGS = ("--seeds", "--db", "--max-pages", "--concurrency",
                        "--per-host", "--delay", "--quiet")


class BenchError(Exception):
    pass


def log(msg):
    print(f"[crawl_bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# nginx


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_nginx():
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    raise BenchError("nginx not found: apt-get install -y nginx-light")


class Nginx:
    """nginx on 127.0.0.1:<free port>, `daemon off`, config in the work dir."""

    def __init__(self, work, root, workers):
        self.work, self.root, self.workers = work, root, workers
        self.proc = None
        self.port = None

    def start(self):
        nginx = find_nginx()
        with open(os.path.join(HERE, "nginx.conf.in"), encoding="utf-8") as f:
            template = f.read()
        for d in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(self.work, "nginx-tmp", d), exist_ok=True)
        last_err = ""
        for _ in range(5):  # the free port may be taken between probe and bind
            self.port = free_port()
            conf = (template.replace("@WORK@", self.work).replace("@ROOT@", self.root)
                    .replace("@PORT@", str(self.port)).replace("@WORKERS@", str(self.workers)))
            conf_path = os.path.join(self.work, "nginx.conf")
            with open(conf_path, "w", encoding="utf-8") as f:
                f.write(conf)
            err_path = os.path.join(self.work, "nginx-error.log")
            self.proc = subprocess.Popen(
                [nginx, "-p", self.work + "/", "-c", conf_path, "-e", err_path],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=open(os.path.join(self.work, "nginx-stderr.log"), "wb"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"{self.base}/robots.txt", timeout=2) as r:
                        if r.status == 200:
                            return
                except OSError:
                    time.sleep(0.05)
            self.stop()
            try:
                with open(err_path, encoding="utf-8", errors="replace") as f:
                    last_err = f.read()[-2000:]
            except OSError:
                pass
        raise BenchError(f"nginx did not start; its error log says:\n{last_err}")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# --------------------------------------------------------------------------
# Measuring one crawl


def parse_time_v(path):
    """Fields of GNU time -v output."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("User time (seconds):"):
                out["user_s"] = float(line.split(":")[1])
            elif line.startswith("System time (seconds):"):
                out["sys_s"] = float(line.split(":")[1])
            elif line.startswith("Maximum resident set size (kbytes):"):
                out["max_rss_kb"] = int(line.split(":")[1])
            elif line.startswith("Exit status:"):
                out["exit_status"] = int(line.split(":")[1])
            elif line.startswith("Command terminated by signal"):
                out["signal"] = int(line.rsplit(" ", 1)[1])
    return out


def timed_run(cmd, time_path, stdout_path, stderr_path, timeout):
    """Runs cmd under /usr/bin/time -v; returns wall seconds and time's fields."""
    t0 = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen([TIME, "-v", "-o", time_path] + cmd,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise BenchError(f"timed out after {timeout} s: {' '.join(cmd)}")
    wall = time.monotonic() - t0
    fields = parse_time_v(time_path)
    fields["wall_s"] = wall
    fields["rc"] = fields.get("exit_status", proc.returncode)
    return fields


def tail(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def norm_ws(s):
    return " ".join(s.split()) if isinstance(s, str) else s


def load_expected(site):
    exp = {}
    with open(os.path.join(site, "expected.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            exp[r["path"]] = r
    return exp


def real_check(db, expected, base):
    """Real mode: of the corpus pages whose expected record has a show name, how
    many the crawl stored with that name (the show of the page's record). Only
    the name: the copies of pages of one show from several sites are one show
    row here (one host serves them all), whose rating is the last page's."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = con.execute(
            "SELECT p.url, s.name FROM pages p LEFT JOIN shows s ON s.url = p.show_url"
        ).fetchall()
        con.close()
    except sqlite3.Error:
        return None
    stored = dict(rows)
    good = total = 0
    for path, r in expected.items():
        want = (r.get("expected") or {}).get("show_name")
        if want:
            total += 1
            # The corpus lists the acceptable names when a page carries two.
            accepted = [norm_ws(w) for w in (want if isinstance(want, list) else [want])]
            good += norm_ws(stored.get(f"{base}/{path}")) in accepted
    return good, total


def check_record(rec, want, base):
    """Number of the four fields (show_name, description, rating,
    related_shows) that match the generated page."""
    good = 0
    good += norm_ws(rec.get("show_name")) == norm_ws(want["show_name"])
    good += norm_ws(rec.get("description")) == norm_ws(want["description"])
    r, w = rec.get("rating"), want["rating"]
    good += bool(r) and r.get("value") is not None and abs(r["value"] - w["value"]) < 0.01 \
        and r.get("count") == w["count"]
    got = [(norm_ws(x.get("name")), x.get("url"), x.get("listeners"))
           for x in (rec.get("related_shows") or [])]
    exp = [(norm_ws(x["name"]), f"{base}/{x['url']}", x["listeners"])
           for x in want["related_shows"]]
    good += got == exp
    return good


# --------------------------------------------------------------------------
# podcrawl


def check_podcrawl(podcrawl):
    if not podcrawl or not os.access(podcrawl, os.X_OK):
        raise BenchError(
            f"podcrawl binary not found at '{podcrawl}'. Build it (cmake -S . -B build && "
            "cmake --build build) or pass --podcrawl PATH / set PODCRAWL; "
            "use --only scrapy to run the Scrapy half alone.")
    try:
        r = subprocess.run([podcrawl, "crawl", "--help"], capture_output=True, text=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BenchError(f"cannot run {podcrawl}: {e}")
    text = r.stdout + r.stderr
    missing = [f for f in REQUIRED_CRAWL_FLAGS if f not in text]
    if r.returncode != 0 or missing:
        raise BenchError(
            f"'{podcrawl} crawl' is not available yet (exit {r.returncode}; help lacks "
            f"{', '.join(missing) or 'nothing'}). The bench needs "
            "`podcrawl crawl URL --db PATH --concurrency N --per-host N --delay 0 --quiet` and "
            "`--seeds FILE --max-pages N`. Use --only scrapy to run the Scrapy half alone.")


def db_count(db, sql):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def podcrawl_pages(db):
    """HTML pages fetched with status 200 (robots.txt left out), from `fetches`;
    falls back to shows + episodes rows when `fetches` cannot be read."""
    n = db_count(db, "SELECT count(*) FROM fetches WHERE status = 200 "
                     "AND url NOT LIKE '%/robots.txt'")
    if n is None:
        s = db_count(db, "SELECT count(*) FROM shows") or 0
        e = db_count(db, "SELECT count(*) FROM episodes") or 0
        n = s + e
    return n


def podcrawl_check(db, expected, base):
    """Share of show pages whose name and rating in `shows` match the site."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = con.execute("SELECT url, name, rating_value, rating_count FROM shows").fetchall()
        con.close()
    except sqlite3.Error:
        return None
    want = {f"{base}/{p}": r for p, r in expected.items() if r["kind"] == "show"}
    good = 0
    for url, name, value, count in rows:
        w = want.get(url)
        if w and norm_ws(name) == norm_ws(w["show_name"]) and value is not None \
                and abs(value - w["rating"]["value"]) < 0.01 and count == w["rating"]["count"]:
            good += 1
    return good, len(want)


def run_podcrawl(args, work, base, expected, i, site_info):
    tag = f"podcrawl-{i}"
    db = os.path.join(work, f"{tag}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    # --max-pages well above the site's size, so that no default cap ends the crawl early.
    cmd = [args.podcrawl, "crawl", f"{base}/index.html", "--db", db,
           "--max-pages", str(2 * site_info["html_pages"] + 100),
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
           "--delay", "0", "--quiet"]
    log(f"run {i + 1}: podcrawl crawl ({' '.join(cmd[2:])})")
    m = timed_run(cmd, os.path.join(work, f"{tag}.time"), os.path.join(work, f"{tag}.out"),
                  os.path.join(work, f"{tag}.err"), args.timeout)
    if m["rc"] != 0:
        log(f"podcrawl exited {m['rc']}; last lines of its stderr:\n"
            f"{tail(os.path.join(work, tag + '.err'))}")
    m["pages"] = podcrawl_pages(db) or 0
    m["items"] = (db_count(db, "SELECT count(*) FROM shows") or 0) + \
        (db_count(db, "SELECT count(*) FROM episodes") or 0)
    m["shows"] = db_count(db, "SELECT count(*) FROM shows")
    m["episodes"] = db_count(db, "SELECT count(*) FROM episodes")
    if site_info.get("mode") == "real":
        chk = real_check(db, expected, base)
        m["check"] = f"{chk[0]}/{chk[1]} show names right" if chk else "n/a"
    else:
        chk = podcrawl_check(db, expected, base)
        m["check"] = f"{chk[0]}/{chk[1]} show rows right (name, rating)" if chk else "n/a"
    m["summary"] = tail(os.path.join(work, f"{tag}.err"), 12)
    if args.recrawl:
        m["recrawl"] = derived(run_recrawl(args, work, db, tag))
    return m


def run_recrawl(args, work, db, tag):
    """`podcrawl crawl --recrawl` of the crawl just made: every page asked for
    again with its validators; nginx answers 304 to the unchanged ones."""
    cmd = [args.podcrawl, "crawl", "--recrawl", "--db", db,
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
           "--delay", "0"]
    before = db_count(db, "SELECT count(*) FROM fetches") or 0
    log(f"  podcrawl crawl --recrawl of {tag}")
    m = timed_run(cmd, os.path.join(work, f"{tag}-recrawl.time"),
                  os.path.join(work, f"{tag}-recrawl.out"),
                  os.path.join(work, f"{tag}-recrawl.err"), args.timeout)
    after = db_count(db, "SELECT count(*) FROM fetches") or 0
    # Pages asked for again: the fetches the recrawl logged (its 200s and 304s).
    m["pages"] = after - before
    return m


# --------------------------------------------------------------------------
# Scrapy


def run_scrapy(args, work, base, expected, i, site_info):
    tag = f"scrapy-{i}"
    items = os.path.join(work, f"{tag}.jsonl")
    stats_path = os.path.join(work, f"{tag}.stats.json")
    cmd = [PYTHON, os.path.join(HERE, "spider.py"), "--url", f"{base}/index.html",
           "--out", items, "--stats", stats_path,
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host)]
    log(f"run {i + 1}: scrapy (CONCURRENT_REQUESTS={args.concurrency}, "
        f"CONCURRENT_REQUESTS_PER_DOMAIN={args.per_host})")
    m = timed_run(cmd, os.path.join(work, f"{tag}.time"), os.path.join(work, f"{tag}.out"),
                  os.path.join(work, f"{tag}.err"), args.timeout)
    if m["rc"] != 0:
        log(f"scrapy exited {m['rc']}; last lines of its stderr:\n"
            f"{tail(os.path.join(work, tag + '.err'))}")
    try:
        with open(stats_path, encoding="utf-8") as f:
            stats = json.load(f)
    except (OSError, ValueError):
        stats = {}
    ok = stats.get("downloader/response_status_count/200", 0)
    robots_ok = stats.get("robotstxt/response_status_count/200", 0)
    m["pages"] = ok - robots_ok
    m["robots_forbidden"] = stats.get("robotstxt/forbidden", 0)
    n_items, good, total = 0, 0, 0
    try:
        with open(items, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                n_items += 1
                path = rec["url"][len(base) + 1:]
                want = expected.get(path)
                if want and site_info.get("mode") != "real":
                    good += check_record(rec, want, base)
                    total += 4
    except OSError:
        pass
    m["items"] = n_items
    if site_info.get("mode") == "real":
        m["check"] = "not checked on real pages (its selectors are the generated site's)"
    else:
        m["check"] = f"{good}/{total} fields right" if total else "n/a"
    return m


# --------------------------------------------------------------------------
# Reporting


def derived(m):
    pages = m.get("pages") or 0
    cpu = m.get("user_s", 0.0) + m.get("sys_s", 0.0)
    m["cpu_s"] = cpu
    m["pages_per_s"] = pages / m["wall_s"] if m["wall_s"] > 0 else 0.0
    m["cpu_per_1k"] = cpu / pages * 1000 if pages else float("nan")
    m["rss_mb"] = m.get("max_rss_kb", 0) / 1024
    return m


def median_of(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else float("nan")


def print_table(results, repeat):
    keys = [("wall_s", "wall s", "{:.1f}"), ("pages", "pages", "{:.0f}"),
            ("items", "items", "{:.0f}"), ("pages_per_s", "pages/s", "{:.1f}"),
            ("cpu_per_1k", "CPU s/1k pages", "{:.2f}"), ("rss_mb", "peak RSS MB", "{:.1f}")]
    label = "median of %d runs" % repeat if repeat > 1 else "1 run"
    print(f"\ncrawl_bench results ({label})")
    header = f"{'crawler':<10}" + "".join(f"{h:>16}" for _, h, _ in keys)
    print(header)
    print("-" * len(header))
    med = {}
    for name, runs in results.items():
        if not runs:
            continue
        med[name] = {k: median_of(runs, k) for k, _, _ in keys}
        print(f"{name:<10}" + "".join(f"{fmt.format(med[name][k]):>16}" for k, _, fmt in keys))
    for name, runs in results.items():
        for j, r in enumerate(runs):
            print(f"  {name} run {j + 1}: exit {r['rc']}, {r['pages']} pages in {r['wall_s']:.1f} s, "
                  f"{r['check']}")
    recrawls = [r["recrawl"] for r in results.get("podcrawl", []) if r.get("recrawl")]
    if recrawls and "podcrawl" in med:
        cpu = median_of(recrawls, "cpu_per_1k")
        share = cpu / med["podcrawl"]["cpu_per_1k"] if med["podcrawl"]["cpu_per_1k"] else float("nan")
        print(f"\npodcrawl crawl --recrawl (unchanged pages, 304): "
              f"{median_of(recrawls, 'pages'):.0f} pages, {cpu:.2f} CPU s/1k pages, "
              f"{median_of(recrawls, 'pages_per_s'):.1f} pages/s: "
              f"{share * 100:.1f}% of a first crawl's CPU per page (goal: <= 5%)")
        med["recrawl_cpu_per_1k"] = cpu
        med["recrawl_share"] = share
    if "podcrawl" in med and "scrapy" in med and med["scrapy"]["pages_per_s"] > 0:
        ratio = med["podcrawl"]["pages_per_s"] / med["scrapy"]["pages_per_s"]
        print(f"\npodcrawl/Scrapy pages/s ratio: {ratio:.2f}x (goal: >= 3x)")
        med["ratio"] = ratio
        if med["scrapy"]["cpu_per_1k"] > 0:
            cpu_ratio = med["podcrawl"]["cpu_per_1k"] / med["scrapy"]["cpu_per_1k"]
            print(f"podcrawl/Scrapy CPU per page: {cpu_ratio:.2f} (goal: <= 0.5)")
            med["cpu_ratio"] = cpu_ratio
    return med


# --------------------------------------------------------------------------
# Modes


def crawl_mode(args, work, nginx, site, site_info):
    expected = load_expected(site)
    results = {"podcrawl": [], "scrapy": []}
    order = []
    if args.only in ("both", "podcrawl"):
        order.append("podcrawl")
    if args.only in ("both", "scrapy"):
        order.append("scrapy")
    for i in range(args.repeat):
        # Alternate which crawler goes first so neither always gets the warmer machine.
        seq = order if i % 2 == 0 else list(reversed(order))
        for name in seq:
            fn = run_podcrawl if name == "podcrawl" else run_scrapy
            m = derived(fn(args, work, nginx.base, expected, i, site_info))
            results[name].append(m)
            log(f"  {name}: {m['pages']} pages, {m['wall_s']:.1f} s, "
                f"{m['pages_per_s']:.1f} pages/s, CPU {m['cpu_s']:.1f} s, "
                f"peak RSS {m['rss_mb']:.1f} MB, {m['check']}")
    med = print_table(results, args.repeat)
    if results["podcrawl"] and results["podcrawl"][-1]["summary"].strip():
        print("\npodcrawl's stderr (last run, last lines):")
        print(results["podcrawl"][-1]["summary"].rstrip())
    return {"runs": results, "median": med}


def frontier_mode(args, work, nginx):
    n = args.frontier_urls
    seeds = os.path.join(work, "seeds-frontier.txt")
    log(f"writing {n:,} seed URLs to {seeds}")
    with open(seeds, "w", encoding="ascii") as f:
        base = nginx.base
        step = 100000
        for lo in range(0, n, step):
            f.write("".join(f"{base}/p/{k}.html\n" for k in range(lo, min(n, lo + step))))
    db = os.path.join(work, "frontier.db")
    cmd = [args.podcrawl, "crawl", "--seeds", seeds, "--db", db,
           "--max-pages", str(args.max_pages), "--concurrency", str(args.concurrency),
           "--per-host", str(args.per_host), "--delay", "0", "--quiet"]
    log(f"podcrawl crawl --seeds ({n:,} URLs) --max-pages {args.max_pages}")
    m = timed_run(cmd, os.path.join(work, "frontier.time"), os.path.join(work, "frontier.out"),
                  os.path.join(work, "frontier.err"), args.timeout)
    m["frontier_rows"] = db_count(db, "SELECT count(*) FROM frontier")
    m["fetched"] = db_count(db, "SELECT count(*) FROM fetches")
    m["db_mb"] = sum(os.path.getsize(db + s) for s in ("", "-wal")
                     if os.path.exists(db + s)) / 1e6
    m["rss_mb"] = m.get("max_rss_kb", 0) / 1024
    print(f"\n1M-URL frontier: {n:,} seeds, --max-pages {args.max_pages}")
    print(f"  exit {m['rc']}, wall {m['wall_s']:.1f} s, CPU {m.get('user_s', 0) + m.get('sys_s', 0):.1f} s")
    print(f"  frontier rows: {m['frontier_rows']}, fetches rows: {m['fetched']}, "
          f"database {m['db_mb']:.1f} MB")
    verdict = "within" if m["rss_mb"] <= 64 else "OVER"
    print(f"  peak RSS: {m['rss_mb']:.1f} MB ({verdict} the 64 MB goal)")
    if m["rc"] != 0:
        print(f"  podcrawl stderr (last lines):\n{tail(os.path.join(work, 'frontier.err'))}")
    return m


def main():
    ap = argparse.ArgumentParser(
        prog="run.sh", description="podcrawl vs Scrapy on a generated podcast site served "
        "by nginx on 127.0.0.1 (see bench/crawl_bench/README.md)")
    ap.add_argument("--pages", type=int, default=None,
                    help="podcast pages to generate (default 10000; 100 with --frontier-1m)")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    ap.add_argument("--per-host", type=int, default=None,
                    help="requests in flight per host (default: --concurrency)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each crawler N times, alternately; report medians")
    ap.add_argument("--only", choices=("both", "podcrawl", "scrapy"), default="both")
    ap.add_argument("--podcrawl", default=os.environ.get("PODCRAWL",
                                                         os.path.join(REPO, "build/cli/podcrawl")),
                    help="podcrawl binary (default $PODCRAWL or build/cli/podcrawl)")
    ap.add_argument("--site", choices=("generated", "real"), default="generated",
                    help="generated: gen_site.py's Next.js-style pages (default); real: the "
                    "real corpus pages served as they are (gen_real_site.py)")
    ap.add_argument("--recrawl", action="store_true",
                    help="after each podcrawl crawl, time `crawl --recrawl` of it (304s)")
    ap.add_argument("--frontier-1m", action="store_true",
                    help="instead: peak RSS of a podcrawl crawl seeded with 1,000,000 URLs")
    ap.add_argument("--frontier-urls", type=int, default=1000000, help=argparse.SUPPRESS)
    ap.add_argument("--max-pages", type=int, default=2000,
                    help="--max-pages for the frontier crawl (default 2000)")
    ap.add_argument("--nginx-workers", type=int, default=1, help="nginx worker_processes")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds allowed per crawl")
    ap.add_argument("--workdir", help="use this directory instead of a new temp dir")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (site, DBs, logs)")
    ap.add_argument("--json", help="also write all measurements to this JSON file")
    args = ap.parse_args()
    if args.pages is None:
        args.pages = 100 if args.frontier_1m else 10000
    args.per_host = args.per_host or args.concurrency
    if args.repeat < 1 or args.concurrency < 1 or args.pages < 1:
        ap.error("--repeat, --concurrency and --pages must be positive")
    if args.podcrawl and os.sep not in args.podcrawl:
        args.podcrawl = shutil.which(args.podcrawl) or args.podcrawl
    if args.podcrawl:
        args.podcrawl = os.path.abspath(args.podcrawl)

    if args.frontier_1m or args.only != "scrapy":
        check_podcrawl(args.podcrawl)

    work = args.workdir or tempfile.mkdtemp(prefix="crawlbench-")
    os.makedirs(work, exist_ok=True)
    work = os.path.abspath(work)
    os.chmod(work, 0o755)  # nginx workers may run as another user
    log(f"work dir: {work}")
    nginx = None
    try:
        real = args.site == "real" and not args.frontier_1m
        site = os.path.join(work, "site-real" if real else "site")
        info_path = os.path.join(site, "site.json")
        info = None
        if os.path.exists(info_path):
            with open(info_path, encoding="utf-8") as f:
                info = json.load(f)
            if info.get("podcast_pages") != args.pages:
                shutil.rmtree(site)
                info = None
        if info is None:
            log(f"generating {args.pages:,} podcast pages in {site}")
            t0 = time.monotonic()
            generator = "gen_real_site.py" if real else "gen_site.py"
            subprocess.run([PYTHON, os.path.join(HERE, generator), site,
                            "--pages", str(args.pages)], check=True, stdout=subprocess.DEVNULL)
            with open(info_path, encoding="utf-8") as f:
                info = json.load(f)
            log(f"  {info['html_pages']:,} HTML pages, podcast pages {info['mean_page_bytes'] / 1024:.0f} KB "
                f"on average ({info['min_page_bytes'] / 1024:.0f}-{info['max_page_bytes'] / 1024:.0f} KB), "
                f"{time.monotonic() - t0:.0f} s")
        else:
            log(f"reusing the site in {site} ({info['html_pages']:,} HTML pages)")
        nginx = Nginx(work, site, args.nginx_workers)
        nginx.start()
        log(f"nginx serving {site} on {nginx.base}")
        report = {"site": info, "concurrency": args.concurrency, "per_host": args.per_host,
                  "base": nginx.base}
        if args.frontier_1m:
            report["frontier"] = frontier_mode(args, work, nginx)
        else:
            report.update(crawl_mode(args, work, nginx, site, info))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(report, f, indent=1, default=str)
        return 0
    except BenchError as e:
        log(f"error: {e}")
        return 3
    finally:
        if nginx:
            nginx.stop()
        if args.keep or args.workdir:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C, so nginx is stopped and the temp dir removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main())
    except BenchError as e:
        log(f"error: {e}")
        sys.exit(3)
    except KeyboardInterrupt:
        sys.exit(130)
