"""Export what the emulator's environments hold, then audit and roll out over the exported files: nothing changes."""

import json
import os
import shutil
import sys

import yaml

sys.path.insert(0, '../setup_emulator')
from playbook_driver import OUTPUT_DIR, Checks, admin, api_log, playbook, static_inventory  # noqa: E402 pylint: disable=wrong-import-position

check = Checks()
HOME = os.path.join(OUTPUT_DIR, 'export-home')  # a token cache of its own
STORED_PASSWORD = 'Exp0rt-Stored-Smtp-Secret'   # what the environments hold; PingOne never returns it
SEED = 10  # environments for this test; the suite's usual 6 are seeded back at the end


def writes():
    return [entry for entry in api_log() if entry['method'] in ('PUT', 'DELETE', 'POST') and not entry['path'].endswith('/as/token')]


def run(name, inventory, *args):
    """Adopting and auditing need no SMTP password: none is given."""
    return playbook(check, name, inventory, *args, home=HOME, secrets=[STORED_PASSWORD])


def smtp(host, port=587, from_name='Example Identity', **extra):
    return dict({'host': host, 'port': port, 'username': 'pingone-mailer', 'password': STORED_PASSWORD,
                 'from': {'address': 'noreply@example.com', 'name': from_name},
                 'replyTo': {'address': 'help@example.com'}}, **extra)


