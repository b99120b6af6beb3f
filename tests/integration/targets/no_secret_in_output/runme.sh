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
exit $status
