"""Benchmark: what a run of the collection costs against Ansible's ping floor and a careful uri playbook.

`make bench` (the full matrix, see --help), or with the venv's bin first on PATH:
    python tests/bench/bench.py --configs 50:5 --rounds 3
    python tests/bench/bench.py --smoke          # N = 3, one round: checks request counts, never times
    python tests/bench/bench.py --pacing 1000:25:600   # requests_per_minute against the emulator's rate limit
Every scenario runs against the PingOne emulator, in rounds: each round runs every scenario once per size and forks,
so a ratio compares runs made at nearly the same time. CPU seconds are user + sys of the whole process tree
(resource.getrusage(RUSAGE_CHILDREN) before and after each run); they are robust to a busy machine, wall times are not.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The same settings as examples/demo/group_vars/all/smtp.yml, so every scenario does the same work.
SMTP = {'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'password': 'Bench-Smtp-Secret-1',
        'from_address': 'noreply@example.com', 'from_name': 'Example Identity'}
SETTINGS_SUFFIX = '/notificationsSettings/emailDeliverySettings'
NOTIFICATIONS_SUFFIX = '/notificationsSettings'  # who sends: read on every run, written only to activate
FULL_CONFIGS = ['10:5', '50:5', '200:5', '10:25', '50:25', '200:25']


class Scenario:
    """One way of applying the settings to every environment: a playbook, its inventory and extra arguments."""

    def __init__(self, name, playbook, inventory='static', extra=(), collection=True, runs=('first', 'nochange')):
        self.name = name
        self.playbook = playbook
        self.inventory = inventory
        self.extra = list(extra)
        self.collection = collection  # its token cache is emptied before the first run
        self.runs = runs


SCENARIOS = [
    Scenario('ping', 'ping.yml', collection=False, runs=('ping',)),
    Scenario('uri careful', 'uri_careful.yml', collection=False),
    Scenario('module', 'module.yml'),
    Scenario('role', 'role.yml'),
    # preflight none: the API traffic is compared; smtp.example.com is no real SMTP server
    Scenario('rollout', 'pingone.platform.rollout', inventory='plugin', extra=['-e', 'smtp_rollout_preflight=none']),
    # The hand-over path: a connection that is not `local` makes the action plugin run the module as a process.
    Scenario('module forced', 'module.yml', extra=['-e', 'ansible_connection=pingone_not_local']),
]


class Emulator:
    """One emulator with n environments, and the inventories that list them."""

    def __init__(self, workdir, n):
        self.dir = os.path.join(workdir, 'emulator-%d' % n)
        subprocess.run(['bash', os.path.join(ROOT, 'tools/emulator.sh'), 'start', self.dir, '--seed', str(n), '--quiet'],
                       check=True, env=dict(os.environ, PYTHON=sys.executable))
        with open(os.path.join(self.dir, 'emulator.json'), encoding='utf-8') as info:
            self.info = json.load(info)
        targets = [env for env in self.info['environments'] if env['name'] != 'Administrators']
        assert len(targets) == n, 'the emulator made %d environments, not %d' % (len(targets), n)
        self.n = n
        self.env = {'PINGONE_API_SERVICE_HOSTNAME': self.info['host'], 'PINGONE_AUTH_SERVICE_HOSTNAME': self.info['host'],
                    'PINGONE_CLIENT_ID': self.info['client_id'], 'PINGONE_CLIENT_SECRET': self.info['client_secret'],
                    'PINGONE_ENVIRONMENT_ID': self.info['auth_environment_id'], 'PINGONE_CA_PATH': self.info['ca_path'],
                    'SMTP_PASSWORD': SMTP['password']}
        hosts = {env['name']: {'pingone_environment_id': env['id'], 'ansible_connection': 'local',
                               'ansible_python_interpreter': sys.executable} for env in targets}
        p1 = {key: self.info[key] for key in ('host', 'auth_environment_id', 'client_id', 'client_secret', 'ca_path')}
        self.inventories = {'static': write(self.dir, 'inventory.json', json.dumps({'all': {'hosts': hosts}})),
                            # the rollout playbook's own way: the inventory plugin lists the environments
                            'plugin': write(self.dir, 'pingone.yml', 'plugin: pingone.platform.environments\n'
                                            'name_prefix: demo-\n')}
        self.vars = write(self.dir, 'vars.json', json.dumps({'smtp': SMTP, 'p1': p1}))
        # The rollout playbook reads the settings from the inventory only: group_vars beside the plugin's config.
        os.makedirs(os.path.join(self.dir, 'group_vars'), exist_ok=True)
        write(os.path.join(self.dir, 'group_vars'), 'all.json', json.dumps({'smtp_rollout_settings': SMTP}))
        self.seq = 0

    def admin(self, method, path, body=None):
        response = requests.request(method, self.info['url'] + '/_emulator/' + path, json=body,
                                    verify=self.info['ca_path'], timeout=60)
        response.raise_for_status()
        return response.json()

    def reset(self):
        self.admin('POST', 'reset', {})
        self.seq = 0  # a reset empties the log and starts its sequence again

    def requests_since_last(self):
        """The requests of the last run, counted by kind."""
        log = self.admin('GET', 'log?since=%d' % self.seq)['requests']
        self.seq = max([entry['seq'] for entry in log] + [self.seq])
        counts = {'token': 0, 'get': 0, 'put': 0, 'delete': 0, 'notifications_get': 0, 'notifications_put': 0, 'other': 0}
        for entry in log:
            if entry['path'].endswith('/as/token'):
                counts['token'] += 1
            elif entry['path'].endswith(SETTINGS_SUFFIX) and entry['method'] in ('GET', 'PUT', 'DELETE'):
                counts[entry['method'].lower()] += 1
            elif entry['path'].endswith(NOTIFICATIONS_SUFFIX) and entry['method'] in ('GET', 'PUT'):
                counts['notifications_' + entry['method'].lower()] += 1
            else:
                counts['other'] += 1  # the inventory plugin's environment list
        return counts

    def stop(self):
        subprocess.run(['bash', os.path.join(ROOT, 'tools/emulator.sh'), 'stop', self.dir], check=False)


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, 'w', encoding='utf-8') as output:
        output.write(text)
    return path


def install_collection(workdir, env):
    dist = os.path.join(workdir, 'dist')
    subprocess.run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', dist, ROOT],
                   check=True, capture_output=True, env=env)
    tarball = os.path.join(dist, os.listdir(dist)[0])
    subprocess.run(['ansible-galaxy', 'collection', 'install', '--force', '-p', env['ANSIBLE_COLLECTIONS_PATH'], tarball],
                   check=True, capture_output=True, env=env)


def run_playbook(command, env):
    """Run one ansible-playbook; wall and CPU seconds of its whole process tree, peak RSS of its largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.communicate()[0]
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child ever waited for: read this run's from /usr/bin/time instead.
    return process.returncode, output, wall, cpu


