#!/usr/bin/env bash
# examples/infra-repo: every command its CI files name exists, and the commands they run work from that directory
# against the emulator (merge request: audit and check without any password; main: the rollout with the vault).
set -eu
exec python infra_repo_test.py "$@"
