#!/usr/bin/env bash
# Rotation by date across a rollout and its rerun (ansible-playbook pingone.platform.rollout), against the emulator.
set -eu
PYTHONPATH=../setup_playbook_test/files${PYTHONPATH:+:$PYTHONPATH} exec python rotation_test.py "$@"