def measure(emulator, scenario, run, forks, base_env):
    env = dict(base_env, **emulator.env)
    env['ANSIBLE_FORKS'] = str(forks)
    playbook = scenario.playbook if scenario.playbook.startswith('pingone.platform.') else os.path.join(HERE, 'playbooks', scenario.playbook)
    rss_file = os.path.join(emulator.dir, 'rss')
    command = ['/usr/bin/time', '-o', rss_file, '-f', '%M', 'ansible-playbook', '-i', emulator.inventories[scenario.inventory],
               '-e', '@' + emulator.vars] + scenario.extra + [playbook]
    returncode, output, wall, cpu = run_playbook(command, env)
    if returncode:
        sys.exit('%s (%s run, N=%d, forks %d) failed (rc %d):\n%s' % (scenario.name, run, emulator.n, forks, returncode, output[-6000:]))
    with open(rss_file, encoding='utf-8') as rss:
        peak_rss_mb = int(rss.read().split()[-1]) / 1024.0
    return {'scenario': scenario.name, 'run': run, 'n': emulator.n, 'forks': forks, 'wall_s': round(wall, 3),
            'cpu_s': round(cpu, 3), 'peak_rss_mb': round(peak_rss_mb, 1), 'requests': emulator.requests_since_last()}


def run_round(number, emulators, configs, scenarios, base_env, rows, skip=()):
    for n, forks in configs:
        emulator = emulators[n]
        for scenario in scenarios:
            if '%s@%d:%d' % (scenario.name, n, forks) in skip:
                continue
            emulator.reset()
            if scenario.collection:  # the first run fetches the token (the cache lives under the bench's own HOME)
                shutil.rmtree(os.path.join(base_env['HOME'], '.ansible', 'pingone_tokens'), ignore_errors=True)
            for run in scenario.runs:
                row = measure(emulator, scenario, run, forks, base_env)
                row['round'] = number
                rows.append(row)
                print('round %d  N=%-3d forks %-2d  %-13s %-8s wall %6.1f s  cpu %6.1f s  rss %5.0f MB  %s'
                      % (number, n, forks, scenario.name, run, row['wall_s'], row['cpu_s'], row['peak_rss_mb'],
                         ' '.join('%s=%d' % item for item in row['requests'].items() if item[1])), flush=True)


