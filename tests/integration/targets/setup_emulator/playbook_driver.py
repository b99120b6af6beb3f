"""For the Python drivers that run the collection's playbooks against the emulator (beside emulator_driver.py).

static_inventory() lays environments out as a team's static inventory; playbook() runs
`ansible-playbook pingone.platform.NAME` with the emulator's connection in PINGONE_* and checks that no secret
shows in its output.
"""

import os
import subprocess
import sys

# Re-exported for the drivers that import this module.
from emulator_driver import EMULATOR, Checks, admin  # noqa: F401  # pylint: disable=unused-import

OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')


def api_log():
    """The emulator's request log."""
    return admin('GET', 'log')['requests']


def static_inventory(environments):
    """The hosts in the groups the playbooks name (ansible-test makes a pattern that matches no group an error)."""
    groups = {}
    for env in environments:
        groups.setdefault('pingone_type_' + env['type'].lower(), {'hosts': {}})['hosts'][env['name']] = {
            'pingone_environment_id': env['id']}
    return {'all': {'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable},
                    'children': groups}}


def playbook(check, name, inventory, *args, home, secrets=(), smtp_password=None):
    """Run the playbook with a HOME (token cache) of its own; SMTP_PASSWORD only when given. `check` records the
    secrets check (emulator_driver.Checks)."""
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
