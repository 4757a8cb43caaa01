#!/bin/sh
# plansearch side by side with the peer engines of ../shared/bench/peers, in one run.
#
# usage: benches/compare.sh [--corpus DIR] [--queries FILE] [--runs N] [--scale K]
#                           [--only ENGINE,ENGINE] [--no-peers] [--work DIR] [--out FILE]
#
#   --corpus DIR    corpus folder (default ../shared/corpus)
#   --queries FILE  query list (default ../shared/bench/queries.txt; a space = all parts)
#   --runs N        index + query runs per engine, medians reported (default 3)
#   --scale K       index K copies of the corpus (each file given a distinct last
#                   line, so that no copy is a duplicate), built in the work folder
#   --only LIST     peers to run (names as in bench.py; default: every peer whose
#                   driver is present)
#   --no-peers      plansearch only
#   --work DIR      scratch folder (default a new temporary folder, removed after)
#   --out FILE      also write every figure as JSON
#
# Each engine indexes the same corpus from scratch and runs the same queries.
# Whole-process figures come from /usr/bin/time -v: index wall time (MB/s =
# corpus bytes / wall seconds, process start and dictionary load included),
# peak RSS of the index and of the query process (of the driver's process
# tree as far as it waits for it: a database server it starts is not in it).
# Index size is plansearch's index folder, and what each peer's driver
# reports as its index size (as bench.py does). Query p50/p99 are in-process times per query: the peers'
# drivers time each query themselves (bench.py's interface); plansearch's come
# from examples/query_latency (top 10 passages with snippets, and the same with
# facet counts). Raw jieba-rs throughput comes from
# ../shared/bench/peers/jieba_throughput (JIEBA_RS_ONLY=1).
set -e
HERE="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="$HERE/../shared/corpus"
QUERIES="$HERE/../shared/bench/queries.txt"
PEERS="$HERE/../shared/bench/peers"
RUNS=3
SCALE=1
ONLY=""
NO_PEERS=0
WORK=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) CORPUS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --no-peers) NO_PEERS=1; shift ;;
    --work) WORK="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }
CLEANUP=""
if [ -z "$WORK" ]; then
  WORK="$(mktemp -d)"
  CLEANUP="$WORK"
fi
# The postgres driver runs its server as the postgres user, inside this folder.
chmod 755 "$WORK"
trap '[ -n "$CLEANUP" ] && rm -rf "$CLEANUP"' EXIT

(cd "$HERE" && cargo build --release --quiet --bin plansearch --example query_latency)

CORPUS="$(cd "$CORPUS" && pwd)" QUERIES="$(cd "$(dirname "$QUERIES")" && pwd)/$(basename "$QUERIES")" \
PEERS="$PEERS" RUNS="$RUNS" SCALE="$SCALE" ONLY="$ONLY" NO_PEERS="$NO_PEERS" WORK="$WORK" OUT="$OUT" \
PLANSEARCH="$HERE/target/release/plansearch" LATENCY="$HERE/target/release/examples/query_latency" \
python3 - <<'PY'
import json, math, os, re, shutil, statistics, subprocess, sys

env = os.environ
corpus, queries, peers, work = env["CORPUS"], env["QUERIES"], env["PEERS"], env["WORK"]
runs, scale = int(env["RUNS"]), int(env["SCALE"])
plansearch, latency = env["PLANSEARCH"], env["LATENCY"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def dir_bytes(path, only_txt=False):
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            if only_txt and not f.endswith(".txt"):
                continue
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except FileNotFoundError:
                pass
    return total


def timed(cmd, extra_env=None, ok=(0,)):
    """Runs cmd under /usr/bin/time -v: (stdout, wall seconds, peak RSS bytes)."""
    tfile = os.path.join(work, "time.txt")
    r = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, capture_output=True, text=True,
                       env=dict(os.environ, **(extra_env or {})))
    if r.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-1500:]}")
    text = open(tfile).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    return r.stdout, secs, rss


def pct(xs, q):
    xs = sorted(xs)
    return xs[max(1, min(len(xs), math.ceil(q * len(xs)))) - 1]


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# The corpus, scaled if asked: every copy's files get a distinct last line.
src = corpus
if scale > 1:
    src = os.path.join(work, f"corpus_x{scale}")
    log(f"building the {scale}x corpus in {src}")
    for root, _dirs, files in os.walk(corpus):
        for f in files:
            if not f.endswith(".txt"):
                continue
            p = os.path.join(root, f)
            rel = os.path.relpath(p, corpus)
            data = open(p, "rb").read()
            for k in range(scale):
                out = os.path.join(src, f"copy{k:02d}", rel)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "wb") as fh:
                    fh.write(data)
                    if k:
                        fh.write(f"\n副本{k:02d}\n".encode())