def median_range(values, digits=2):
    return '%.*f (%.*f–%.*f)' % (digits, statistics.median(values), digits, min(values), digits, max(values))


def summarise(rows):
    """One line per (N, forks, scenario, run): medians over rounds, ratios to ping and to careful uri within each round."""
    def find(round_number, n, forks, scenario, run):
        for row in rows:
            if (row['round'], row['n'], row['forks'], row['scenario'], row['run']) == (round_number, n, forks, scenario, run):
                return row
        return None

    groups = {}
    for row in rows:
        groups.setdefault((row['n'], row['forks'], row['scenario'], row['run']), []).append(row)
    order = [scenario.name for scenario in SCENARIOS]
    summary = []
    for (n, forks, scenario, run), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1], order.index(item[0][2]), item[0][3])):
        to_ping, to_uri = [], []
        for row in group:
            ping = find(row['round'], n, forks, 'ping', 'ping')
            uri = find(row['round'], n, forks, 'uri careful', row['run'])
            if ping:
                to_ping.append(row['cpu_s'] / ping['cpu_s'])
            if uri:
                to_uri.append(row['cpu_s'] / uri['cpu_s'])
        cpu = [row['cpu_s'] for row in group]
        summary.append({
            'n': n, 'forks': forks, 'scenario': scenario, 'run': run, 'rounds': len(group),
            'wall_s': median_range([row['wall_s'] for row in group], 1), 'cpu_s': median_range(cpu, 1),
            'cpu_s_median': statistics.median(cpu), 'cpu_per_env_s': statistics.median(cpu) / n,
            'cpu_vs_ping': median_range(to_ping) if to_ping else '', 'cpu_vs_uri': median_range(to_uri) if to_uri else '',
            'cpu_vs_ping_median': statistics.median(to_ping) if to_ping else None,
            'cpu_vs_uri_median': statistics.median(to_uri) if to_uri else None,
            'peak_rss_mb': max(row['peak_rss_mb'] for row in group),
            'requests_per_env': {kind: round(count / n, 2) for kind, count in group[0]['requests'].items() if count},
            'requests_same_every_round': all(row['requests'] == group[0]['requests'] for row in group),
        })
    return summary


def markdown_table(summary):
    header = ['N', 'forks', 'scenario', 'run', 'rounds', 'wall s', 'CPU s', 'CPU s / env', 'CPU / ping', 'CPU / uri',
              'peak RSS MB', 'requests / env']
    lines = [header, ['---'] * len(header)]
    for line in summary:
        lines.append([str(line['n']), str(line['forks']), line['scenario'], line['run'], str(line['rounds']), line['wall_s'],
                      line['cpu_s'], '%.3f' % line['cpu_per_env_s'], line['cpu_vs_ping'], line['cpu_vs_uri'],
                      '%.0f' % line['peak_rss_mb'],
                      ', '.join('%s %g' % item for item in line['requests_per_env'].items())
                      + ('' if line['requests_same_every_round'] else ' (varied)')])
    return '\n'.join('| ' + ' | '.join(line) + ' |' for line in lines)


