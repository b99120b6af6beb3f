#!/usr/bin/env bash
# Runs a playbook with -vvvv --diff (first apply, check mode, password rotation, a failing call) and proves
# that neither the SMTP password nor the client secret appears anywhere in what Ansible prints or logs.
# Twice: in the controller (the action plugins' own path), and handed over to the module (a connection not local).
set -eux
export ANSIBLE_ROLES_PATH=.. ANSIBLE_LOG_PATH="${OUTPUT_DIR}/ansible.log" ANSIBLE_CONNECTION_PLUGINS="$PWD/../pingone_action/connection_plugins"
output="${OUTPUT_DIR}/playbook-output.txt"
ansible-playbook -i "${INVENTORY_PATH}" -e @../../integration_config.yml leak.yml -vvvv --diff >"$output" 2>&1
ansible-playbook -i "${INVENTORY_PATH}" -e @../../integration_config.yml -e ansible_connection=pingone_not_local leak.yml -vvvv --diff >>"$output" 2>&1 || { grep -nE "fatal|ERROR" "$output" | sed "s/Leak-Smtp-Password-4417/<SECRET>/g" | tail -20; exit 1; }
set +x
# Both paths ran: the second run handed the collection's tasks over to the module.
grep -q 'runs as a module: the connection is pingone_not_local' "$output"
secrets=(Leak-Smtp-Password-4417 "$(python -c 'import json; print(json.load(open("../../integration_config.yml"))["emulator"]["client_secret"])')")
status=0
for secret in "${secrets[@]}"; do
  [ -n "$secret" ] || { echo "empty secret: the test cannot check it"; exit 1; }
  if grep -rqF -- "$secret" "$output" "$ANSIBLE_LOG_PATH"; then
    echo "A secret appears in the output:"; grep -nF -- "$secret" "$output" "$ANSIBLE_LOG_PATH" | sed "s/$secret/<SECRET>/g"; status=1
  fi
done
# The playbook must really have done the work: a write, a diff and the failure we provoked.
grep -q 'password_sent.*true' "$output"
grep -q '+    "host": "leak.example.com"' "$output" || grep -q '+host: leak.example.com' "$output"
grep -q 'PingOne API answered 403' "$output"
[ $status -eq 0 ] || exit $status

# Errors that echo the request (a proxy, a WAF): the modules at -vvvv --diff, then the inventory plugin.
echo_output="${OUTPUT_DIR}/echo-output.txt" tokens="${OUTPUT_DIR}/issued-tokens.txt"
ansible-playbook -i "${INVENTORY_PATH}" -e @../../integration_config.yml -e "tokens_file=$tokens" echo.yml -vvvv --diff >"$echo_output" 2>&1 \
  || { tail -50 "$echo_output"; exit 1; }
admin() {  # admin METHOD PATH [JSON]: the emulator's admin API
  python - "$@" <<'PY'
import json, ssl, sys, urllib.request
config = json.load(open('../../integration_config.yml'))['emulator']
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
request = urllib.request.Request(config['url'] + sys.argv[2], data=data, method=sys.argv[1], headers={'Content-Type': 'application/json'})
print(urllib.request.urlopen(request, context=ssl.create_default_context(cafile=config['ca_path'])).read().decode())
PY
}
python - "$OUTPUT_DIR/echo.pingone.yml" <<'PY'
import json, sys, yaml
config = json.load(open('../../integration_config.yml'))['emulator']
yaml.safe_dump({'plugin': 'pingone.platform.environments', 'api_hostname': config['host'], 'auth_hostname': config['host'],
                'ca_path': config['ca_path'], 'client_id': config['client_id'], 'client_secret': config['client_secret'],
                'auth_environment_id': config['auth_environment_id'], 'token_cache': False}, open(sys.argv[1], 'w'))
PY
inventory_output="${OUTPUT_DIR}/echo-inventory.txt"
: >"$inventory_output"
for fault in '{"method": "POST", "path_contains": "/as/token", "status": 400}' '{"method": "GET", "path_contains": "/v1/environments", "status": 400}'; do
  admin POST /_emulator/config "{\"echo_requests\": true, \"faults\": [$fault]}" >/dev/null
  if ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -i "$OUTPUT_DIR/echo.pingone.yml" --list -vvvv >>"$inventory_output" 2>&1; then
    echo "the inventory passed despite the fault $fault"; exit 1
  fi
done
admin GET /_emulator/state | python -c 'import json, sys; print("\n".join(json.load(sys.stdin)["issued_tokens"]))' >>"$tokens"
admin POST /_emulator/config '{"echo_requests": false}' >/dev/null
# The echoes really reached the output (masked), so the grep below can fail.
grep -q 'Authorization: Bearer \*\*\*\*\*\*\*\*' "$echo_output"
grep -qE 'Authorization: Basic \*{8}|client_secret=\*{8}' "$echo_output"
# From 2.19 the error is also printed as text; before, only inside the JSON result (quotes escaped).
grep -qE '"password": "\*{8}"|\\"password\\": \\"\*{8}\\"' "$echo_output"
# ansible-core < 2.19 wraps the inventory's warnings at 79 columns: look at them with whitespace normalised.
tr -s ' \n' ' ' <"$inventory_output" | grep -qE 'Authorization: Basic \*{8}|client_secret=\*{8}'
tr -s ' \n' ' ' <"$inventory_output" | grep -q 'Authorization: Bearer \*\*\*\*\*\*\*\*'
mapfile -t issued <"$tokens"
client_id=$(python -c 'import json; print(json.load(open("../../integration_config.yml"))["emulator"]["client_id"])')
basic=$(printf '%s:%s' "$client_id" "${secrets[1]}" | base64 -w0)
count=0
for secret in "${secrets[@]}" Echo-Smtp-Password-8812 "$basic" "${issued[@]}"; do
  [ -n "$secret" ] || continue
  # Also with the line breaks removed: a wrapped warning (before 2.19) may break a long secret across lines.
  found=$({ cat "$echo_output" "$inventory_output" "$ANSIBLE_LOG_PATH"; tr -d '\n' <"$inventory_output"; } | grep -oF -- "$secret" | wc -l || true)
  count=$((count + found))
done
echo "secrets checked: ${#secrets[@]} + SMTP password + Basic credentials + ${#issued[@]} access tokens; occurrences in the echo test's output: $count"
[ ${#issued[@]} -ge 2 ] || { echo "expected access tokens to check for"; exit 1; }
[ "$count" -eq 0 ]
