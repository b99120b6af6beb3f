#!/usr/bin/env bash
# The main job: roll the SMTP settings of examples/demo/group_vars/all/smtp.yml (the demo inventory) out to many PingOne environments.
# Against the local emulator by default; against real PingOne when PINGONE_CLIENT_ID (or
# PINGONE_API_ACCESS_TOKEN) is set in the environment.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_COLLECTIONS_PATH="$ROOT/.demo/collections"
# The pipeline settings the README recommends: an inventory source that fails to parse is an error, not a warning.
export ANSIBLE_CONFIG="$ROOT/playbooks/ansible.cfg"
# Install this checkout as the collection, as a user would from Galaxy.
rm -rf .demo/collections && mkdir -p .demo/collections
ansible-galaxy collection build --force --output-path .demo >/dev/null
ansible-galaxy collection install --force .demo/pingone-platform-*.tar.gz -p .demo/collections >/dev/null 2>&1

if [ -z "${PINGONE_CLIENT_ID:-}${PINGONE_API_ACCESS_TOKEN:-}" ]; then
  echo "== No PINGONE_* credentials set: starting the local PingOne emulator (6 environments, 2 types, 2 regions)"
  smtp_pid=
  trap '"$ROOT/tools/emulator.sh" stop "$ROOT/.demo/emulator"; [ -z "$smtp_pid" ] || kill "$smtp_pid"' EXIT
  PYTHON=python "$ROOT/tools/emulator.sh" start "$ROOT/.demo/emulator" --seed 6
  eval "$(python - "$ROOT/.demo/emulator/emulator.json" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
for name, value in (('PINGONE_API_SERVICE_HOSTNAME', info['host']), ('PINGONE_AUTH_SERVICE_HOSTNAME', info['host']),
                    ('PINGONE_CLIENT_ID', info['client_id']), ('PINGONE_CLIENT_SECRET', info['client_secret']),
                    ('PINGONE_ENVIRONMENT_ID', info['auth_environment_id']), ('PINGONE_CA_PATH', info['ca_path'])):
    print('export %s=%s' % (name, shlex.quote(value)))
PY
)"
  export SMTP_PASSWORD=${SMTP_PASSWORD:-demo-smtp-password}
  # A local SMTP server for the settings to point at, so the rollout's preflight has a real server to log in to:
  # STARTTLS on port 2525 (PingOne's rule: SMTP with STARTTLS on 587 and 2525), one user, a throwaway CA.
  # It listens on 127.0.0.1, which PingOne could not reach: the preflight is told to allow that address.
  echo "== Starting a local SMTP server (STARTTLS, 127.0.0.1:2525, user pingone-mailer) for the SMTP preflight"
  rm -rf .demo/smtp && mkdir -p .demo/smtp
  python tools/smtp_server.py .demo/smtp --tls starttls --address 127.0.0.1 --port 2525 --user pingone-mailer \
    >.demo/smtp/server.log 2>&1 &
  smtp_pid=$!
  for _ in $(seq 100); do [ -s .demo/smtp/smtp.json ] && break; sleep 0.1; done
  [ -s .demo/smtp/smtp.json ] || { echo "the SMTP server did not start:"; cat .demo/smtp/server.log; exit 1; }
  smtp_vars=(-e smtp_host=127.0.0.1 -e smtp_port=2525 -e "smtp_rollout_preflight_ca_path=$ROOT/.demo/smtp/ca.pem"
             -e smtp_rollout_preflight_allow_private=true)
  audit_ca=(-e "audit_preflight_ca_path=$ROOT/.demo/smtp/ca.pem")
  limit='demo-*'
else
  echo "== PINGONE_* credentials set: targeting real PingOne"
  : "${SMTP_PASSWORD:?set SMTP_PASSWORD to the password of the SMTP server in examples/demo/group_vars/all/smtp.yml}"
  : "${PINGONE_DEMO_LIMIT:?set PINGONE_DEMO_LIMIT to the environments to change (a host pattern such as 'test-*')}"
  limit=$PINGONE_DEMO_LIMIT
  smtp_vars=(-e "smtp_host=${SMTP_HOST:-smtp.example.com}" -e "smtp_port=${SMTP_PORT:-587}")
  audit_ca=()
fi
extra=(-i examples/demo/pingone.yml --limit "$limit" "${smtp_vars[@]}")
echo "== The environments, from the pingone.platform.environments inventory"
ansible-inventory "${extra[@]}" --graph

# The audit fails both on drift and when it could not look (no token, no environment, an API error): its report
# (-e audit_report) tells them apart. Drift is expected before the rollout; anything else stops the demo.
audit() {  # audit drift-or-clean|clean [ansible-playbook options]
  local expected=$1 report="$ROOT/.demo/audit.json" status=0 outcome
  shift
  rm -f "$report"
  ansible-playbook "${extra[@]}" pingone.platform.audit -e "audit_report=$report" "$@" || status=$?
  outcome=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["outcome"])' "$report" 2>/dev/null || echo "no report")
  case "$status:$outcome" in
    0:clean) echo "-> every environment matches (clean)" ;;
    [1-9]*:drift) [ "$expected" = drift-or-clean ] || { echo "-> drift found after the rollout"; exit 1; }
                  echo "-> drift found, as expected before the rollout" ;;
    *) echo "-> the audit failed (exit status $status, outcome: $outcome): it is not a drift report"; exit 1 ;;
  esac
}
echo "== 1. Audit: which environments differ from the desired settings (read-only; fails on drift)"
audit drift-or-clean
echo "== 2. Rollout in waves: one canary, then 25%, then the rest; sandboxes before production"
ansible-playbook "${extra[@]}" pingone.platform.rollout
echo "== 3. The same rollout again: nothing changes"
ansible-playbook "${extra[@]}" pingone.platform.rollout | tee .demo/second-run.txt
grep -Eq 'changed=[1-9]' .demo/second-run.txt && { echo "the second rollout changed something"; exit 1; }
echo "== 4. Audit again: no drift, and the SMTP server each environment holds answers (audit_preflight=connect)"
audit clean -e audit_preflight=connect "${audit_ca[@]}"
echo "== Demo done"
