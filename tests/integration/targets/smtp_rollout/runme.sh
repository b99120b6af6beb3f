#!/usr/bin/env bash
# The smtp_rollout role and the rollout/audit/reset playbooks, run as users run them
# (ansible-playbook pingone.platform.<playbook>) against the emulator, over a static inventory.
set -eu
exec python rollout_test.py "$@"
