#!/usr/bin/env bash
# Rotation by date across a rollout and its rerun (ansible-playbook pingone.platform.rollout), against the emulator.
set -eu
exec python rotation_test.py "$@"