corpus_bytes = dir_bytes(src, only_txt=True)
docs = sum(1 for _r, _d, fs in os.walk(src) for f in fs if f.endswith(".txt"))
log(f"corpus {src}: {docs} documents, {corpus_bytes / 1e6:.1f} MB")

rows = {}

# plansearch
idx_runs, q_runs = [], []
index = os.path.join(work, "plansearch-index")
for i in range(runs):
    shutil.rmtree(index, ignore_errors=True)
    _, secs, rss = timed([plansearch, "index", "--corpus", src, "--index", index, "--quiet"])
    size = dir_bytes(index)
    lat = json.loads(subprocess.run([latency, index, queries, "--rounds", "10", "--json"],
                                    check=True, capture_output=True, text=True).stdout)
    cold = []
    for _ in range(5):
        _, s, srss = timed([plansearch, "search", "乡村振兴", "产业", "--index", index, "--corpus", src],
                           ok=(0, 1))
        cold.append((s, srss))
    idx_runs.append({"seconds": secs, "rss": rss, "bytes": size})
    q_runs.append({"lat": lat, "cold_s": median([c[0] for c in cold]),
                   "search_rss": max(c[1] for c in cold)})
    log(f"plansearch run {i + 1}: index {secs:.2f} s, {rss / 2**20:.0f} MiB peak, "
        f"{size / 1e6:.1f} MB; top10 p50 {lat['top10']['p50_ms']:.3f} ms, facets p99 "
        f"{lat['facets']['p99_ms']:.3f} ms; cold search {q_runs[-1]['cold_s']:.3f} s")
ps = {
    "index_s": median([r["seconds"] for r in idx_runs]),
    "index_rss": median([r["rss"] for r in idx_runs]),
    "index_bytes": median([r["bytes"] for r in idx_runs]),
    "p50": median([q["lat"]["top10"]["p50_ms"] for q in q_runs]),
    "p99": median([q["lat"]["top10"]["p99_ms"] for q in q_runs]),
    "ids_p50": median([q["lat"]["top10-ids"]["p50_ms"] for q in q_runs]),
    "facets_p50": median([q["lat"]["facets"]["p50_ms"] for q in q_runs]),
    "facets_p99": median([q["lat"]["facets"]["p99_ms"] for q in q_runs]),
    "cold_s": median([q["cold_s"] for q in q_runs]),
    "query_rss": median([q["search_rss"] for q in q_runs]),
}
rows["plansearch"] = ps

# peers, through bench.py's engine table
if env["NO_PEERS"] != "1":
    sys.path.insert(0, peers)
    import bench  # noqa: E402
    names = [n for n in (env["ONLY"].split(",") if env["ONLY"] else bench.ENGINES) if n]
    for name in names:
        d, extra = bench.ENGINES[name]
        runner = os.path.join(peers, d, "run")
        if not os.path.exists(runner):
            log(f"skip {name}: no {runner}")
            continue
        idx = os.path.join(work, name)
        idx_runs, q_runs = [], []
        try:
            for i in range(runs):
                shutil.rmtree(idx, ignore_errors=True)
                out, secs, rss = timed([runner, "index", src, idx], extra)
                info = json.loads(out.strip().splitlines()[-1])
                out, _, qrss = timed([runner, "query", idx, queries], extra)
                q = json.loads(out.strip().splitlines()[-1])
                idx_runs.append({"seconds": secs, "rss": rss, "bytes": info.get("index_bytes") or dir_bytes(idx),
                                 "own_mb_per_s": info.get("mb_per_s")})
                q_runs.append({"ms": [x["ms"] for x in q["queries"]], "rss": qrss})
                log(f"{name} run {i + 1}: index {secs:.2f} s, {rss / 2**20:.0f} MiB peak; "
                    f"query median {statistics.median(q_runs[-1]['ms']):.3f} ms")
        except Exception as e:  # a peer that fails is reported, not fatal
            log(f"FAILED {name}: {e}")
            rows[name] = {"error": str(e)[:200]}
            continue
        all_ms = [ms for q in q_runs for ms in q["ms"]]
        rows[name] = {
            "index_s": median([r["seconds"] for r in idx_runs]),
            "index_rss": median([r["rss"] for r in idx_runs]),
            "index_bytes": median([r["bytes"] for r in idx_runs]),
            "own_mb_per_s": median([r["own_mb_per_s"] for r in idx_runs]),
            "p50": pct(all_ms, 0.5),
            "p99": pct(all_ms, 0.99),
            "query_rss": median([q["rss"] for q in q_runs]),
        }

# raw jieba-rs segmentation, the bound for a jieba-based indexer
jieba = None
try:
    r = subprocess.run(["sh", os.path.join(peers, "jieba_throughput", "run.sh"), src, "3"],
                       capture_output=True, text=True, env=dict(os.environ, JIEBA_RS_ONLY="1"), check=True)
    jieba = json.loads(r.stdout.strip().splitlines()[-1])
