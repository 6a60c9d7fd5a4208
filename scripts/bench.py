#!/usr/bin/env python3
"""Measure scan throughput against the zcat floor, in one run, and append the
figures to docs/benchmarks.md.

Usage: bench.py [--records N] [--repeat K] [--no-append] [--stream-gb G]

It generates the synthetic corpus (scripts/make-bench-corpus.py) into
.build/bench/ when missing, then measures, in K rounds that each run every
command once:
  - the inflate floor: zcat over every file, as many processes as cores;
  - trailscan scan --jobs CORES with the default rules;
  - the same with 1000 extra generated rules;
  - trailscan scan - with the NDJSON stream on standard input;
  - DuckDB filtering the same files, when the duckdb Python package exists;
  - once, G GB of NDJSON (the stream repeated, default 2) through one
    standard-input scan, for its peak RSS.
Peak RSS comes from wait4() of each child. Seconds are medians over the
rounds. A command's share of the floor is the median of its ratio to the zcat
run of the same round. On a shared machine, a neighbour's load that slows one
round then slows both sides of that round's ratio.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, ".build", "release", "trailscan")
cores = os.cpu_count() or 1


def run(command, stdin=None):
    """Runs `command`; returns (seconds, peak RSS in MB, exit status)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_fed(command, path, total_bytes):
    """Runs `command` with `path` written to its standard input over and over
    until `total_bytes` have been sent. Returns (seconds, peak RSS in MB,
    exit status, bytes sent)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    sent = 0
    with open(path, "rb") as source:
        data = source.read()
    while sent < total_bytes:
        process.stdin.write(data)
        sent += len(data)
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), sent


def timed_run(command, stdin_path=None, before=None):
    """Runs `command` once, after `before`; returns (seconds, peak RSS in MB)."""
    if before:
        before()
    stdin = open(stdin_path, "rb") if stdin_path else None
    seconds, peak, status = run(command, stdin)
    if stdin:
        stdin.close()
    if status not in (0, 1):
        sys.exit(f"benchmark command failed with status {status}: {' '.join(command)}")
    return seconds, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds; each runs every command once")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--stream-gb", type=float, default=2.0,
                        help="also feed this many GB of NDJSON to one scan - (the corpus stream repeated), 0 to skip")
    options = parser.parse_args()

    corpus = os.path.join(root, ".build", "bench", f"corpus-{options.records}")
    rules = os.path.join(root, ".build", "bench", "rules-1000")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(root, "scripts", "make-bench-corpus.py"), corpus,
                        str(options.records), rules, "1000"], check=True)
    files = sorted(glob.glob(os.path.join(corpus, "AWSLogs", "**", "*.json.gz"), recursive=True))
    stream = os.path.join(corpus, "stream.ndjson")
    json_bytes = os.path.getsize(stream)
    database = os.path.join(root, ".build", "bench", "bench.db")

    def fresh_database():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(database + suffix):
                os.remove(database + suffix)

    chunk = (len(files) + cores - 1) // cores
    floor_script = f"printf '%s\\n' {' '.join(files)} | xargs -P {cores} -n {chunk} zcat > /dev/null"
    # Each measurement: (name, command, standard input, setup before each run).
    scan = [binary, "scan", os.path.join(corpus, "AWSLogs"), "--db", database, "--jobs", str(cores), "--quiet"]
    measurements = [
        ("zcat floor, %d processes" % cores, ["sh", "-c", floor_script], None, None),
        (f"scan --jobs {cores}, default rules", scan, None, fresh_database),
        (f"scan --jobs {cores}, default + 1000 rules", scan + ["--rules", rules], None, fresh_database),
        (f"scan - (NDJSON on stdin), --jobs {cores}",
         [binary, "scan", "-", "--db", database, "--jobs", str(cores), "--quiet"], stream, fresh_database),
    ]
    try:
        import duckdb  # noqa: F401
        query = ("SELECT count(*) FROM (SELECT unnest(Records) AS r FROM read_json('%s', maximum_object_size=100000000)) "
                 "WHERE r.eventName = 'StopLogging'" % os.path.join(corpus, "AWSLogs", "**", "*.json.gz"))
        script = f"import duckdb; c = duckdb.connect(); c.execute('SET threads={cores}'); print(c.execute(\"{query}\").fetchall())"
        measurements.append(("DuckDB, one filter (peer)", [sys.executable, "-c", script], None, None))
    except ImportError:
        pass

    runs = {name: [] for name, _, _, _ in measurements}
    for _ in range(options.repeat):
        for name, command, stdin_path, before in measurements:
            runs[name].append(timed_run(command, stdin_path, before))
    floor_runs = [seconds for seconds, _ in runs[measurements[0][0]]]
    results = []
    for name, _, _, _ in measurements:
        seconds = [run_seconds for run_seconds, _ in runs[name]]
        share = statistics.median(floor / own for floor, own in zip(floor_runs, seconds))
        results.append((name, statistics.median(seconds), share, max(peak for _, peak in runs[name])))

    long_stream = None
    if options.stream_gb > 0:
        fresh_database()
        seconds, peak, status, sent = run_fed([binary, "scan", "-", "--db", database, "--jobs", str(cores), "--quiet"],
                                              stream, int(options.stream_gb * 1e9))
        if status not in (0, 1):
            sys.exit(f"the long stream scan failed with status {status}")
        records = options.records * (sent // json_bytes)
        long_stream = (f"Long stream: {sent / 1e9:.2f} GB of NDJSON ({records:,} records, the corpus stream sent "
                       f"{sent // json_bytes} times, so repeats are duplicates) to one `scan - --jobs {cores}`: "
                       f"{seconds:.1f} s, {records / seconds:,.0f} records/s, peak RSS {peak:.0f} MB.")

    lines = []
    lines.append(f"{options.records:,} records, {json_bytes / 1e6:.0f} MB of JSON in {len(files)} gzip files; "
                 f"{options.repeat} rounds, each running every command once; seconds are medians, and a "
                 f"share of the floor is the median of each round's ratio to that round's zcat")
    lines.append("")
    lines.append("| what | seconds | records/s | MB/s of JSON | share of the zcat floor | peak RSS (MB) |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, share, peak in results:
        lines.append(f"| {name} | {seconds:.2f} | {options.records / seconds:,.0f} | {json_bytes / 1e6 / seconds:.0f} | "
                     f"{share:.0%} | {peak:.0f} |")
    if long_stream:
        lines.append("")
        lines.append(long_stream)
    text = "\n".join(lines)
    print(text)

    if not options.no_append:
        machine = f"{platform.machine()}, {cores} cores, {platform.platform()}"
        with open(os.path.join(root, "docs", "benchmarks.md"), "a", encoding="utf-8") as handle:
            handle.write(f"\n### `make bench`, {datetime.date.today().isoformat()}\n\nMachine: {machine}.\n\n{text}\n")


if __name__ == "__main__":
    main()