def chart(summary, path):
    import matplotlib  # only the full benchmark draws the chart (requirements-dev.txt)
    matplotlib.use('Agg')
    from matplotlib import pyplot

    forks_values = sorted({line['forks'] for line in summary})
    figure, axes = pyplot.subplots(1, len(forks_values), figsize=(6.5 * len(forks_values), 5), squeeze=False)
    for axis, forks in zip(axes[0], forks_values):
        for color, scenario in enumerate(SCENARIOS):
            for run in scenario.runs:
                points = sorted((line['n'], line['cpu_per_env_s']) for line in summary
                                if (line['forks'], line['scenario'], line['run']) == (forks, scenario.name, run))
                if points:
                    label = scenario.name if run == 'ping' else '%s, %s' % (scenario.name, 'first run' if run == 'first' else 'no change')
                    axis.plot([point[0] for point in points], [point[1] for point in points], marker='o',
                              color='C%d' % color,
                              linestyle='-' if run in ('first', 'ping') else '--', label=label)
        axis.set_xscale('log')
        sizes = sorted({line['n'] for line in summary if line['forks'] == forks})
        axis.set_xticks(sizes)
        axis.set_xlim(sizes[0] / 1.5, sizes[-1] * 1.5)
        axis.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.get_xaxis().set_minor_formatter(matplotlib.ticker.NullFormatter())
        axis.set_xlabel('environments (N)')
        axis.set_ylabel('CPU seconds per environment (median of rounds)')
        axis.set_title('forks %d' % forks)
        axis.set_ylim(bottom=0)
        axis.grid(True, alpha=0.3)
    fullest = max(axes[0], key=lambda axis: len(axis.get_lines()))  # the legend of the panel with every scenario
    figure.legend(*fullest.get_legend_handles_labels(), fontsize='small', loc='center right')
    figure.tight_layout(rect=(0, 0, 0.82, 1))
    figure.savefig(path, dpi=100)


# What each run must send, per environment (the smoke test's checks): ping sends nothing; uri fetches a token
# every run; the collection fetches one token on the first run (cache emptied) and none once the cache is warm.
# Every run of the collection also reads notificationsSettings once per environment (who sends); the emulator's
# environments start with the chain [], so it is never written here. The careful uri playbook does not look.
def expected_requests(scenario, run, n):
    if scenario.name == 'ping':
        return {'token': 0, 'get': 0, 'put': 0, 'delete': 0, 'notifications_get': 0, 'notifications_put': 0}
    if scenario.name == 'uri careful':
        return {'token': 1, 'get': n, 'put': n if run == 'first' else 0, 'delete': 0, 'notifications_get': 0,
                'notifications_put': 0}
    if run == 'first':  # GET, PUT, read-back GET
        return {'token': 1, 'get': 2 * n, 'put': n, 'delete': 0, 'notifications_get': n, 'notifications_put': 0}
    return {'token': 0, 'get': n, 'put': 0, 'delete': 0, 'notifications_get': n, 'notifications_put': 0}


def check_requests(rows, n):
    problems = []
    for row in rows:
        scenario = next(scenario for scenario in SCENARIOS if scenario.name == row['scenario'])
        expected = expected_requests(scenario, row['run'], n)
        got = {kind: row['requests'][kind] for kind in expected}
        if got != expected:
            problems.append('%s %s run: expected %s, got %s' % (row['scenario'], row['run'], expected, got))
    return problems


