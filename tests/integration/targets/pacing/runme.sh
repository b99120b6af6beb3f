#!/usr/bin/env bash
# requests_per_minute: a rollout with more forks than the rate, and two playbooks side by side, against the
# emulator with PingOne's per-minute limit switched on; asserts on the emulator's request log. About 2.5 minutes:
# the rate is a real rolling minute.
set -eu
exec python pacing_test.py "$@"
