"""Helpers of the targets that run the collection's playbooks against the emulator from Python (needs/target/setup_playbook_test).

admin() talks to the emulator's admin API, static_inventory() lays the environments out as a team's static inventory,
playbook() runs `ansible-playbook pingone.platform.NAME` with the emulator's connection in PINGONE_* and checks that no
secret shows in its output, check() records each assertion and finish() exits with the failures.
"""

import json
import os
import subprocess
import sys

import requests

EMULATOR = json.load(open('../../integration_config.yml'))['emulator']
OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')
FAILURES = []


def admin(method, path, body=None):
    response = requests.request(method, EMULATOR['url'] + '/_emulator/' + path, json=body, verify=EMULATOR['ca_path'], timeout=30)
    response.raise_for_status()
    return response.json()


def api_log():
    return admin('GET', 'log')['requests']


def check(condition, what):
    print('%s: %s' % ('ok' if condition else 'FAILED', what))
    if not condition:
        FAILURES.append(what)


def static_inventory(environments):
    """The hosts in the groups the playbooks name (ansible-test makes a pattern that matches no group an error)."""
    groups = {}
    for env in environments:
        groups.setdefault('pingone_type_' + env['type'].lower(), {'hosts': {}})['hosts'][env['name']] = {
            'pingone_environment_id': env['id']}
    return {'all': {'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable},
                    'children': groups}}


def playbook(name, inventory, *args, home, secrets=(), smtp_password=None):
    """Run the playbook with a HOME (token cache) of its own; SMTP_PASSWORD only when given."""
    environment = dict(os.environ, HOME=home, ANSIBLE_NOCOLOR='1',
                       PINGONE_API_SERVICE_HOSTNAME=EMULATOR['host'], PINGONE_AUTH_SERVICE_HOSTNAME=EMULATOR['host'],
                       PINGONE_CLIENT_ID=EMULATOR['client_id'], PINGONE_CLIENT_SECRET=EMULATOR['client_secret'],
                       PINGONE_ENVIRONMENT_ID=EMULATOR['auth_environment_id'], PINGONE_CA_PATH=EMULATOR['ca_path'])
    environment.pop('SMTP_PASSWORD', None)
    if smtp_password:
        environment['SMTP_PASSWORD'] = smtp_password
    command = ['ansible-playbook', 'pingone.platform.' + name, '-i', inventory] + list(args)
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    print('$ %s -> rc %d\n%s\n%s' % (' '.join(command), completed.returncode, completed.stdout[-5000:], completed.stderr[-2000:]))
    output = completed.stdout + completed.stderr
    check(not [secret for secret in list(secrets) + [EMULATOR['client_secret']] if secret in output],
          'no secret in the output of %s' % name)
    return completed


def finish():
    if FAILURES:
        print('\n%d FAILED:\n  %s' % (len(FAILURES), '\n  '.join(FAILURES)))
        sys.exit(1)
    print('\nall checks passed')
