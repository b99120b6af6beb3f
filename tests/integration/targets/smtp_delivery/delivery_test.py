"""Who sends, end to end: pingone_smtp_info, the audit and the rollout playbooks against the emulator.

Asserts on the emulator's state (every notificationsSettings field an administrator set survives the write) and on
its request log (one PUT of notificationsSettings, no read-only field sent, nothing written by the audit or a rerun).
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, '../setup_emulator')
from emulator_driver import EMULATOR as CONFIG, Checks, admin  # noqa: E402 pylint: disable=wrong-import-position

OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')
os.environ['HOME'] = os.path.join(OUTPUT_DIR, 'delivery-home')  # a token cache of its own
os.makedirs(os.environ['HOME'], exist_ok=True)
SMTP_PASSWORD = 'Delivery-Smtp-Secret-8'
DESIRED = {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer', 'from_address': 'noreply@example.com',
           'from_name': 'Example', 'password': '{{ lookup("ansible.builtin.env", "SMTP_PASSWORD") }}'}
# The same settings as PingOne holds them: they match, so only who sends differs.
HELD = {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer', 'password': 'Held-Unknown-1',
        'from': {'address': 'noreply@example.com', 'name': 'Example'}}
# What an administrator set in the console, which the full-replace PUT must carry through.
ADMIN_SET = {'deliveryMode': 'WHITELIST', 'from': {'name': 'Example Identity', 'address': 'identity@example.com'},
             'replyTo': {'name': 'Help', 'address': 'help@example.com'},
             'whitelist': [{'user': {'id': '5d8b0b2e-0000-4000-8000-000000000001'}}],
             'smsProvidersFallbackChain': ['9f1e0b2e-0000-4000-8000-000000000002', 'PINGONE_TWILIO'],
             'restrictions': {'smsVoiceQuota': {'daily': 200}}, 'emailProviderFallbackChain': ['PINGONE_EMAIL']}
READ_ONLY = ('environment', 'createdAt', 'updatedAt', '_links')
check = Checks()


def run(*command):
    env = dict(os.environ, SMTP_PASSWORD=SMTP_PASSWORD, ANSIBLE_NOCOLOR='1',
               PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
               PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
               PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'])
    completed = subprocess.run(['ansible-playbook'] + list(command), env=env, capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    print('$ ansible-playbook %s -> rc %d\n%s' % (' '.join(command), completed.returncode, output[-4000:]))
    check(SMTP_PASSWORD not in output and CONFIG['client_secret'] not in output, 'no secret in the output')
    return completed.returncode, output


def info(env_id):
    result_file = os.path.join(OUTPUT_DIR, 'delivery-info.json')
    run('-i', 'localhost,', 'info.yml', '-e', 'ansible_python_interpreter=' + sys.executable,
        '-e', 'environment_id=' + env_id, '-e', 'result_file=' + result_file)
    return json.load(open(result_file))['environments'][0]


def playbook(name, *args):
    settings_file = os.path.join(OUTPUT_DIR, 'delivery-settings.json')
    with open(settings_file, 'w') as handle:
        json.dump({'smtp_rollout_settings': DESIRED, 'smtp_rollout_preflight': 'none'}, handle)
    return run('pingone.platform.' + name, '-i', INVENTORY, '-e', '@' + settings_file, *args)


def writable(view):
    return dict((key, value) for key, value in view.items() if key not in READ_ONLY)


def writes_since(seq):
    return [entry for entry in admin('GET', 'log?since=%d' % seq)['requests'] if entry['method'] in ('PUT', 'DELETE')]


reset = admin('POST', 'reset', {'config': {}})
sandbox = next(env for env in reset['environments'] if env['type'] == 'SANDBOX')
env_id = sandbox['id']
admin('PUT', 'settings/' + env_id, HELD)
admin('PUT', 'notifications/' + env_id, ADMIN_SET)
before = writable(admin('GET', 'state')['notifications'][env_id])
INVENTORY = os.path.join(OUTPUT_DIR, 'delivery-inventory.json')
with open(INVENTORY, 'w') as handle:
    # Both groups of the playbooks' host pattern exist: ansible-test makes an unmatched pattern an error.
    json.dump({'all': {'children': {'pingone_type_production': {'hosts': {}}, 'pingone_type_sandbox': {'hosts': {sandbox['name']: {
        'pingone_environment_id': env_id, 'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}}},
        handle)

# 1. pingone_smtp_info: SMTP settings are configured, PingOne's service sends.
held = info(env_id)
check((held['provider'], held['configured'], held['delivery']) == ('smtp', True, 'pingone'),
      'info: provider smtp, delivery pingone (%s, %s)' % (held['provider'], held['delivery']))
check(held['email_provider_fallback_chain'] == ['PINGONE_EMAIL'], 'info returns the chain as PingOne holds it')

# 2. The audit: differs, with delivery among the changed options; nothing written.
seq = admin('GET', 'log')['requests'][-1]['seq']
report = os.path.join(OUTPUT_DIR, 'delivery-audit.json')
rc, output = playbook('audit', '-e', 'audit_report=' + report)
audit = json.load(open(report))
entry = audit['environments'][sandbox['name']]
check(rc != 0 and audit['outcome'] == 'drift' and list(audit['environments']) == [sandbox['name']]
      and entry['outcome'] == 'differs' and entry['changed_options'] == ['delivery'],
      'the audit reports the environment as differing in delivery only (%s)' % audit)
check(entry['delivery'] == 'pingone', "the audit's report says who sends today: PingOne (%s)" % entry['delivery'])
check('%s differs from the desired settings: delivery' % sandbox['name'] in output, 'the audit names delivery')
check(writes_since(seq) == [], 'the audit wrote nothing')

# 3. One rollout: one PUT of notificationsSettings, every other field as the administrator left it.
seq = admin('GET', 'log')['requests'][-1]['seq']
rc, output = playbook('rollout')
check(rc == 0, 'the rollout succeeds')
written = writes_since(seq)
check([(entry['method'], entry['path'].rsplit('/', 1)[-1]) for entry in written] == [('PUT', 'notificationsSettings')],
      'one write: the PUT of notificationsSettings, the matching SMTP settings untouched (%s)' % written)
sent_fields = written[0]['body_fields'] if written else []
check(not [field for field in sent_fields if field.split('.')[0] in READ_ONLY], 'no read-only field sent (%s)' % sent_fields)
check(all(any(field == key or field.startswith(key + '.') for field in sent_fields) for key in ADMIN_SET),
      'every field the administrator set was sent back (%s)' % sent_fields)
after = writable(admin('GET', 'state')['notifications'][env_id])
check(after == dict(before, emailProviderFallbackChain=[]),
      'every other notificationsSettings field unchanged, the chain now [] (%s)' % after)
check(info(env_id)['delivery'] == 'smtp', 'info: delivery smtp after the rollout')

# 4. A rerun writes nothing; the audit now matches.
seq = admin('GET', 'log')['requests'][-1]['seq']
rc, output = playbook('rollout')
check(rc == 0 and writes_since(seq) == [], 'a rerun writes nothing')
rc, output = playbook('audit', '-e', 'audit_report=' + report)
check(rc == 0 and json.load(open(report))['outcome'] == 'clean', 'the audit is clean after the rollout')

# 5. PingOne refuses an SMTP host that does not resolve (resolve_hosts): the message names the option host.
admin('POST', 'config', {'resolve_hosts': True})
result_file = os.path.join(OUTPUT_DIR, 'delivery-unresolvable.json')
run('-i', 'localhost,', 'unresolvable.yml', '-e', 'ansible_python_interpreter=' + sys.executable,
    '-e', 'environment_id=' + env_id, '-e', 'result_file=' + result_file)
refused = json.load(open(result_file))
check(refused.get('failed') and refused.get('status') == 400 and '; host: ' in refused.get('msg', ''),
      'an unresolvable host fails with PingOne\'s 400, naming host (%s)' % refused.get('msg'))
check([detail.get('target') for detail in refused.get('details', [])] == ['host'], 'the error detail targets host')
admin('POST', 'config', {'resolve_hosts': False})

check.exit()
