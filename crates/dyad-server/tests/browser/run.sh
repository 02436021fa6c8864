#!/usr/bin/env bash
# Browser test of the dashboard with real headless Chromium (Debian
# `chromium` + `chromium-driver`), driven over WebDriver by dashboard.mjs
# (plain Node >= 18, no npm packages).
#
#   tests/browser/run.sh DYAD_BIN [OUT_DIR]
#
# DYAD_BIN must accept `serve --db PATH --addr HOST:PORT --token TOKEN`
# (the `dyad` binary, or the fake_serve example of dyad-server). The server
# runs with a fresh temporary database; the screenshot goes to
# OUT_DIR/dashboard.png (default: target/browser/ under the repo root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
bin="${1:?usage: run.sh DYAD_BIN [OUT_DIR]}"
out="${2:-$repo/target/browser}"
seed="$repo/../shared/corpus/000_86ffe86b06bc2f2f.txt"

if [ ! -f "$seed" ]; then
  echo "skipping: ../shared not found"
  exit 0
fi
for tool in node "${CHROMIUM:-chromium}" "${CHROMEDRIVER:-chromedriver}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser test: $tool not found (apt-get install -y chromium chromium-driver nodejs)" >&2
    exit 1
  fi
done

mkdir -p "$out"
tmp="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
token="browser-$RANDOM$RANDOM$RANDOM"

"$bin" serve --db "$tmp/events.db" --addr "127.0.0.1:$port" --token "$token" >"$out/server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

node "$here/dashboard.mjs" \
  --url "http://127.0.0.1:$port/" \
  --token "$token" \
  --article "$seed" \
  --out "$out"