def parse_configs(values):
    return [tuple(int(part) for part in value.split(':')) for value in values]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+', default=FULL_CONFIGS, metavar='N:FORKS',
                        help='sizes and forks to run (default: %s)' % ' '.join(FULL_CONFIGS))
    parser.add_argument('--rounds', type=int, default=3, help='rounds (default 3)')
    parser.add_argument('--scenarios', nargs='+', choices=[scenario.name for scenario in SCENARIOS],
                        help='default: all')
    parser.add_argument('--skip', nargs='+', default=[], metavar='SCENARIO@N:FORKS',
                        help='leave a scenario out at one size and forks, e.g. "module forced@200:25"')
    parser.add_argument('--smoke', action='store_true',
                        help='N = 3, forks 5, one round; fails unless every run sends the expected requests')
    parser.add_argument('--pacing', metavar='N:FORKS:RATE',
                        help='instead of the matrix: a rollout of N environments with the emulator limited to RATE requests '
                             'a minute, paced at RATE, then unpaced; writes results_pacing.json and its table in results.md')
    parser.add_argument('--output', default=HERE, help='where results.json and cpu_per_env.png go (default: tests/bench)')
    args = parser.parse_args()
    configs = [(3, 5)] if args.smoke else parse_configs(args.configs)
    rounds = 1 if args.smoke else args.rounds
    scenarios = [scenario for scenario in SCENARIOS if not args.scenarios or scenario.name in args.scenarios]

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix='pingone-bench-')
    # A HOME of its own: the token cache (~/.ansible/pingone_tokens) is not shared with tests running beside it.
    base_env = dict(os.environ, HOME=os.path.join(workdir, 'home'), ANSIBLE_NOCOLOR='1',
                    ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, 'collections'),
                    # pingone_not_local: the local connection under another name, which the action plugins hand over on
                    ANSIBLE_CONNECTION_PLUGINS=os.path.join(ROOT, 'tests/integration/targets/pingone_action/connection_plugins'),
                    ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_RETRY_FILES_ENABLED='False',
                    # The matrix measures the cost of a run, not a rate: pacing has a scenario of its own (--pacing).
                    PINGONE_REQUESTS_PER_MINUTE='0')
    os.makedirs(base_env['HOME'])
    if args.pacing:
        return pacing_benchmark(workdir, base_env, *[int(part) for part in args.pacing.split(':')], output=args.output)
    emulators = {}
    rows = []
    try:
        install_collection(workdir, base_env)
        for n in sorted({config[0] for config in configs}):
            emulators[n] = Emulator(workdir, n)
        for number in range(1, rounds + 1):
            run_round(number, emulators, configs, scenarios, base_env, rows, args.skip)
            if not args.smoke:  # after every round, so a run stopped early still leaves its finished rounds
                save(args.output, rows, configs, number, time.monotonic() - started)
    finally:
        for emulator in emulators.values():
            emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print('\n' + markdown_table(summarise(rows)))
    print('\nbenchmark runtime: %.0f s' % (time.monotonic() - started))
    if args.smoke:
        problems = check_requests(rows, 3)
        for problem in problems:
            print('FAILED: ' + problem)
        if problems:
            sys.exit(1)
        print('smoke test: every run sent the expected requests')


def save(output, rows, configs, rounds, runtime):
    summary = summarise(rows)
    results = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
               'machine': {'cpus': os.cpu_count(), 'python': sys.version.split()[0]},
               'configs': ['%d:%d' % config for config in configs], 'rounds': rounds, 'runtime_s': round(runtime),
               'summary': summary, 'runs': rows}
    write(output, 'results.json', json.dumps(results, indent=1) + '\n')
    write_markdown(output, markdown_table(summary))
    chart(summary, os.path.join(output, 'cpu_per_env.png'))
    print('round %d saved: results.json, results.md and cpu_per_env.png in %s' % (rounds, output), flush=True)


def write_markdown(output, matrix_table=None):
    """results.md: the matrix table and the pacing table, each kept from its own last run."""
    if matrix_table is None:
        with open(os.path.join(output, 'results.json'), encoding='utf-8') as results:
            matrix_table = markdown_table(json.load(results)['summary'])
    text = matrix_table + '\n'
    pacing_path = os.path.join(output, 'results_pacing.json')
    if os.path.exists(pacing_path):
        with open(pacing_path, encoding='utf-8') as results:
            text += '\n' + pacing_markdown(json.load(results)) + '\n'
    write(output, 'results.md', text)


# --- pacing: requests_per_minute against the emulator's rate limit (--pacing) ------------------------------------

# Every environment in one wave, so that the rate, not the waves, sets the pace.
PACING_ROLLOUT = Scenario('rollout', 'pingone.platform.rollout', inventory='plugin',
                          extra=['-e', 'smtp_rollout_preflight=none', '-e', '{"rollout_waves": ["100%"]}',
                                 '-e', json.dumps({'smtp_rollout_settings': SMTP})])


def busiest_minute(times):
    """The most requests that arrived in any rolling minute (times sorted)."""
    busiest, first = 0, 0
    for last, arrived in enumerate(times):
        while times[first] <= arrived - 60:
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest


