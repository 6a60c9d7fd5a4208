#!/usr/bin/env bash
# Prints the DOM that headless Chromium builds from an HTML report, so a
# test can check that no element came from event text.
#
# Usage: scripts/check-html-report.sh REPORT.html
# Installs the Debian package chromium when it is missing and apt-get can
# run (as root or through sudo). Exits 77 when Chromium is still missing,
# so the caller can tell "unavailable" from "failed".
set -euo pipefail

report=${1:?usage: scripts/check-html-report.sh REPORT.html}

find_chromium() {
    command -v chromium || command -v chromium-browser || true
}

browser=$(find_chromium)
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
    if [ "$sudo" != none ] && command -v apt-get >/dev/null; then
        echo "check-html-report: installing chromium with apt-get" >&2
        $sudo apt-get install -y -qq chromium >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq chromium >&2; } || true
    fi
    browser=$(find_chromium)
fi
if [ -z "$browser" ]; then
    echo "check-html-report: chromium is not installed and could not be installed" >&2
    exit 77
fi

# A private profile folder, so parallel runs do not share a lock.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --dump-dom "file://$(realpath "$report")" 2>/dev/null
