"""pingone_smtp's preflight end to end: real SMTP servers on 127.0.0.x, the emulator, ansible-playbook at -vvvv.

Each failing case must fail at its step with no PUT or DELETE in the emulator's log; the good case is written."""

import importlib.util
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, '../setup_emulator')
from emulator_driver import INTEGRATION_CONFIG as CONFIG, EMULATOR, Checks, admin  # noqa: E402 pylint: disable=wrong-import-position

OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')
GOOD_PASSWORD = 'Preflight-Good-Secret-31'
WRONG_PASSWORD = 'Preflight-Wrong-Secret-47'
SETTINGS_PATH_SUFFIX = '/notificationsSettings/emailDeliverySettings'
check = Checks()


def load_smtp_server():
    spec = importlib.util.spec_from_file_location('smtp_server', CONFIG['smtp_server_script'])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def loopback():
    return '127.%d.%d.%d' % (random.randint(1, 254), random.randint(1, 254), random.randint(2, 254))


smtp_server = load_smtp_server()
directory = os.path.join(OUTPUT_DIR, 'preflight-smtp')
ca = smtp_server.TestCA(directory)
other_ca = smtp_server.TestCA(directory, 'other-ca.pem')
users = {'mailer': GOOD_PASSWORD}
# PingOne talks STARTTLS on 587 and 2525 (preflight.STARTTLS_PORTS); 587 needs root, 2525 does not. Each such
# server gets an address of its own in 127/8, so nothing else on the machine collides with it.
smtp_port = 587 if os.geteuid() == 0 else 2525
servers = dict(
    starttls=smtp_server.SmtpServer(directory, ca, tls='starttls', address=loopback(), port=smtp_port, users=users),
    implicit=smtp_server.SmtpServer(directory, ca, tls='implicit', users=users),
    no_starttls=smtp_server.SmtpServer(directory, ca, tls='none', address=loopback(), port=smtp_port),
    untrusted=smtp_server.SmtpServer(directory, other_ca, tls='implicit', users=users),
    other_name=smtp_server.SmtpServer(directory, ca, tls='implicit', users=users, cert_names=('other.example.com',)),
)
for server in servers.values():
    server.start()

