"""smtp_rollout_password_updated_at: a date later than the last write sends the new password exactly once per
environment across a rollout and its rerun; an older date sends nothing. Counted from the emulator's request log."""

import hashlib
import os
import shutil
import sys

import yaml

sys.path.insert(0, '../setup_emulator')
from playbook_driver import OUTPUT_DIR, Checks, admin, api_log, playbook, static_inventory  # noqa: E402 pylint: disable=wrong-import-position

check = Checks()
HOME = os.path.join(OUTPUT_DIR, 'rotation-home')  # a token cache of its own
OLD_PASSWORD, NEW_PASSWORD = 'Rotati0n-Old-Secret', 'Rotati0n-New-Secret'
LAST_WRITE = '2026-03-01T08:00:00.000Z'  # when the environments' settings were last written, as PingOne stamped it
LATER, OLDER = '2026-03-02T09:30:00Z', '2026-02-27T09:30:00+01:00'
SETTINGS = {'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer',
            'from': {'address': 'noreply@example.com', 'name': 'Example Identity'}}


def password_puts():
    return [entry['env'] for entry in api_log() if entry['method'] == 'PUT' and 'password' in (entry['body_fields'] or [])]


def seed():
    """Every environment configured with the old password, last written at LAST_WRITE."""
    environments = [env for env in admin('POST', 'reset', {'config': {}})['environments'] if env['name'] != 'Administrators']
    for env in environments:
        admin('PUT', 'settings/' + env['id'], dict(SETTINGS, password=OLD_PASSWORD, updatedAt=LAST_WRITE))
    return environments


def inventory(environments, password_updated_at):
    path = os.path.join(OUTPUT_DIR, 'rotation-inventory')
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, 'group_vars', 'all'))
    with open(os.path.join(path, 'hosts.yml'), 'w') as stream:
        yaml.safe_dump(static_inventory(environments), stream)
    with open(os.path.join(path, 'group_vars', 'all', 'smtp.yml'), 'w') as stream:
        yaml.safe_dump({'smtp_rollout_settings': {
            'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'from_address': 'noreply@example.com',
            'from_name': 'Example Identity', 'password': "{{ lookup('ansible.builtin.env', 'SMTP_PASSWORD') | default(omit, true) }}"},
            # The new password and its date, changed in the same commit (no SMTP server here to test it against).
            'smtp_rollout_password_updated_at': password_updated_at, 'smtp_rollout_preflight': 'none'}, stream)
    return os.path.join(path, 'hosts.yml')


def rollout(hosts, *args):
    return playbook(check, 'rollout', hosts, *args, home=HOME, secrets=[OLD_PASSWORD, NEW_PASSWORD], smtp_password=NEW_PASSWORD)


def stored_password_hashes(environments):
    stored = admin('GET', 'state')['settings']
    return set(stored[env['id']]['password_sha256'] for env in environments)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


ENVIRONMENTS = seed()
HOSTS = inventory(ENVIRONMENTS, LATER)

# 1. Check mode predicts the rotation of every environment and sends nothing.
dry = rollout(HOSTS, '--check', '--diff')
check(dry.returncode == 0 and dry.stdout.count('differs ') == len(ENVIRONMENTS), 'check mode: every environment would change')
check(dry.stdout.count('differs ') == dry.stdout.count(': password'), 'the change is the password')
check('rotated, will be sent' in dry.stdout, 'the diff says the password is rotated, masked')
check(password_puts() == [], 'check mode sends no password')

# 2. The rollout sends the new password once per environment; its rerun sends nothing.
first = rollout(HOSTS)
check(first.returncode == 0, 'the rollout succeeds')
check(sorted(password_puts()) == sorted(env['id'] for env in ENVIRONMENTS), 'one PUT with the password per environment')
check(stored_password_hashes(ENVIRONMENTS) == {sha256(NEW_PASSWORD)}, 'every environment holds the new password')
rerun = rollout(HOSTS)
check(rerun.returncode == 0 and rerun.stdout.count('unchanged ') == len(ENVIRONMENTS), 'the rerun changes nothing')
check(len(password_puts()) == len(ENVIRONMENTS), 'across the rollout and its rerun, exactly one password write per environment')

# 3. A date older than the last write sends nothing.
ENVIRONMENTS = seed()
older = rollout(inventory(ENVIRONMENTS, OLDER))
check(older.returncode == 0 and older.stdout.count('unchanged ') == len(ENVIRONMENTS), 'an older date changes nothing')
check(password_puts() == [], 'an older date sends no password')
check(stored_password_hashes(ENVIRONMENTS) == {sha256(OLD_PASSWORD)}, 'every environment keeps the old password')

# 4. A value that is not a date fails before any request, naming the option.
log_length = len(api_log())
bad = rollout(inventory(ENVIRONMENTS, '2026-03-02'), '-e', '{"rollout_waves": ["100%"]}')
check(bad.returncode != 0 and 'password_updated_at must be an ISO 8601 date and time' in bad.stdout, 'a date without a time fails naming the option')
check(len([entry for entry in api_log()[log_length:] if not entry['path'].endswith('/as/token')]) == 0,
      'and sends no API request')

check.exit()