def inventory_dir(name):
    """A static inventory as a team keeps it: hosts.yml alone in its directory; the export writes beside it."""
    path = os.path.join(OUTPUT_DIR, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    with open(os.path.join(path, 'hosts.yml'), 'w') as stream:
        yaml.safe_dump(static_inventory(ENVIRONMENTS), stream)
    return path


def files_under(path):
    return sorted(os.path.relpath(os.path.join(folder, name), path) for folder, _folders, names in os.walk(path) for name in names)


def read(path):
    with open(path) as stream:
        return stream.read()


ENVIRONMENTS = [env for env in admin('POST', 'reset', {'seed': SEED})['environments'] if env['name'] != 'Administrators']
try:
    # Hand-made settings: most environments alike, two differing in one field each, one custom HTTP provider, one
    # unconfigured (PingOne's built-in email service).
    ALIKE, PORT_465, OTHER_NAME, CUSTOM, UNCONFIGURED = ENVIRONMENTS[:-4], ENVIRONMENTS[-4], ENVIRONMENTS[-3], ENVIRONMENTS[-2], ENVIRONMENTS[-1]
    for env in ALIKE:
        admin('PUT', 'settings/' + env['id'], smtp('smtp.example.com'))
    # One of them holds the same SMTP settings, but PingOne's own service sends its email: adopted, kept inactive.
    INACTIVE = ALIKE[-1]
    admin('PUT', 'notifications/' + INACTIVE['id'], {'emailProviderFallbackChain': ['PINGONE_EMAIL']})
    admin('PUT', 'settings/' + PORT_465['id'], smtp('smtp.example.com', port=465))
    admin('PUT', 'settings/' + OTHER_NAME['id'], smtp('smtp.example.com', from_name='Example Production'))
    admin('PUT', 'settings/' + CUSTOM['id'], {
        'protocol': 'HTTP', 'name': 'Acme Mail API', 'authentication': {'method': 'BEARER', 'authToken': STORED_PASSWORD},
        'requests': [{'deliveryMethod': 'EMAIL', 'method': 'POST', 'url': 'https://mail.acme.example/send',
                      'body': '{"to": "${to}", "message": "${message}"}'}],
        'from': {'address': 'noreply@example.com'}})
    before = admin('GET', 'state')['settings']

    # 1. A dry run shows the files and writes none, neither here nor in PingOne.
    DRY = inventory_dir('export-dry')
    dry = run('export', os.path.join(DRY, 'hosts.yml'), '-e', 'export_dir=' + DRY, '--check', '--diff')
    check(dry.returncode == 0, 'export --check --diff succeeds')
    check(files_under(DRY) == ['hosts.yml'], 'check mode writes no file (%s)' % files_under(DRY))
    check('smtp_rollout_overrides' in dry.stdout and 'smtp_rollout_skip: true' in dry.stdout and 'host: smtp.example.com' in dry.stdout,
          'the diff shows the files that would be written')

    # 2. The export writes the shared settings, only what differs, and the environments it leaves out.
    TEAM = inventory_dir('export-team')
    export = run('export', os.path.join(TEAM, 'hosts.yml'), '-e', 'export_dir=' + TEAM)
    check(export.returncode == 0, 'the export succeeds')
    host_vars = ['host_vars/%s.yml' % env['name'] for env in (PORT_465, OTHER_NAME, CUSTOM, UNCONFIGURED, INACTIVE)]
    check(files_under(TEAM) == sorted(['EXPORT.md', 'group_vars/all/smtp.yml', 'hosts.yml'] + host_vars),
          'files for the shared settings, the two that differ, the inactive one and the two not adopted; none for a host that matches (%s)'
          % files_under(TEAM))
    shared = yaml.safe_load(read(os.path.join(TEAM, 'group_vars/all/smtp.yml')))['smtp_rollout_settings']
    check(shared == {'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'from_address': 'noreply@example.com',
                     'from_name': 'Example Identity', 'reply_to_address': 'help@example.com',
                     'password': "{{ lookup('ansible.builtin.env', 'SMTP_PASSWORD') | default(omit, true) }}"},
          'group_vars/all/smtp.yml holds the most common value of each field and a lookup for the password (%s)' % shared)
    check('Ansible Vault' in read(os.path.join(TEAM, 'group_vars/all/smtp.yml')), 'the password comment says to move it to Ansible Vault')

    def host_vars_text(env):
        return read(os.path.join(TEAM, 'host_vars/%s.yml' % env['name']))

    def host_vars_of(env):
        return yaml.safe_load(host_vars_text(env))
    check(host_vars_of(PORT_465) == {'smtp_rollout_overrides': {'port': 465}}, 'the port that differs is the only override')
    check(host_vars_of(OTHER_NAME) == {'smtp_rollout_overrides': {'from_name': 'Example Production'}},
          'the sender name that differs is the only override')
    check(host_vars_of(INACTIVE) == {'smtp_rollout_activate': False},
          'the environment whose SMTP server does not send is adopted with smtp_rollout_activate false')
    check(host_vars_of(CUSTOM) == {'smtp_rollout_skip': True} and 'Acme Mail API' in host_vars_text(CUSTOM),
          'the custom HTTP provider is skipped, with a comment naming it')
    check(host_vars_of(UNCONFIGURED) == {'smtp_rollout_skip': True} and 'no SMTP settings' in host_vars_text(UNCONFIGURED),
          'the unconfigured environment is skipped, with a comment saying why')
    report = read(os.path.join(TEAM, 'EXPORT.md'))
    for env in (CUSTOM, UNCONFIGURED):
        check(env['name'] in report and env['name'] in export.stdout, '%s is named in EXPORT.md and in the output' % env['name'])
    everything = ''.join(read(os.path.join(TEAM, name)) for name in files_under(TEAM))
    check(STORED_PASSWORD not in everything, 'no password in any exported file')
    check(writes() == [], 'the export writes nothing to PingOne (%s)' % writes())

    exported_at = api_log()[-1]['seq']

    # 3. The round trip: the audit over the exported files finds every adopted environment unchanged, writes nothing.
    audit_report = os.path.join(OUTPUT_DIR, 'export-audit.json')
    audit = run('audit', os.path.join(TEAM, 'hosts.yml'), '-e', 'audit_report=' + audit_report)
    check(audit.returncode == 0, 'the audit over the exported inventory passes')
    audited = json.load(open(audit_report))
    outcomes = dict((name, entry['outcome']) for name, entry in audited['environments'].items())
    check(audited['outcome'] == 'clean', 'the audit says clean (%s)' % audited['outcome'])
    check(all(outcomes[env['name']] == 'unchanged' for env in ALIKE + [PORT_465, OTHER_NAME]), 'every adopted environment is unchanged (%s)' % outcomes)
    check(outcomes[CUSTOM['name']] == 'skipped' and outcomes[UNCONFIGURED['name']] == 'skipped', 'the two not adopted are skipped')
    rollout = run('rollout', os.path.join(TEAM, 'hosts.yml'))
    check(rollout.returncode == 0 and rollout.stdout.count('skipped   ') == 2, 'a rollout over the exported inventory succeeds, two skipped')
    check(writes() == [], 'neither the audit nor the rollout writes anything (%s)' % writes())
    check(admin('GET', 'state')['settings'] == before, 'PingOne holds what it held')
    skipped_requests = [entry for entry in api_log() if entry['seq'] > exported_at
                        and entry['env'] in (CUSTOM['id'], UNCONFIGURED['id'])]
    check(skipped_requests == [], 'the audit and the rollout send no request for the environments not adopted')

    # 4. Existing files are kept unless export_force=true.
    edited = os.path.join(TEAM, 'host_vars/%s.yml' % PORT_465['name'])
    with open(edited, 'w') as stream:
        stream.write('smtp_rollout_overrides: {port: 2525}  # edited by hand\n')
    again = run('export', os.path.join(TEAM, 'hosts.yml'), '-e', 'export_dir=' + TEAM)
    check(again.returncode == 0 and 'edited by hand' in read(edited), 'a second export keeps the files that exist')
    check('Kept host_vars/%s.yml' % PORT_465['name'] in again.stdout, 'and says which it kept')
    forced = run('export', os.path.join(TEAM, 'hosts.yml'), '-e', 'export_dir=' + TEAM, '-e', 'export_force=true')
    check(forced.returncode == 0 and yaml.safe_load(read(edited)) == {'smtp_rollout_overrides': {'port': 465}},
          'export_force=true overwrites them')

    # 5. The same from the inventory plugin: its hosts get the same files; the audit over them passes.
    PLUGIN = os.path.join(OUTPUT_DIR, 'export-plugin')
    shutil.rmtree(PLUGIN, ignore_errors=True)
    os.makedirs(PLUGIN)
    with open(os.path.join(PLUGIN, 'pingone.yml'), 'w') as stream:
        yaml.safe_dump({'plugin': 'pingone.platform.environments'}, stream)  # the connection from PINGONE_* variables
    plugin_export = run('export', os.path.join(PLUGIN, 'pingone.yml'), '-e', 'export_dir=' + PLUGIN)
    # The plugin also lists the Administrators environment, which has no SMTP settings.
    check(plugin_export.returncode == 0 and files_under(PLUGIN) == sorted(
        ['EXPORT.md', 'group_vars/all/smtp.yml', 'pingone.yml', 'host_vars/Administrators.yml'] + host_vars),
        'the export over the inventory plugin writes the same files (%s)' % files_under(PLUGIN))
    plugin_audit = run('audit', os.path.join(PLUGIN, 'pingone.yml'))
    check(plugin_audit.returncode == 0, 'the audit over the inventory plugin and the exported files passes')
    check(writes() == [], 'nothing was written')

    # 6. Without export_dir: a clear failure, nothing read.
    log_length = len(api_log())
    missing = run('export', os.path.join(TEAM, 'hosts.yml'))
    check(missing.returncode != 0 and 'export_dir' in missing.stdout, 'without export_dir the export fails naming it')
    check(len(api_log()) == log_length, 'and sends no request')
finally:
    admin('POST', 'reset', {'seed': 6})
check.exit()
