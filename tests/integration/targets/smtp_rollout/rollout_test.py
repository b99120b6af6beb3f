"""Drive the rollout, audit and reset playbooks against the emulator; assert on its request log."""

import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys

import ansible.release

sys.path.insert(0, '../setup_emulator')
from emulator_driver import INTEGRATION_CONFIG, EMULATOR as CONFIG, Checks, admin  # noqa: E402 pylint: disable=wrong-import-position

OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')
# A HOME of its own for every playbook run here: the token checks below count the token requests of runs that
# share ~/.ansible/pingone_tokens, and empty it between steps. With the user's HOME that cache is shared with
# whatever runs beside this test (make test-matrix and .ci/run run two ansible-core versions side by side, each
# with this target): the other run emptying it mid-run made this one fetch a second token.
os.environ['HOME'] = os.path.join(OUTPUT_DIR, 'rollout-home')
os.makedirs(os.environ['HOME'], exist_ok=True)
SMTP_PASSWORD = 'Rollout-Smtp-Secret-5'


def start_smtp_server():
    """The SMTP server the settings point at: the role's preflight (default auth) logs in to it before each write.
    STARTTLS on an SMTP port (587 needs root, 2525 does not), on an address of its own in 127/8."""
    spec = importlib.util.spec_from_file_location('smtp_server', INTEGRATION_CONFIG['smtp_server_script'])
    smtp_server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smtp_server)
    directory = os.path.join(OUTPUT_DIR, 'rollout-smtp')
    address = '127.%d.%d.%d' % (random.randint(1, 254), random.randint(1, 254), random.randint(2, 254))
    server = smtp_server.SmtpServer(directory, smtp_server.TestCA(directory), tls='starttls', address=address,
                                    port=587 if os.geteuid() == 0 else 2525, users={'mailer': SMTP_PASSWORD})
    return server.start(), smtp_server.free_port()


SMTP_SERVER, CLOSED_PORT = start_smtp_server()
SETTINGS = {'smtp_rollout_settings': {
    'host': SMTP_SERVER.address, 'port': SMTP_SERVER.port, 'username': 'mailer',
    'password': '{{ lookup("ansible.builtin.env", "SMTP_PASSWORD") }}',
    'from_address': 'noreply@example.com', 'from_name': 'Example'},
    'smtp_rollout_preflight_ca_path': SMTP_SERVER.ca_path,
    # The test server listens on 127/8, which PingOne could not reach: the preflight's address step must allow it.
    'smtp_rollout_preflight_allow_private': True}
SETTINGS_PATH_SUFFIX = '/notificationsSettings/emailDeliverySettings'
TOKEN_CACHE = os.path.expanduser('~/.ansible/pingone_tokens')
check = Checks()


def settings_requests():
    return [entry for entry in admin('GET', 'log')['requests'] if entry['path'].endswith(SETTINGS_PATH_SUFFIX)]


def writes():
    return [entry for entry in settings_requests() if entry['method'] in ('PUT', 'DELETE')]


def token_requests():
    return [entry for entry in admin('GET', 'log')['requests'] if entry['path'].endswith('/as/token')]


