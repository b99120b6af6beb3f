#!/usr/bin/env bash
# The action plugins: the same results in the controller and as a module (handover.yml), which path ran
# (-vvv names each hand-over), ad-hoc use, and a controller without requests.
set -eux
export ANSIBLE_ROLES_PATH=.. ANSIBLE_CONNECTION_PLUGINS="$PWD/connection_plugins"
output="${OUTPUT_DIR}/handover-output.txt"
# ansible-core 2.21 no longer adds `invocation` to a module's result unless INJECT_INVOCATION is on (older versions
# ignore the variable and always add it): turn it on, so the masking checks below see the module path's arguments.
ANSIBLE_INJECT_INVOCATION=true ansible-playbook -i "${INVENTORY_PATH}" -e @../../integration_config.yml handover.yml -vvv >"$output" 2>&1 || { cat "$output"; exit 1; }
# path.yml runs 10 collection tasks per path: only the 10 of the pingone_not_local pass are handed over.
[ "$(grep -c 'runs as a module: the connection is pingone_not_local, not local' "$output")" -eq 10 ]
if grep -q 'runs as a module: the connection is local' "$output"; then exit 1; fi
# invocation.module_args, secrets masked, the same in both halves of the output (controller, then module).
first_handover=$(grep -n 'runs as a module' "$output" | head -1 | cut -d: -f1)
head -n "$first_handover" "$output" >"${OUTPUT_DIR}/controller-part.txt"
tail -n "+$first_handover" "$output" >"${OUTPUT_DIR}/module-part.txt"
client_id=$(python -c 'import json; print(json.load(open("../../integration_config.yml"))["emulator"]["client_id"])')
for pattern in '"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' '"client_secret": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' \
               "\"client_id\": \"$client_id\"" '"host": "action.example.com"'; do
  in_controller=$(grep -cF -- "$pattern" "${OUTPUT_DIR}/controller-part.txt" || true)
  in_module=$(grep -cF -- "$pattern" "${OUTPUT_DIR}/module-part.txt" || true)
  [ "$in_controller" -gt 0 ]
  [ "$in_controller" -eq "$in_module" ]
done
client_secret=$(python -c 'import json; print(json.load(open("../../integration_config.yml"))["emulator"]["client_secret"])')
# No secret anywhere, except where ansible-core itself prints the task's `environment:` (which here carries
# PINGONE_CLIENT_SECRET) on the command line of a module process at -vvv: never on the controller path.
if grep -F -e Action-Path-Smtp-Secret-7 -e "$client_secret" "$output" | grep -qv '^<testhost> EXEC '; then
  echo 'a secret is in the output:'; grep -nF -e Action-Path-Smtp-Secret-7 -e "$client_secret" "$output" | sed "s/$client_secret/<SECRET>/g; s/Action-Path-Smtp-Secret-7/<SECRET>/g"; exit 1
fi
if grep -qF "$client_secret" "${OUTPUT_DIR}/controller-part.txt"; then echo 'the client secret is in the controller path'; exit 1; fi

# Ad-hoc, on the implicit localhost, with the connection from the controller's environment.
set +x  # the exports carry the emulator's client secret
environment_id=''
eval "$(python - <<'PY'
import json, shlex
emulator = json.load(open('../../integration_config.yml'))['emulator']
for name, key in [('PINGONE_API_SERVICE_HOSTNAME', 'host'), ('PINGONE_AUTH_SERVICE_HOSTNAME', 'host'),
                  ('PINGONE_CLIENT_ID', 'client_id'), ('PINGONE_CLIENT_SECRET', 'client_secret'),
                  ('PINGONE_ENVIRONMENT_ID', 'auth_environment_id'), ('PINGONE_CA_PATH', 'ca_path')]:
    print('export %s=%s' % (name, shlex.quote(emulator[key])))
print('environment_id=%s' % [env['id'] for env in emulator['environments'] if env['name'] != 'Administrators'][0])
PY
)"
set -x
adhoc="${OUTPUT_DIR}/adhoc-output.txt"
ansible localhost -m pingone.platform.pingone_smtp_info -a "environment_id=$environment_id" -vvv >"$adhoc" 2>&1 || { cat "$adhoc"; exit 1; }
grep -q '"environment_id": "'"$environment_id"'"' "$adhoc"
if grep -q 'runs as a module' "$adhoc"; then exit 1; fi
if grep -qF "$PINGONE_CLIENT_SECRET" "$adhoc"; then echo 'the client secret is in the output'; exit 1; fi

# A controller whose Python cannot import requests hands over; the module then fails with the usual message.
shim="${OUTPUT_DIR}/no-requests"
mkdir -p "$shim"
echo 'raise ImportError("requests is hidden by the test")' >"$shim/requests.py"
norequests="${OUTPUT_DIR}/no-requests-output.txt"
if PYTHONPATH="$shim" ansible localhost -m pingone.platform.pingone_smtp_info -a "environment_id=$environment_id" -vvv >"$norequests" 2>&1; then
  cat "$norequests"; exit 1
fi
grep -q "runs as a module: the controller's Python cannot import requests" "$norequests"
grep -q 'Failed to import the required Python library (requests)' "$norequests"