def pacing_run(emulator, forks, rate, paced, base_env):
    emulator.admin('POST', 'reset', {'config': {'rate_limit_per_minute': rate}})
    emulator.seq = 0
    shutil.rmtree(os.path.join(base_env['HOME'], '.ansible', 'pingone_tokens'), ignore_errors=True)  # tokens and pacing file
    env = dict(base_env, **emulator.env)
    env['PINGONE_REQUESTS_PER_MINUTE'] = str(rate if paced else 0)
    env['ANSIBLE_FORKS'] = str(forks)
    command = ['ansible-playbook', '-i', emulator.inventories[PACING_ROLLOUT.inventory], '-e', '@' + emulator.vars] \
        + PACING_ROLLOUT.extra + [PACING_ROLLOUT.playbook]
    returncode, output, wall, cpu = run_playbook(command, env)
    log = emulator.admin('GET', 'log')['requests']
    api = [entry for entry in log if not entry['path'].endswith('/as/token')]
    stored = emulator.admin('GET', 'state')['settings']
    requests_count = len(api)
    answers_429 = sum(1 for entry in api if entry['status'] == 429)
    floor_s = max(0.0, (requests_count - answers_429 - rate) / rate * 60.0)  # the requests the work needs
    row = {'n': emulator.n, 'forks': forks, 'rate': rate, 'paced': paced, 'rc': returncode, 'wall_s': round(wall, 1),
           'cpu_s': round(cpu, 1), 'cpu_per_env_s': round(cpu / emulator.n, 3), 'api_requests': requests_count,
           'answers_429': answers_429,
           'tokens': sum(1 for entry in log if entry['path'].endswith('/as/token')),
           'busiest_minute': busiest_minute(sorted(entry['time'] for entry in api)),
           # first to last API request: the wall time less Ansible's start and the summary at the end
           'requests_span_s': round(max(entry['time'] for entry in api) - min(entry['time'] for entry in api), 1) if api else 0,
           'converged': sum(1 for settings in stored.values() if settings and settings.get('host') == SMTP['host']),
           'floor_s': round(floor_s, 1), 'wall_vs_floor': round(wall / floor_s, 3) if floor_s else None}
    print('pacing %s: %s' % ('paced' if paced else 'unpaced', json.dumps(row)), flush=True)
    if returncode:
        print(output[-4000:])
    return row


def pacing_markdown(results):
    header = ['N', 'forks', 'rate / min', 'pacing', 'API requests', 'floor s', 'wall s', 'wall / floor', 'requests span s', '429 answers',
              'busiest minute', 'tokens', 'CPU s / env', 'converged', 'rc']
    lines = [header, ['---'] * len(header)]
    for row in results['runs']:
        lines.append([str(row['n']), str(row['forks']), str(row['rate']), 'requests_per_minute=%d' % row['rate'] if row['paced'] else '0 (unpaced)',
                      str(row['api_requests']), '%.0f' % row['floor_s'], '%.0f' % row['wall_s'],
                      '%.3f' % row['wall_vs_floor'] if row['wall_vs_floor'] else '',
                      '%.0f' % row['requests_span_s'] if 'requests_span_s' in row else '', str(row['answers_429']),
                      str(row['busiest_minute']), str(row['tokens']), '%.3f' % row['cpu_per_env_s'],
                      '%d / %d' % (row['converged'], row['n']), str(row['rc'])])
    return ('Pacing (`bench.py --pacing %s`, %s): the rollout playbook (inventory plugin, one wave, preflight none) against the '
            'emulator with `rate_limit_per_minute` set to the rate; the floor is (API requests - 429 answers - rate) / rate '
            'minutes; busiest minute: the most API requests that arrived at the emulator in any rolling minute.\n\n'
            % (results['config'], results['date'])) + '\n'.join('| ' + ' | '.join(line) + ' |' for line in lines)


def pacing_benchmark(workdir, base_env, n, forks, rate, output):
    emulator = None
    try:
        install_collection(workdir, base_env)
        emulator = Emulator(workdir, n)
        runs = [pacing_run(emulator, forks, rate, paced, base_env) for paced in (True, False)]
    finally:
        if emulator:
            emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    results = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
               'machine': {'cpus': os.cpu_count(), 'python': sys.version.split()[0]},
               'config': '%d:%d:%d' % (n, forks, rate), 'runs': runs}
    write(output, 'results_pacing.json', json.dumps(results, indent=1) + '\n')
    write_markdown(output)
    print('\n' + pacing_markdown(results))
    paced = runs[0]
    if paced['rc'] or paced['answers_429'] or paced['converged'] != n:
        sys.exit('FAILED: the paced run must succeed with no 429 and every environment converged')


if __name__ == '__main__':
    main()