except Exception as e:
    log(f"raw jieba-rs meter failed: {e}")

mb = corpus_bytes / 1e6
base = rows["plansearch"]
def ratio(a, b):
    return f"{a / b:.2f}" if a and b else ""

print(f"\ncorpus: {src} ({docs} documents, {mb:.1f} MB); queries: {queries}; runs: {runs}")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
print(f"machine: {os.cpu_count()} cores, {cpu}, {int(mem) / 2**20:.1f} GiB RAM, load {os.getloadavg()[0]:.2f}\n")
print("| engine | index s | MB/s | MB/s ÷ plansearch | index MB | index ÷ corpus | query p50 ms | query p99 ms "
      "| p50 ÷ plansearch | index peak RSS MiB | query peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, r in rows.items():
    if "error" in r:
        print(f"| {name} | failed: {r['error']} | | | | | | | | | |")
        continue
    mbs = mb / r["index_s"]
    print(f"| {name} | {r['index_s']:.2f} | {mbs:.2f} | {ratio(mbs, mb / base['index_s'])} | "
          f"{r['index_bytes'] / 1e6:.1f} | {r['index_bytes'] / corpus_bytes:.2f} | {r['p50']:.3f} | {r['p99']:.3f} | "
          f"{ratio(r['p50'], base['p50'])} | {r['index_rss'] / 2**20:.0f} | {r['query_rss'] / 2**20:.0f} |")
print(f"\nplansearch, in process over the query list: top 10 ids only p50 {base['ids_p50']:.3f} ms; "
      f"top 10 with snippets p50 {base['p50']:.3f} / p99 {base['p99']:.3f} ms; with facet counts too "
      f"p50 {base['facets_p50']:.3f} / p99 {base['facets_p99']:.3f} ms")
print(f"plansearch, cold CLI search (new process, `search 乡村振兴 产业`): {base['cold_s'] * 1000:.0f} ms wall, "
      f"{base['query_rss'] / 2**20:.0f} MiB peak RSS")
if jieba:
    m = {x["mode"]: x["mb_per_s"] for x in jieba["modes"]}
    cores = os.cpu_count()
    print(f"raw jieba-rs {jieba['version']} (one thread, whole documents, hmm={jieba['hmm']}): "
          f"cut {m['cut']:.1f} MB/s, cut_for_search {m['cut_for_search']:.1f} MB/s; "
          f"plansearch indexing = {100 * mb / base['index_s'] / (m['cut_for_search'] * cores):.1f}% of "
          f"cut_for_search × {cores} cores")

# Issue 17's goals, each met or its shortfall (the query goals are in-process
# times with facet counts; 10x has its own p99 goal and the memory goal).
def goal(name, measured, limit, unit, at_most=True):
    met = measured <= limit if at_most else measured >= limit
    if met:
        verdict = "yes"
    else:
        verdict = f"**no**: {measured / limit:.2f}x the goal" if at_most else f"**no**: {measured / limit:.2f} of the goal"
    print(f"| {name} | {measured:.3f} {unit} | {'≤' if at_most else '≥'} {limit:.3f} {unit} | {verdict} |")

peers_ok = {n: r for n, r in rows.items() if n != "plansearch" and "error" not in r}
print(f"\ngoals at {scale}x:\n")
print("| goal | measured | goal | met? |")
print("|---|---|---|---|")
if peers_ok:
    fastest = min(peers_ok, key=lambda n: peers_ok[n]["index_s"])
    goal(f"indexing MB/s, ≥ 2x the fastest peer ({fastest}, {mb / peers_ok[fastest]['index_s']:.2f} MB/s)",
         mb / base["index_s"], 2 * mb / peers_ok[fastest]["index_s"], "MB/s", at_most=False)
else:
    print("| indexing MB/s, ≥ 2x the fastest peer | no peer ran | | not measured |")
goal("index size ÷ corpus, everything included", base["index_bytes"] / corpus_bytes, 0.6, "×")
if scale == 1:
    goal("query p50 with facets", base["facets_p50"], 0.5, "ms")
    goal("query p99 with facets", base["facets_p99"], 5.0, "ms")
    goal("cold CLI search", base["cold_s"] * 1000, 150.0, "ms")
else:
    goal("query p99 with facets", base["facets_p99"], 15.0, "ms")
    goal("indexing peak RSS", base["index_rss"] / 1e6, 600.0, "MB")
if env["OUT"]:
    with open(env["OUT"], "w") as fh:
        json.dump({"corpus": src, "bytes": corpus_bytes, "documents": docs, "runs": runs, "rows": rows,
                   "jieba": jieba}, fh, ensure_ascii=False, indent=1)
PY
