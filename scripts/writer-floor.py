#!/usr/bin/env python3
"""Times SQLite alone storing what a scan stored: the writer's floor.

Usage: scripts/writer-floor.py SCANNED_DB [SCRATCH_DB]

Reads the findings, denied calls and baseline rows of a database that
`trailscan scan` wrote, then inserts them into a fresh database with the
same schema and pragmas (16 KiB pages, WAL, synchronous=NORMAL, 32 MiB of
page cache) in one transaction, as fast as Python's sqlite3 module can feed
them. Prints the seconds for the inserts, the commit and the close.
"""
import os
import sqlite3
import sys
import time

FINDING_COLUMNS = ("event_id, rule, score, severity, event_time, account_id, region, event_source, event_name, "
                   "principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event, "
                   "base_score, static_reasons, event_epoch")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2])
    source_path = sys.argv[1]
    scratch = sys.argv[2] if len(sys.argv) == 3 else source_path + ".floor"
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    findings = source.execute(f"SELECT {FINDING_COLUMNS} FROM findings ORDER BY id").fetchall()
    denied = source.execute("SELECT principal, event_epoch, event_id FROM denied_calls").fetchall()
    baseline = source.execute(
        "SELECT principal, kind, value, first_epoch, first_event_id FROM baseline").fetchall()
    schema = [row[0] for row in source.execute(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
    source.close()

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(scratch + suffix):
            os.remove(scratch + suffix)
    target = sqlite3.connect(scratch, isolation_level=None)
    for pragma in ("page_size = 16384", "journal_mode = WAL", "synchronous = NORMAL", "cache_size = -32768"):
        target.execute("PRAGMA " + pragma)
    for statement in schema:
        target.execute(statement)

    placeholders = ", ".join("?" * 20)
    started = time.perf_counter()
    target.execute("BEGIN IMMEDIATE")
    target.executemany(f"INSERT INTO findings ({FINDING_COLUMNS}) VALUES ({placeholders}) "
                       "ON CONFLICT (event_id, rule) DO NOTHING", findings)
    inserted = time.perf_counter()
    target.executemany("INSERT OR IGNORE INTO denied_calls VALUES (?, ?, ?)", denied)
    target.executemany("INSERT INTO baseline VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", baseline)
    others = time.perf_counter()
    target.execute("COMMIT")
    committed = time.perf_counter()
    target.close()
    closed = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(scratch + suffix):
            os.remove(scratch + suffix)

    print(f"{len(findings):,} findings, {len(denied):,} denied calls, {len(baseline):,} baseline rows")
    print(f"findings inserts {inserted - started:.3f} s, denied calls and baseline {others - inserted:.3f} s, "
          f"commit {committed - others:.3f} s, close {closed - committed:.3f} s, "
          f"total {closed - started:.3f} s")


if __name__ == "__main__":
    main()