try:
    reset = admin('POST', 'reset', {'config': {}})
    env_ids = [env['id'] for env in reset['environments'] if env['name'] != 'Administrators']
    GOOD_ENV, FAILING_ENV, SEND_ENV = env_ids[:3]

    # The test servers listen on 127/8, which PingOne could not reach: every case allows that but the address ones.
    def case(name, server=None, host=None, port=None, password_env='GOOD_SMTP_PASSWORD', env=FAILING_ENV,
             allow_private=True, **extra):
        return dict(name=name, host=host or server.address, port=port or server.port, password_env=password_env,
                    environment_id=env, ca_path=ca.ca_path, allow_private=allow_private, **extra)

    cases = [
        case('good credentials over STARTTLS', servers['starttls'], env=GOOD_ENV),
        case('wrong password', servers['starttls'], password_env='WRONG_SMTP_PASSWORD'),
        case('no STARTTLS on an SMTP port', servers['no_starttls']),
        case('untrusted certificate', servers['untrusted']),
        case('certificate for another name', servers['other_name']),
        case('closed port', host='127.0.0.1', port=smtp_server.free_port()),
        case('unresolvable host', host='smtp.nonexistent.invalid', port=465),
        case('test message over SMTPS', servers['implicit'], env=SEND_ENV, send_to='ops@example.com'),
        case('private 10.x address', host='10.20.30.40', port=465, allow_private=False),
        case('loopback 127.x address', servers['starttls'], allow_private=False),
        case('link-local 169.254.x address', host='169.254.169.254', port=465, allow_private=False),
    ]
    address_cases = {'private 10.x address': '10.20.30.40', 'loopback 127.x address': servers['starttls'].address,
                     'link-local 169.254.x address': '169.254.169.254'}
    expected_failures = {
        'wrong password': ('auth', "AUTH PLAIN rejected for user 'mailer': 535 5.7.8 Authentication credentials invalid"),
        'no STARTTLS on an SMTP port': ('tls', 'STARTTLS not offered: PingOne requires STARTTLS on port %d' % smtp_port),
        'untrusted certificate': ('certificate', "the server's certificate is not trusted: untrusted issuer"),
        'certificate for another name': ('certificate', 'name mismatch (it is issued for DNS:other.example.com)'),
        'closed port': ('connect', 'connection refused'),
        'unresolvable host': ('dns', 'cannot resolve smtp.nonexistent.invalid'),
    }
    expected_failures.update((name, ('address', '%s resolves to %s, which PingOne cannot reach' % (address, address)))
                             for name, address in address_cases.items())
    cases_file = os.path.join(OUTPUT_DIR, 'preflight_cases.json')
    outcomes_file = os.path.join(OUTPUT_DIR, 'preflight_outcomes.json')
    with open(cases_file, 'w') as handle:
        json.dump({'cases': cases}, handle)

    log_path = os.path.join(OUTPUT_DIR, 'preflight-ansible.log')
    environment = dict(os.environ, GOOD_SMTP_PASSWORD=GOOD_PASSWORD, WRONG_SMTP_PASSWORD=WRONG_PASSWORD,
                       PINGONE_API_SERVICE_HOSTNAME=EMULATOR['host'], PINGONE_AUTH_SERVICE_HOSTNAME=EMULATOR['host'],
                       PINGONE_CLIENT_ID=EMULATOR['client_id'], PINGONE_CLIENT_SECRET=EMULATOR['client_secret'],
                       PINGONE_ENVIRONMENT_ID=EMULATOR['auth_environment_id'], PINGONE_CA_PATH=EMULATOR['ca_path'],
                       ANSIBLE_NOCOLOR='1', ANSIBLE_LOG_PATH=log_path)
    command = ['ansible-playbook', '-i', 'localhost,', 'preflight.yml', '-vvvv',
               '-e', 'ansible_python_interpreter=%s' % sys.executable,
               '-e', 'cases_file=%s' % cases_file, '-e', 'outcomes_file=%s' % outcomes_file]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    print('$ %s -> rc %d' % (' '.join(command), completed.returncode))
    output = completed.stdout + completed.stderr + open(log_path).read()
    check(completed.returncode == 0, 'the playbook ran every case')
    outcomes = dict((result['item']['name'], result) for result in json.load(open(outcomes_file)))

    good = outcomes['good credentials over STARTTLS']
    check(not good.get('failed') and good['preflight']['passed'] and good['written'], 'good credentials pass and are written')
    check([step['step'] for step in good['preflight']['steps']]
          == ['dns', 'address', 'connect', 'greeting', 'tls', 'certificate', 'ehlo', 'auth', 'quit'],
          'STARTTLS port: greeting, STARTTLS, certificate, EHLO, AUTH (%s)' % good['preflight']['steps'])
    for name, (step, text) in expected_failures.items():
        outcome = outcomes[name]
        preflight = outcome.get('preflight') or {}
        check(outcome.get('failed') and preflight.get('failed_step') == step and text in outcome['msg'],
              '%s fails at step %s: %s' % (name, step, outcome.get('msg')))
    for name in address_cases:
        preflight = outcomes[name].get('preflight') or {}
        check(preflight.get('ms', 10000) < 1000 and [step['step'] for step in preflight.get('steps', [])] == ['dns', 'address'],
              '%s fails at address before any connection, in %s ms (preflight_timeout 5 s)' % (name, preflight.get('ms')))
    sent = outcomes['test message over SMTPS']
    check(not sent.get('failed') and sent['preflight']['steps'][-2]['step'] == 'send', 'the test message case passes')
    mailbox = servers['implicit'].mailbox
    check(len(mailbox) == 1 and mailbox[0]['mail_from'] == 'noreply@example.com'
          and mailbox[0]['rcpt_tos'] == ['ops@example.com'], 'the test message arrived in the mailbox (%s)' % mailbox)

    log = [entry for entry in admin('GET', 'log')['requests'] if entry['path'].endswith(SETTINGS_PATH_SUFFIX)]
    by_env = dict((env, [entry['method'] for entry in log if entry['env'] == env]) for env in (GOOD_ENV, FAILING_ENV, SEND_ENV))
    print('settings requests by environment: %s' % by_env)
    check(by_env[FAILING_ENV] == ['GET'] * len(expected_failures),
          'every failing preflight stopped after the first GET: zero PUT/DELETE (%s)' % by_env[FAILING_ENV])
    check(by_env[GOOD_ENV] == ['GET', 'PUT', 'GET'] and by_env[SEND_ENV] == ['GET', 'PUT', 'GET'],
          'the passing cases were written and read back')
    writes = [entry for entry in admin('GET', 'log')['requests'] if entry['env'] == FAILING_ENV and entry['method'] != 'GET']
    check(writes == [], 'no write of any kind (SMTP or notifications settings) for the failing cases (%s)' % writes)
    for secret in (GOOD_PASSWORD, WRONG_PASSWORD, EMULATOR['client_secret']):
        check(secret not in output, 'no secret in the -vvvv output or the log (%s...)' % secret[:4])
    check('SMTP preflight failed at step auth' in output, 'the -vvvv output really holds the failing preflight')
    timings = [outcomes[name]['preflight']['ms'] for name in ('good credentials over STARTTLS', 'test message over SMTPS')]
    print('preflight time of the passing cases (ms): %s' % timings)
finally:
    for server in servers.values():
        server.stop()

check.exit()
