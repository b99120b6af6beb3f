#!/usr/bin/env bash
# The export playbook (ansible-playbook pingone.platform.export) against the emulator seeded with hand-made
# settings, and the round trip: the audit and the rollout over the exported files change nothing.
set -eu
exec python export_test.py "$@"
