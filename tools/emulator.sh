#!/usr/bin/env bash
# Start or stop the PingOne emulator in the background: tools/emulator.sh start|stop STATE_DIR [emulator options]
# start waits until the emulator has written STATE_DIR/emulator.json (its URL, CA path and credentials).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=$1 dir=$2
shift 2
case "$action" in
  start)
    mkdir -p "$dir"
    rm -f "$dir/emulator.json"
    "${PYTHON:-python3}" "$ROOT/tests/emulator/pingone_emulator.py" --state-dir "$dir" "$@" >"$dir/emulator.log" 2>&1 &
    echo $! >"$dir/emulator.pid"
    for _ in $(seq 100); do
      [ -s "$dir/emulator.json" ] && exit 0
      kill -0 "$(cat "$dir/emulator.pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "emulator did not start; its log:" >&2
    cat "$dir/emulator.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/emulator.pid" ]; then
      kill "$(cat "$dir/emulator.pid")" 2>/dev/null || true
      rm -f "$dir/emulator.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop STATE_DIR [options]" >&2; exit 2 ;;
esac
