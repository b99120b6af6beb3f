"""requests_per_minute against the emulator's rate limit: 0 answers of 429, never more than the rate in any minute."""

import json
import os
import subprocess
import sys

sys.path.insert(0, '../setup_emulator')
from playbook_driver import EMULATOR as CONFIG, OUTPUT_DIR, Checks, admin, api_log, static_inventory  # noqa: E402 pylint: disable=wrong-import-position

RATE = 12  # below what a rollout of the emulator's environments asks for, so that every run must wait
FORKS = 20  # more forks than the rate allows requests
WINDOW = 60.0
SETTINGS = {'smtp_rollout_settings': {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer',
                                      'password': 'Pacing-Smtp-Secret-7', 'from_address': 'noreply@example.com'},
            'smtp_rollout_preflight': 'none', 'rollout_waves': ['100%']}
check = Checks()


def api_requests():
    return [entry for entry in api_log() if entry['path'].startswith('/v1/')]


def busiest_minute(entries):
    """The most API requests that arrived in any rolling minute."""
    times = sorted(entry['time'] for entry in entries)
    return max([sum(1 for other in times if start <= other < start + WINDOW) for start in times] or [0])


def write_inventory(environments):
    path = os.path.join(OUTPUT_DIR, 'pacing-inventory.json')
    with open(path, 'w') as inventory:
        json.dump(static_inventory(environments), inventory)
    settings = os.path.join(OUTPUT_DIR, 'pacing-settings.json')
    with open(settings, 'w') as stream:
        json.dump(SETTINGS, stream)
    return path, settings


def start_playbook(name, home, *args):
    """ansible-playbook with a HOME of its own (the pacing file lives there) and the rate in the environment."""
    os.makedirs(home, exist_ok=True)
    environment = dict(os.environ, HOME=home, PINGONE_REQUESTS_PER_MINUTE=str(RATE),
                       PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
                       PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
                       PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'],
                       ANSIBLE_NOCOLOR='1')
    command = ['ansible-playbook', 'pingone.platform.' + name, '-i', INVENTORY, '-e', '@' + SETTINGS_FILE,
               '--forks', str(FORKS)] + list(args)
    print('$ ' + ' '.join(command))
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process):
    output = process.communicate()[0]
    print(output[-5000:])
    return process.returncode, output


# Six environments whatever an earlier target left (a rollout of six asks for 18 requests and more).
reset = admin('POST', 'reset', {'seed': 6, 'config': {'rate_limit_per_minute': RATE}})
ENVIRONMENTS = [env for env in reset['environments'] if env['name'] != 'Administrators']
INVENTORY, SETTINGS_FILE = write_inventory(ENVIRONMENTS)

# 1. A rollout with more forks than the rate allows: it waits for the rate instead of drawing 429s.
rc, output = finish(start_playbook('rollout', os.path.join(OUTPUT_DIR, 'pacing-home-1'), '-v'))
log = api_requests()
check(rc == 0, 'the paced rollout succeeds')
check(len(log) > RATE, 'the rollout needs more requests than the rate allows in a minute (%d)' % len(log))
check([entry for entry in log if entry['status'] == 429] == [], 'no answer of 429')
puts = sorted(entry['env'] for entry in log if entry['method'] == 'PUT' and entry['path'].endswith('/emailDeliverySettings'))
check(puts == sorted(env['id'] for env in ENVIRONMENTS), 'every environment written once')
check(busiest_minute(log) <= RATE, 'at most %d requests in any minute (%d)' % (RATE, busiest_minute(log)))
check('for the rate of requests (requests_per_minute)' in output, '-v shows the time a task waited for the rate')
check('waited for the rate (requests_per_minute): ' in output, 'the summary shows the total wait')

# 2. Two audits started right after the rollout, side by side: every run on the controller shares one rate (the
# rollout's last minute included), and together they stay under it.
home = os.path.join(OUTPUT_DIR, 'pacing-home-1')
both = [start_playbook('audit', home), start_playbook('audit', home)]
results = [finish(process) for process in both]
whole_log = api_requests()
audits = whole_log[len(log):]
check(all(rc == 0 for rc, output in results), 'both audits succeed')
check([entry for entry in audits if entry['status'] == 429] == [], 'no answer of 429 with two playbooks side by side')
check(busiest_minute(whole_log) <= RATE, 'the rollout and both audits: at most %d requests in any minute (%d)'
      % (RATE, busiest_minute(whole_log)))
check(any('waited for the rate (requests_per_minute): ' in output for rc, output in results), 'the audits waited for the rate')

admin('POST', 'reset', {'config': {}})
check.exit()
