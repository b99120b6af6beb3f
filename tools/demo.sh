#!/usr/bin/env bash
# The main job: roll the SMTP settings of playbooks/vars/smtp.yml out to many PingOne environments.
# Against the local emulator by default; against real PingOne when PINGONE_CLIENT_ID (or
# PINGONE_API_ACCESS_TOKEN) is set in the environment.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_COLLECTIONS_PATH="$ROOT/.demo/collections"
# Install this checkout as the collection, as a user would from Galaxy.
rm -rf .demo/collections && mkdir -p .demo/collections
ansible-galaxy collection build --force --output-path .demo >/dev/null
ansible-galaxy collection install --force .demo/pingone-platform-*.tar.gz -p .demo/collections >/dev/null 2>&1

extra=()
if [ -z "${PINGONE_CLIENT_ID:-}${PINGONE_API_ACCESS_TOKEN:-}" ]; then
  echo "== No PINGONE_* credentials set: starting the local PingOne emulator (6 environments, 2 types, 2 regions)"
  trap '"$ROOT/tools/emulator.sh" stop "$ROOT/.demo/emulator"' EXIT
  PYTHON=python "$ROOT/tools/emulator.sh" start "$ROOT/.demo/emulator" --seed 6
  eval "$(python - "$ROOT/.demo/emulator/emulator.json" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
for name, value in (('PINGONE_API_SERVICE_HOSTNAME', info['host']), ('PINGONE_AUTH_SERVICE_HOSTNAME', info['host']),
                    ('PINGONE_CLIENT_ID', info['client_id']), ('PINGONE_CLIENT_SECRET', info['client_secret']),
                    ('PINGONE_ENVIRONMENT_ID', info['auth_environment_id']), ('DEMO_CA_PATH', info['ca_path'])):
    print('export %s=%s' % (name, shlex.quote(value)))
PY
)"
  extra=(-e "pingone_ca_path=$DEMO_CA_PATH")
  export SMTP_PASSWORD=${SMTP_PASSWORD:-demo-smtp-password}
else
  echo "== PINGONE_* credentials set: targeting real PingOne"
  : "${SMTP_PASSWORD:?set SMTP_PASSWORD to the SMTP server password to roll out}"
fi
inventory=playbooks/inventory/pingone.yml

echo "== 1. Audit: which environments differ from the desired settings (read-only; fails on drift)"
ansible-playbook -i "$inventory" "${extra[@]}" playbooks/audit.yml || echo "-> drift found, as expected before the rollout"
echo "== 2. Rollout in waves: one canary, then 25%, then the rest; sandboxes before production"
ansible-playbook -i "$inventory" "${extra[@]}" playbooks/rollout.yml
echo "== 3. The same rollout again: nothing changes"
ansible-playbook -i "$inventory" "${extra[@]}" playbooks/rollout.yml | tee .demo/second-run.txt
grep -Eq 'changed=[1-9]' .demo/second-run.txt && { echo "the second rollout changed something"; exit 1; }
echo "== 4. Audit again: no drift"
ansible-playbook -i "$inventory" "${extra[@]}" playbooks/audit.yml
echo "== Demo done"
