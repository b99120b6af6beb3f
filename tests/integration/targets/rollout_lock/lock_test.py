"""Two runs over the same environments on one controller: ansible-playbook rollout.yml twice at once, against the
emulator; who wrote what is read from its request log (run A's writes carry replyTo, run B's clear it)."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, '../setup_emulator')
from playbook_driver import EMULATOR as CONFIG, OUTPUT_DIR, Checks, admin, api_log, static_inventory  # noqa: E402 pylint: disable=wrong-import-position

# The lock lives in the controller cache under HOME: a HOME of its own, shared by the runs of this test only.
os.environ['HOME'] = os.path.join(OUTPUT_DIR, 'lock-home')
shutil.rmtree(os.environ['HOME'], ignore_errors=True)
os.makedirs(os.environ['HOME'])
SETTINGS_PATH_SUFFIX = '/notificationsSettings/emailDeliverySettings'
COMMON = {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer', 'password': 'Lock-Test-Secret-20',
          'from_address': 'noreply@example.com'}
RUN_SETTINGS = {
    'A': dict(COMMON, from_name='Run A', reply_to_address='a@example.com'),
    'B': dict(COMMON, from_name='Run B', reply_to_address=''),  # an empty string clears replyTo: not in the body
}
check = Checks()


def writes_by_run():
    """run name -> the log sequence numbers of its settings PUTs."""
    puts = [entry for entry in api_log()
            if entry['path'].endswith(SETTINGS_PATH_SUFFIX) and entry['method'] == 'PUT']
    return {'A': [entry['seq'] for entry in puts if 'replyTo.address' in entry['body_fields']],
            'B': [entry['seq'] for entry in puts if 'replyTo.address' not in entry['body_fields']]}


def holders_of(run):
    """The environments whose stored settings are those of `run`."""
    stored = admin('GET', 'state')['settings']
    return sorted(env_id for env_id in TARGET_IDS
                  if stored.get(env_id) and stored[env_id].get('from', {}).get('name') == 'Run ' + run)


def write_inventory():
    hosts = static_inventory(TARGETS)
    hosts['all']['vars']['smtp_rollout_preflight'] = 'none'
    path = os.path.join(OUTPUT_DIR, 'lock-inventory.json')
    with open(path, 'w') as inventory:
        json.dump(hosts, inventory)
    return path


def start(run, *args):
    """ansible-playbook rollout.yml with run's settings, in a process group of its own (so a kill reaches its workers)."""
    environment = dict(os.environ, ANSIBLE_NOCOLOR='1',
                       PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
                       PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
                       PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'])
    command = ['ansible-playbook', 'pingone.platform.rollout', '-i', INVENTORY,
               '-e', json.dumps({'smtp_rollout_settings': RUN_SETTINGS[run]})] + list(args)
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def finish(run, process):
    output = process.communicate(timeout=600)[0]
    print('--- run %s (pid %d) -> rc %d\n%s' % (run, process.pid, process.returncode, output[-4000:]))
    check(COMMON['password'] not in output and CONFIG['client_secret'] not in output, 'no secret in the output of run %s' % run)
    return process.returncode, output


def together(*extra):
    """Start runs A and B at the same moment; -> {run: (rc, output, pid)}."""
    processes = {'A': start('A', *extra), 'B': start('B', *extra)}
    return dict((run, finish(run, process) + (process.pid,)) for run, process in processes.items())


admin('POST', 'reset', {'config': {'latency_ms': 150}})  # slow answers: the two runs overlap for seconds
TARGETS = [env for env in admin('GET', 'state')['environments'] if env['name'] != 'Administrators']
TARGET_IDS = sorted(env['id'] for env in TARGETS)
INVENTORY = write_inventory()

# 1. Started together without rollout_lock_wait: one run writes every environment, the other fails at once, writes
#    nothing, and names the run that holds the lock (its PID and start time).
results = together()
winners = [run for run, (rc, _output, _pid) in results.items() if rc == 0]
check(len(winners) == 1, 'exactly one of the two runs succeeds (rcs %s)' % dict((run, result[0]) for run, result in results.items()))
if len(winners) == 1:
    winner, loser = winners[0], 'B' if winners[0] == 'A' else 'A'
    written = writes_by_run()
    check(len(written[winner]) == len(TARGETS) and written[loser] == [],
          'the winner wrote every environment once, the other run nothing (%s)' % written)
    check(holders_of(winner) == TARGET_IDS, "every environment holds the winner's settings")
    message = ' '.join(results[loser][1].split())
    check(re.search(r'PID %d\b' % results[winner][2], message) and re.search(r'started \d{4}-\d\d-\d\d', message),
          'the failed run names the holder: its PID %d and start time' % results[winner][2])
    check('rollout_lock_wait' in message, 'the failed run says how to wait instead')

# 2. With rollout_lock_wait the second run waits for the first to end, then runs wholly after it.
admin('POST', 'reset', {'config': {'latency_ms': 150}})
results = together('-e', 'rollout_lock_wait=300')
check(all(rc == 0 for rc, _output, _pid in results.values()), 'both waiting runs succeed (rcs %s)' % [r[0] for r in results.values()])
written = writes_by_run()
first, second = sorted('AB', key=lambda run: min(written[run] or [0]))
check(len(written['A']) == len(written['B']) == len(TARGETS), 'each run wrote every environment once (%s)' % written)
check(written[first] and written[second] and max(written[first]) < min(written[second]),
      "the second run's writes all come after the first run's last write (%s)" % written)
check(holders_of(second) == TARGET_IDS, "every environment holds the second run's settings")

# 3. A holder killed with SIGKILL blocks nobody: the next run (no wait) takes the lock and writes everything.
#    A --check run while the holder lives is not blocked: it writes nothing, so it takes no lock.
admin('POST', 'reset', {'config': {'latency_ms': 300}})
holder = start('A')
deadline = time.time() + 120
while not writes_by_run()['A'] and holder.poll() is None and time.time() < deadline:
    time.sleep(0.2)
check(holder.poll() is None and writes_by_run()['A'], 'run A is writing when it is killed (rc %s)' % holder.poll())
LOCK_STATE = os.path.join(os.environ['HOME'], '.ansible', 'pingone_tokens', 'rollout_lock.json')
holders = json.load(open(LOCK_STATE))['holders'] if os.path.exists(LOCK_STATE) else []
check([entry['pid'] for entry in holders] == [holder.pid], 'run A holds the lock, as ansible-playbook PID %d (%s)' % (holder.pid, holders))
dry_rc, dry_output = finish('B (check mode)', start('B', '--check'))
check(dry_rc == 0, 'a --check rollout is not blocked by the running holder')
if holder.poll() is None:
    os.kill(holder.pid, signal.SIGKILL)
    time.sleep(1)
    with contextlib.suppress(ProcessLookupError):  # its forked workers too, so none writes beside the next run
        os.killpg(holder.pid, signal.SIGKILL)
holder.communicate()
admin('POST', 'config', {'latency_ms': 0})
next_rc, next_output = finish('B', start('B'))
check(next_rc == 0, 'the run after a SIGKILLed holder succeeds without waiting')
check(holders_of('B') == TARGET_IDS, "every environment holds that run's settings")

check.exit()
