#!/usr/bin/env bash
# Times `trailscan report` in every format over a database of 1,000,000
# findings. The schema comes from a real `trailscan scan` of samples/. The
# rows are copies of its 40 findings with new event IDs, times spread over
# 90 days, 20 accounts and 200 principals. A recursive CTE in the sqlite3
# command-line tool generates them.
#
# Usage: scripts/bench-report.sh [ROWS]   (default 1000000; needs sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${1:-1000000}
work=${BENCH_DIR:-/tmp/trailscan-bench-report}
database="$work/bench.db"
mkdir -p "$work"

swift build -c release --product trailscan >&2
binary=$(swift build -c release --show-bin-path)/trailscan

if [ ! -f "$database" ] || [ "$(sqlite3 "$database" 'SELECT count(*) FROM findings')" != "$rows" ]; then
    rm -f "$database" "$database-wal" "$database-shm"
    "$binary" scan samples --db "$database" --config samples/trailscan.json --quiet
    echo "generating $rows findings in $database" >&2
    sqlite3 "$database" <<SQL
CREATE TEMP TABLE seed AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM findings;
DELETE FROM findings;
WITH RECURSIVE counter(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM counter WHERE i < $rows - 1)
INSERT INTO findings (event_id, rule, score, severity, event_time, account_id, region, event_source, event_name,
    principal_arn, principal_type, source_ip, user_agent, error_code, reasons, source, event, base_score,
    static_reasons, event_epoch)
SELECT printf('bench-%08d', i), seed.rule, (seed.score + i) % 101,
    CASE WHEN (seed.score + i) % 101 >= 90 THEN 'critical' WHEN (seed.score + i) % 101 >= 70 THEN 'high'
         WHEN (seed.score + i) % 101 >= 40 THEN 'medium' ELSE 'low' END,
    strftime('%Y-%m-%dT%H:%M:%SZ', 1748736000 + i * 7776000 / $rows, 'unixepoch'),
    printf('%012d', 100000000000 + i % 20), seed.region, seed.event_source, seed.event_name,
    printf('arn:aws:iam::%012d:user/user-%d', 100000000000 + i % 20, i % 200), seed.principal_type,
    seed.source_ip, seed.user_agent, seed.error_code, seed.reasons, seed.source, seed.event, seed.base_score,
    seed.static_reasons, 1748736000 + i * 7776000 / $rows
FROM counter JOIN seed ON seed.n = i % (SELECT count(*) FROM seed);
SQL
fi

# A scan with nothing new to read brings an older database's schema up to date.
"$binary" scan samples --db "$database" --config samples/trailscan.json --quiet
echo "database: $(sqlite3 "$database" 'SELECT count(*) FROM findings') findings, $(du -h "$database" | cut -f1)"
run() {
    local label=$1
    shift
    /usr/bin/time -f "$label: %e s, max RSS %M KiB" "$binary" report --db "$database" "$@" -o "$work/out" 2>&1
}
for format in text markdown html csv json; do
    run "$format (top 20)" --format "$format"
done
run "json, --since 2025-08-01" --format json --since 2025-08-01
[ "${BENCH_ALL:-0}" = 1 ] && run "csv --all" --format csv --all
