#!/usr/bin/env bash
# The rollout lock: two rollouts of different settings started together over the same environments (one fails at once
# with 0 writes, or waits with rollout_lock_wait and runs wholly after), and a SIGKILLed holder that blocks nobody.
set -eu
exec python lock_test.py "$@"