def write_inventory(environments, overrides, name='rollout-inventory', settings=None):
    """A team's inventory directory: the hosts (the role needs only pingone_environment_id per host), the shared
    settings in group_vars/all and each override in host_vars, where a team keeps them."""
    groups = {'pingone_type_sandbox': {'hosts': {}}, 'pingone_type_production': {'hosts': {}}}
    for env in environments:
        groups['pingone_type_' + env['type'].lower()]['hosts'][env['name']] = {
            'pingone_environment_id': env['id'], 'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
    path = os.path.join(OUTPUT_DIR, name)
    shutil.rmtree(path, ignore_errors=True)
    for folder in ('group_vars', 'host_vars'):
        os.makedirs(os.path.join(path, folder))
    with open(os.path.join(path, 'hosts.json'), 'w') as inventory:
        json.dump({'all': {'children': groups}}, inventory)
    with open(os.path.join(path, 'group_vars', 'all.json'), 'w') as group_vars:
        json.dump(SETTINGS if settings is None else settings, group_vars)
    for host, host_vars in overrides.items():
        with open(os.path.join(path, 'host_vars', host + '.json'), 'w') as host_vars_file:
            json.dump(host_vars, host_vars_file)
    return path


def playbook(name, *args, **kwargs):
    smtp_password = kwargs.get('smtp_password', SMTP_PASSWORD)
    environment = dict(os.environ, SMTP_PASSWORD=smtp_password,
                       PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
                       PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
                       PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'],
                       ANSIBLE_NOCOLOR='1')
    command = ['ansible-playbook', 'pingone.platform.' + name, '-i', kwargs.get('inventory', INVENTORY)] + list(args)
    # No terminal, as in a pipeline (rollout_confirm_production then fails).
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    print('$ %s -> rc %d' % (' '.join(command), completed.returncode))
    print(completed.stdout[-6000:])
    check(not smtp_password or smtp_password not in completed.stdout + completed.stderr, 'no SMTP password in the output of %s' % name)
    check(CONFIG['client_secret'] not in completed.stdout + completed.stderr, 'no client secret in the output of %s' % name)
    return completed


reset = admin('POST', 'reset', {'config': {}})
ENVIRONMENTS = [env for env in reset["environments"] if env["name"] != "Administrators"]
SANDBOXES = [env for env in ENVIRONMENTS if env['type'] == 'SANDBOX']
PRODUCTIONS = [env for env in ENVIRONMENTS if env['type'] == 'PRODUCTION']
OVERRIDDEN = PRODUCTIONS[-1]
INVENTORY = write_inventory(ENVIRONMENTS, {OVERRIDDEN['name']: {'smtp_rollout_overrides': {'from_name': 'Production override'}}})

# 1. A dry run on fresh environments reports every change and writes nothing.
shutil.rmtree(TOKEN_CACHE, ignore_errors=True)
dry = playbook('rollout', '--check', '--diff')
check(dry.returncode == 0, 'check-mode rollout succeeds')
check(dry.stdout.count('differs ') == len(ENVIRONMENTS), 'the summary lists every environment as differing')
check(writes() == [], 'check mode writes nothing')
check(len(token_requests()) == 1, 'one access token for the whole dry run (got %d)' % len(token_requests()))

# 1b. Settings come only from the team's inventory: without smtp_rollout_settings every playbook that needs them
#     fails before any request, naming the variable.
BARE = write_inventory(ENVIRONMENTS, {}, name='bare-inventory', settings={})
log_length = len(admin('GET', 'log')['requests'])
for name in ('rollout', 'audit'):
    bare = playbook(name, inventory=BARE)
    check(bare.returncode != 0 and 'smtp_rollout_settings' in bare.stdout and 'group_vars' in bare.stdout,
          '%s without smtp_rollout_settings in the inventory fails, naming the variable and group_vars' % name)
check(len(admin('GET', 'log')['requests']) == log_length, 'no request was sent without settings')


# 1c. Bad input is refused in the gate play, before any request, naming the variable (issue 20 items 4, 10, 11),
#     and --limit keeps the gate (issue 17 item 6).
def refused(name, args, expected, what, **kwargs):
    log_length = len(admin('GET', 'log')['requests'])
    run = playbook(name, *args, **kwargs)
    check(run.returncode != 0 and expected in ' '.join(run.stdout.split()) and 'Unexpected Exception' not in run.stdout + run.stderr,
          '%s: %s (rc %d)' % (name, what, run.returncode))
    sent = admin('GET', 'log')['requests'][log_length:]
    check(sent == [], '%s: no request was sent (%s)' % (what, [entry['path'] for entry in sent]))


RESET_ALL = ('-e', 'reset_environments=all', '-e', 'reset_confirm=yes')
refused('rollout', ('-e', 'smtp_rollout_state=absent'), 'only the reset playbook resets',
        'rollout.yml refuses smtp_rollout_state=absent, pointing to reset.yml')
for waves, named in ((['abc'], "the wave 'abc' is neither a count nor a percentage"),
                     (['-50%'], "the wave '-50%'"), ([0], 'the wave 0 is not positive'),
                     ('25%', 'rollout_waves must be a list of waves'), ({'a': 1}, 'rollout_waves must be a list of waves')):
    for name, extra in (('rollout', ()), ('reset', RESET_ALL)):
        refused(name, extra + ('-e', json.dumps({'rollout_waves': waves})), named,
                'rollout_waves %r is refused, naming it' % (waves,))
# Before ansible-core 2.19 the gate does not template smtp_rollout_settings (a vaulted password inside it would need
# the vault secret): the role's argument spec refuses it, naming it, before any request.
LAZY_TEMPLATING = tuple(int(part) for part in ansible.release.__version__.split('.')[:2]) >= (2, 19)
for variable, value, kind in (('smtp_rollout_overrides', [1], 'list'), ('smtp_rollout_connection', 'x', 'string'),
                              ('smtp_rollout_settings', 'y', 'string')):
    expected = '%s must be a mapping (a dict of option: value), got a %s' % (variable, kind)
    if variable == 'smtp_rollout_settings' and not LAZY_TEMPLATING:
        expected = "argument '%s' is of type" % variable
    for name in ('rollout', 'audit'):
        refused(name, ('-e', json.dumps({variable: value})), expected,
                '%s as a %s fails naming it and the type it must have' % (variable, kind))
# --limit keeps the gate play: a bad wave is still refused before any request, naming it.
refused('rollout', ('--limit', SANDBOXES[0]['name'], '-e', json.dumps({'rollout_waves': ['abc']})), "the wave 'abc'",
        'with --limit the gate play still runs')
refused('audit', ('--limit', SANDBOXES[0]['name'], '-e', json.dumps({'smtp_rollout_overrides': [1]})),
        'smtp_rollout_overrides must be a mapping', 'with --limit the audit gate still runs')
refused('rollout', ('--limit', SANDBOXES[0]['name']), 'No smtp_rollout_settings for 1 environment(s): %s' % SANDBOXES[0]['name'],
        'with --limit the settings gate names only the limited host', inventory=BARE)

# 1d. Read-only runs need no SMTP password (issue 17 item 2): rollout --check --diff shows the diff, exit 0, one
#     warning about the skipped auth preflight, nothing written.
no_password_check = playbook('rollout', '--check', '--diff', smtp_password='')
check(no_password_check.returncode == 0, 'rollout --check without a password exits 0')
check('"host": "%s"' % SMTP_SERVER.address in no_password_check.stdout, 'the diff shows the new host')
check((no_password_check.stdout + no_password_check.stderr).count('SMTP preflight (auth) skipped') == 1,
      'one warning says the auth preflight was skipped')
check(writes() == [], 'rollout --check without a password writes nothing')
limited = playbook('rollout', '--check', '--limit', SANDBOXES[0]['name'])
check(limited.returncode == 0 and 'differs   %s' % SANDBOXES[0]['name'] in limited.stdout
      and 'total     differs: 1' in limited.stdout, 'with --limit the summary lists only the limited environment')

# 1e. A team's own play gives the connection with module_defaults for the group pingone.platform.pingone: the role
#     uses it (smtp_rollout_connection is empty), with no PINGONE_* variable set.
PLAY_CONNECTION = {'play_connection': {
    'api_hostname': CONFIG['host'], 'auth_hostname': CONFIG['host'], 'client_id': CONFIG['client_id'],
    'client_secret': CONFIG['client_secret'], 'auth_environment_id': CONFIG['auth_environment_id'], 'ca_path': CONFIG['ca_path']}}
log_length = len(admin('GET', 'log')['requests'])
own_play = subprocess.run(
    ['ansible-playbook', 'role_module_defaults.yml', '--check', '-i', INVENTORY, '-e', json.dumps(PLAY_CONNECTION)],
    env=dict((name, value) for name, value in os.environ.items() if not name.startswith('PINGONE_')),
    capture_output=True, text=True, check=False)
print(own_play.stdout[-3000:] + own_play.stderr[-2000:])
read_envs = set(entry['env'] for entry in admin('GET', 'log')['requests'][log_length:] if entry['path'].endswith(SETTINGS_PATH_SUFFIX))
check(own_play.returncode == 0 and read_envs == set(env['id'] for env in ENVIRONMENTS),
      "the role uses the play's module_defaults for the group (rc %d, %d environments read)" % (own_play.returncode, len(read_envs)))
check(CONFIG['client_secret'] not in own_play.stdout + own_play.stderr, 'no client secret in the output of the own play')

# 2. The rollout writes each environment once, sandboxes first, with the per-environment override.
first = playbook('rollout')
check(first.returncode == 0, 'the rollout succeeds')
put_envs = [entry['env'] for entry in writes()]
check(sorted(put_envs) == sorted(env['id'] for env in ENVIRONMENTS), 'one PUT per environment')
check(set(put_envs[:len(SANDBOXES)]) == set(env['id'] for env in SANDBOXES), 'sandboxes are written before production')
check(all('password' in entry['body_fields'] for entry in writes()), 'every PUT carries the password')
stored = admin('GET', 'state')['settings']
check(stored[OVERRIDDEN['id']]['from']['name'] == 'Production override', 'the per-environment override is applied')
check(stored[SANDBOXES[0]['id']]['from']['name'] == 'Example', 'the shared settings are applied elsewhere')
check(all(stored[env['id']]['host'] == SMTP_SERVER.address for env in ENVIRONMENTS),
      "every environment holds the host of the team's group_vars, not the collection's example")
check(first.stdout.count('changed   ') == len(ENVIRONMENTS), 'the summary lists every environment as changed')
check(len(token_requests()) == 1, 'the token is reused across runs and environments (got %d)' % len(token_requests()))
requests_so_far = settings_requests()
sequences = dict((env['id'], [entry['method'] for entry in requests_so_far if entry['env'] == env['id']]) for env in ENVIRONMENTS)
check(all(methods[-3:] == ['GET', 'PUT', 'GET'] for methods in sequences.values()),
      'each environment is read, written, then read back (%s)' % sorted(set(map(tuple, sequences.values()))))

# 3. A second rollout changes nothing.
second = playbook('rollout')
check(second.returncode == 0 and not re.search(r'changed=[1-9]', second.stdout), 'the second rollout succeeds and changes nothing')
check(len(writes()) == len(ENVIRONMENTS), 'the second rollout sends no PUT')

# 4. The audit passes with no drift, then names the environment that drifted.
clean = playbook('audit')
check(clean.returncode == 0, 'the audit passes when nothing differs')
ROGUE = {'host': 'rogue.example.com', 'port': 25, 'username': 'mailer', 'password': 'x',
         'from': {'address': 'noreply@example.com', 'name': 'Example'}}
admin('PUT', 'settings/' + SANDBOXES[1]['id'], ROGUE)
drift = playbook('audit')
check(drift.returncode != 0, 'the audit fails on drift')
check('%s differs from the desired settings: host, port' % SANDBOXES[1]['name'] in drift.stdout, 'the audit says which environment differs and how')
check(len(writes()) == len(ENVIRONMENTS), 'the audit writes nothing')

# 4a. The audit without any SMTP password (a pull-request pipeline): drift, the three reports, nothing written;
#     an environment that matches is unchanged (issue 17 items 2, 3).
REPORTS = dict((kind, os.path.join(OUTPUT_DIR, 'audit.' + kind)) for kind in ('json', 'xml', 'md'))
for path in REPORTS.values():
    if os.path.exists(path):
        os.remove(path)
no_password = playbook('audit', '-e', 'audit_report=' + REPORTS['json'], '-e', 'audit_junit=' + REPORTS['xml'],
                       '-e', 'audit_markdown=' + REPORTS['md'], smtp_password='')
report = json.load(open(REPORTS['json']))
check(no_password.returncode != 0 and report['outcome'] == 'drift', 'the audit without a password: non-zero, drift (%s)' % report['outcome'])
check(report['environments'][SANDBOXES[1]['name']]['outcome'] == 'differs'
      and report['environments'][SANDBOXES[1]['name']]['changed_options'] == ['host', 'port']
      and report['environments'][SANDBOXES[1]['name']]['environment_id'] == SANDBOXES[1]['id'],
      'the JSON report names the environment that differs, its options and id')
check(all(report['environments'][env['name']]['outcome'] == 'unchanged' for env in ENVIRONMENTS if env != SANDBOXES[1]),
      'every environment that matches is unchanged')
check(all('delivery' in entry for entry in report['environments'].values()), 'every environment has a delivery field')
junit = open(REPORTS['xml']).read()
check(junit.count('<testcase ') == len(ENVIRONMENTS) and junit.count('<failure ') == 1
      and 'message="differs: host, port"' in junit, 'the JUnit report: a testcase each, one failure naming the options')
markdown = open(REPORTS['md']).read()
check('| %s | differs | host, port |' % SANDBOXES[1]['name'] in markdown, 'the Markdown table names the drift')
check(len(writes()) == len(ENVIRONMENTS), 'the audit without a password writes nothing')
check('SMTP preflight' not in no_password.stdout + no_password.stderr, 'the audit runs no write-time preflight')

# 4b. -e audit_preflight=connect also tests the server each environment holds today, and names the one that fails.
UNREACHABLE = dict((key, value) for key, value in stored[SANDBOXES[0]['id']].items() if key != 'protocol')
UNREACHABLE['port'] = CLOSED_PORT
admin('PUT', 'settings/' + SANDBOXES[0]['id'], UNREACHABLE)
reachability = playbook('audit', '-e', 'audit_preflight=connect', '-e', 'audit_preflight_ca_path=%s' % SMTP_SERVER.ca_path)
check(reachability.returncode != 0, 'the audit fails when an environment holds an unreachable SMTP server')
check('%s holds an SMTP server that fails the preflight today: SMTP preflight failed at step connect' % SANDBOXES[0]['name']
      in reachability.stdout, 'the audit names the environment whose server is unreachable, and the step')
unreachable = sorted(set(re.findall(r'([\w-]+) holds an SMTP server that fails the preflight today', reachability.stdout)))
check(unreachable == sorted([SANDBOXES[0]['name'], SANDBOXES[1]['name']]),
      'exactly the environments on a closed port and on rogue.example.com (step 4) are unreachable (%s)' % unreachable)
check(len(writes()) == len(ENVIRONMENTS), 'the audit with a preflight writes nothing')

# 5. The token expires during a long run: it is renewed and the run still succeeds.
admin('POST', 'reset', {'config': {'token_ttl': 2, 'latency_ms': 150}})
shutil.rmtree(TOKEN_CACHE, ignore_errors=True)
expiring = playbook('rollout')
check(expiring.returncode == 0, 'a rollout outliving its token succeeds')
check(len(token_requests()) >= 2, 'the expired token was renewed (%d token requests)' % len(token_requests()))
# A request whose token expired in flight is answered 401 and sent again with a new token.
successful_puts = sorted(entry['env'] for entry in writes() if entry['status'] == 200)
check(successful_puts == sorted(env['id'] for env in ENVIRONMENTS), 'every environment written once despite the expiry')
check(all(entry['status'] in (200, 401) for entry in writes()), 'no write failed for another reason')

# 6. A failing canary stops the rollout: no later environment is written.
# The emulator answers these writes 500 every time; one retry (not PingOne's nine, 2.5 minutes of waits) keeps it short.
ONE_RETRY = json.dumps({'smtp_rollout_connection': {'retries': 1}})
admin('POST', 'reset', {'config': {'fail_env_writes': [SANDBOXES[0]['id']]}})
canary = playbook('rollout', '-e', ONE_RETRY)
check(canary.returncode != 0, 'the rollout fails when the canary fails')
check([entry['env'] for entry in writes()] and all(entry['env'] == SANDBOXES[0]['id'] for entry in writes()),
      'only the canary was written to (%s)' % [entry['env'] for entry in writes()])
check('failed    %s' % SANDBOXES[0]['name'] in canary.stdout, 'the summary shows the canary failed')
check(canary.stdout.count('skipped   ') == len(ENVIRONMENTS) - 1, 'the summary shows every other environment skipped')

# 6b. A canary write that PingOne answers but does not keep is caught by the read-back, and stops the rollout too.
admin('POST', 'reset', {'config': {'lose_env_writes': [SANDBOXES[0]['id']]}})
lost = playbook('rollout')
check(lost.returncode != 0, 'the rollout fails when the write to the canary does not stick')
check([entry['env'] for entry in writes()] == [SANDBOXES[0]['id']], 'only the canary was written to')
check('failed    %s: PingOne does not hold what was written' % SANDBOXES[0]['name'] in lost.stdout,
      'the summary shows the read-back failure of the canary')

# 6c. A failure inside a wave of several environments: the others of that wave finish, later waves do not start.
admin('POST', 'reset', {'config': {'fail_env_writes': [SANDBOXES[-1]['id']]}})
wide = playbook('rollout', '-e', json.dumps({'rollout_waves': [1, '100%']}), '-e', ONE_RETRY)
written_envs = set(entry['env'] for entry in writes() if entry['status'] == 200)
check(wide.returncode != 0, 'the rollout fails when one environment of a wave fails')
check(written_envs == set(env['id'] for env in SANDBOXES[:-1]), 'the rest of the sandbox wave was written, no production')
check(all('changed   %s' % env['name'] in wide.stdout for env in SANDBOXES[:-1])
      and 'failed    %s' % SANDBOXES[-1]['name'] in wide.stdout
      and wide.stdout.count('skipped   ') == len(PRODUCTIONS), 'the summary tells changed, failed and skipped apart')

# 6d. The canary's SMTP password is wrong: its preflight fails before any environment is written.
admin('POST', 'reset', {'config': {}})
bad_password = playbook('rollout', smtp_password='Wrong-Rollout-Secret-6')
check(bad_password.returncode != 0, 'the rollout fails when the SMTP password is wrong')
check(writes() == [], 'no environment was written (%s)' % writes())
check('failed    %s: SMTP preflight failed at step auth' % SANDBOXES[0]['name'] in bad_password.stdout
      and '535 5.7.8 Authentication credentials invalid' in bad_password.stdout,
      'the summary shows the canary failed at the AUTH step, with the server\'s reply')
check(bad_password.stdout.count('skipped   ') == len(ENVIRONMENTS) - 1, 'every other environment was skipped')
sequence = [entry['method'] for entry in settings_requests()]
check(sequence == ['GET'], 'the canary was read once and nothing else was asked (%s)' % sequence)

# 6e. rollout_confirm_production asks before the first production wave; without a terminal it fails clearly,
#     after the sandboxes and before any production environment is written.
admin('POST', 'reset', {'config': {}})
unconfirmed_production = playbook('rollout', '-e', 'rollout_confirm_production=true')
written_envs = set(entry['env'] for entry in writes())
check(unconfirmed_production.returncode != 0 and 'Production was not confirmed' in unconfirmed_production.stdout,
      'rollout_confirm_production without a terminal fails, saying production was not confirmed')
check(written_envs == set(env['id'] for env in SANDBOXES), 'the sandboxes were written, no production environment')
check_mode_confirm = playbook('rollout', '--check', '-e', 'rollout_confirm_production=true')
check(check_mode_confirm.returncode == 0, 'rollout_confirm_production never asks in check mode')

# 7. A reset needs its confirmation, then resets only the environments named.
admin('POST', 'reset', {'config': {}})
playbook('rollout')
before_reset = len(writes())
unconfirmed = playbook('reset', '-e', 'reset_environments=%s' % SANDBOXES[0]['name'])
check(unconfirmed.returncode != 0 and len(writes()) == before_reset, 'an unconfirmed reset fails and deletes nothing')
confirmed = playbook('reset', '-e', 'reset_environments=%s' % SANDBOXES[0]['name'], '-e', 'reset_confirm=yes')
deletes = [entry for entry in writes() if entry['method'] == 'DELETE']
check(confirmed.returncode == 0 and [entry['env'] for entry in deletes] == [SANDBOXES[0]['id']], 'the confirmed reset deletes only the named environment')

# 8. A custom HTTP provider is never overwritten by accident: the audit names it, the rollout stops before writing it,
#    and smtp_rollout_replace_custom_provider replaces it with one PUT (no DELETE first).
admin('POST', 'reset', {'config': {}})
playbook('rollout')
CUSTOM = SANDBOXES[1]
admin('PUT', 'settings/' + CUSTOM['id'], {
    'protocol': 'HTTP', 'name': 'Acme Mail API', 'authentication': {'method': 'BEARER', 'authToken': 'acme-T0ken'},
    'requests': [{'deliveryMethod': 'EMAIL', 'method': 'POST', 'url': 'https://mail.acme.example/send',
                  'body': '{"to": "${to}", "message": "${message}"}'}]})
writes_before = len(writes())
custom_audit = playbook('audit')
check(custom_audit.returncode != 0 and "%s sends through custom HTTP provider 'Acme Mail API'" % CUSTOM['name'] in custom_audit.stdout,
      'the audit names the environment that sends through a custom HTTP provider')
blocked = playbook('rollout')
check(blocked.returncode != 0 and "custom HTTP provider 'Acme Mail API'" in blocked.stdout, 'the rollout stops at the custom provider, naming it')
check(len(writes()) == writes_before, 'neither the audit nor the stopped rollout wrote anything')
check(admin('GET', 'state')['settings'][CUSTOM['id']]['protocol'] == 'HTTP', 'the custom provider is still there')
log_before = admin('GET', 'log')['requests'][-1]['seq']
replaced = playbook('rollout', '-e', json.dumps({'smtp_rollout_replace_custom_provider': True}))
custom_sequence = [entry['method'] for entry in settings_requests() if entry['env'] == CUSTOM['id'] and entry['seq'] > log_before]
check(replaced.returncode == 0 and custom_sequence == ['GET', 'PUT', 'GET'],
      'smtp_rollout_replace_custom_provider replaces it with one PUT, no DELETE (%s)' % custom_sequence)
check(admin('GET', 'state')['settings'][CUSTOM['id']]['host'] == SMTP_SERVER.address, 'the environment now sends through the SMTP server')
check('acme-T0ken' not in custom_audit.stdout + blocked.stdout + replaced.stdout, 'no custom provider secret in any output')

# 9. The gates: a wrong client secret empties the inventory; no playbook may pass having looked at nothing.
# The collection's checkout: ansible-test runs this script from a copy of tests/ inside it (tests/output/.tmp/...).
COLLECTION_ROOT = next(parent for parent in (os.path.abspath(os.path.join(*['..'] * up)) for up in range(1, 12))
                       if os.path.isfile(os.path.join(parent, 'tools', 'demo.sh'))
                       and os.path.isfile(os.path.join(parent, 'playbooks', 'ansible.cfg')))
# The inventory plugin's config beside the team's group_vars (the SMTP server the role's preflight logs in to).
PINGONE_INVENTORY = os.path.join(write_inventory([], {}, name='gate-inventory'), 'pingone.yml')
with open(PINGONE_INVENTORY, 'w') as inventory_config:
    inventory_config.write('plugin: pingone.platform.environments\nname_prefix: demo-\n')


def gate_run(name, *args, **environment):
    """The playbook over the environments inventory, as a pipeline runs it; returns (rc, output, requests sent)."""
    log_before = len(admin('GET', 'log')['requests'])
    command = ['ansible-playbook', 'pingone.platform.' + name, '-i', PINGONE_INVENTORY] + list(args)
    env = dict(os.environ, SMTP_PASSWORD=SMTP_PASSWORD, ANSIBLE_NOCOLOR='1',
               PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
               PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
               PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'])
    env.update(environment)
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    print('$ %s -> rc %d' % (' '.join(command), completed.returncode))
    print(output[-3000:])
    check(CONFIG['client_secret'] not in output and SMTP_PASSWORD not in output, 'no secret in the output of %s' % name)
    sent = admin('GET', 'log')['requests'][log_before:]
    return completed.returncode, output, ['%s %s %d' % (entry['method'], entry['path'].rsplit('/', 1)[-1], entry['status']) for entry in sent]


admin('POST', 'reset', {'config': {}})
shutil.rmtree(TOKEN_CACHE, ignore_errors=True)
for name, args in (('audit', ()), ('rollout', ()), ('reset', ('-e', 'reset_environments=demo-*', '-e', 'reset_confirm=yes'))):
    rc, output, sent = gate_run(name, *args, PINGONE_CLIENT_SECRET='Wrong-Gate-Secret-1')
    check(rc != 0 and 'No target environment' in output, '%s with a wrong client secret fails: no target environment' % name)
    check(sent == ['POST token 401'], '%s: only the refused token request was sent (%s)' % (name, sent))
check(writes() == [], 'the gated playbooks wrote nothing')

# With the shipped ansible.cfg the failed inventory source itself is the error.
rc, output, sent = gate_run('audit', PINGONE_CLIENT_SECRET='Wrong-Gate-Secret-1',
                            ANSIBLE_CONFIG=os.path.join(COLLECTION_ROOT, 'playbooks', 'ansible.cfg'))
check(rc != 0 and 'failed to parse inventory source' in output and 'PLAY [' not in output,
      'with playbooks/ansible.cfg a failed inventory source stops the audit before any play')
check('PingOne API answered 401' in output, 'the inventory error says why: the token was refused')

# A typo in the inventory config (type for types) is an error naming the closest option, not every environment.
with open(PINGONE_INVENTORY, 'w') as inventory_config:
    inventory_config.write('plugin: pingone.platform.environments\ntype: [SANDBOX]\n')
rc, output, sent = gate_run('audit')
# ' '.join(output.split()): ansible-core < 2.19 wraps the warning that carries the error at 79 columns.
check(rc != 0 and "unknown option 'type' (did you mean 'types'?)" in ' '.join(output.split()) and sent == [],
      'an unknown inventory option fails the audit, names the closest option, and sends nothing (%s)' % sent)
with open(PINGONE_INVENTORY, 'w') as inventory_config:
    inventory_config.write('plugin: pingone.platform.environments\nname_prefix: demo-\n')

# The audit's report tells drift apart from a failure to audit.
report = os.path.join(OUTPUT_DIR, 'audit-report.json')
rc, output, sent = gate_run('audit', '-e', 'audit_report=' + report)
outcome = json.load(open(report))
check(rc != 0 and outcome['outcome'] == 'drift' and set(entry['outcome'] for entry in outcome['environments'].values()) == {'differs'},
      'a drifted fleet: the audit fails with outcome drift (%s)' % outcome['outcome'])
check('Drift: ' in output and 'Audit failed' not in output, 'the audit\'s message says drift')
admin('POST', 'config', {'no_role': [SANDBOXES[0]['id']]})
rc, output, sent = gate_run('audit', '-e', 'audit_report=' + report)
outcome = json.load(open(report))
check(rc != 0 and outcome['outcome'] == 'failed' and outcome['environments'][SANDBOXES[0]['name']]['outcome'] == 'failed',
      'an environment that cannot be read: the audit fails with outcome failed, not drift (%s)' % outcome['outcome'])
check('Audit failed: ' in output, 'the audit\'s message says it failed')
admin('POST', 'config', {'no_role': []})

# make demo, on its real-PingOne path, with a secret PingOne refuses: the demo fails instead of printing "Demo done".
demo_env = dict(os.environ, PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
                PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET='Wrong-Demo-Secret-2',
                PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'],
                PINGONE_DEMO_LIMIT='demo-*', SMTP_PASSWORD=SMTP_PASSWORD)
demo = subprocess.run(['bash', os.path.join(COLLECTION_ROOT, 'tools', 'demo.sh')], env=demo_env, capture_output=True, text=True, check=False)
print(demo.stdout[-2000:] + demo.stderr[-2000:])
check('targeting real PingOne' in demo.stdout, 'the demo ran on its real-PingOne path')
check(demo.returncode != 0 and 'Demo done' not in demo.stdout and 'drift found' not in demo.stdout,
      'the demo with a refused secret fails (rc %d) and reports no drift' % demo.returncode)
check(writes() == [], 'the failing demo wrote nothing')


SMTP_SERVER.stop()
check.exit()
