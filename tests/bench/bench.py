"""Benchmark: the smtp_rollout role against the ansible.builtin.uri playbooks people write today, on the PingOne emulator.

Not part of `make test`. `make bench`, or: python tests/bench/bench.py [--seed 20] [--latency-ms 0 50]
One run per scenario on whatever machine runs it: read the wall times as rough, the request counts as exact.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN_CACHE = os.path.expanduser('~/.ansible/pingone_tokens')
SMTP = {'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'password': 'Bench-Smtp-Secret-1',
        'from_address': 'noreply@example.com', 'from_name': 'Example Identity'}

ROLE_PLAY = '''
- name: A. the collection's smtp_rollout role
  hosts: all
  gather_facts: false
  roles:
    - role: pingone.platform.smtp_rollout
      smtp_rollout_settings: "{{ smtp }}"
      smtp_rollout_preflight: none  # the API traffic is compared; smtp.example.com is no real SMTP server
'''

# What people write today: a token per host (or once, with run_once), then a PUT of the whole object every run,
# because PingOne never returns the password, so uri cannot tell whether anything differs.
URI_PLAY = '''
- name: B. hand-written ansible.builtin.uri
  hosts: all
  gather_facts: false
  tasks:
    - name: Get an access token
      ansible.builtin.uri:
        url: "https://{{ p1.host }}/{{ p1.auth_environment_id }}/as/token"
        method: POST
        body_format: form-urlencoded
        body: {grant_type: client_credentials, client_id: "{{ p1.client_id }}", client_secret: "{{ p1.client_secret }}"}
        ca_path: "{{ p1.ca_path }}"
      register: token
      no_log: true
%s
    - name: Put the SMTP settings
      ansible.builtin.uri:
        url: "https://{{ p1.host }}/v1/environments/{{ pingone_environment_id }}/notificationsSettings/emailDeliverySettings"
        method: PUT
        headers: {Authorization: "Bearer {{ token.json.access_token }}"}
        body_format: json
        body:
          host: "{{ smtp.host }}"
          port: "{{ smtp.port }}"
          username: "{{ smtp.username }}"
          password: "{{ smtp.password }}"
          from: {address: "{{ smtp.from_address }}", name: "{{ smtp.from_name }}"}
        ca_path: "{{ p1.ca_path }}"
      changed_when: true  # it did write; uri itself reports ok
'''
SMART = '      run_once: true\n      delegate_to: localhost'

LOOP_PLAY = '''
- name: C. the pingone_smtp module in a loop on localhost
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Apply the SMTP settings
      pingone.platform.pingone_smtp:
        environment_id: "{{ item }}"
        host: "{{ smtp.host }}"
        port: "{{ smtp.port }}"
        username: "{{ smtp.username }}"
        password: "{{ smtp.password }}"
        from_address: "{{ smtp.from_address }}"
        from_name: "{{ smtp.from_name }}"
      loop: "{{ environment_ids }}"
'''

# name, playbook, uses the collection (its token cache is emptied before the first run)
SCENARIOS = [('A role', ROLE_PLAY, True), ('B uri naive', URI_PLAY % '', False),
             ('B uri smart', URI_PLAY % SMART, False), ('C module loop', LOOP_PLAY, True)]


class Bench:
    """The emulator, the installed collection and the files the playbooks need, all in one temporary directory."""

    def __init__(self, workdir, seed):
        self.workdir = workdir
        emulator_dir = os.path.join(workdir, 'emulator')
        subprocess.run(['bash', os.path.join(ROOT, 'tools/emulator.sh'), 'start', emulator_dir, '--seed', str(seed), '--quiet'],
                       check=True, env=dict(os.environ, PYTHON=sys.executable))
        with open(os.path.join(emulator_dir, 'emulator.json'), encoding='utf-8') as info:
            self.emulator = json.load(info)
        environments = [env for env in self.emulator['environments'] if env['name'] != 'Administrators']
        self.env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, 'collections'),
                        PINGONE_API_SERVICE_HOSTNAME=self.emulator['host'], PINGONE_AUTH_SERVICE_HOSTNAME=self.emulator['host'],
                        PINGONE_CLIENT_ID=self.emulator['client_id'], PINGONE_CLIENT_SECRET=self.emulator['client_secret'],
                        PINGONE_ENVIRONMENT_ID=self.emulator['auth_environment_id'], PINGONE_CA_PATH=self.emulator['ca_path'])
        hosts = {env['name']: {'pingone_environment_id': env['id'], 'ansible_connection': 'local',
                               'ansible_python_interpreter': sys.executable} for env in environments}
        p1 = {key: self.emulator[key] for key in ('host', 'auth_environment_id', 'client_id', 'client_secret', 'ca_path')}
        self.write('inventory.json', json.dumps({'all': {'hosts': hosts}}))
        self.write('vars.json', json.dumps({'smtp': SMTP, 'p1': p1, 'environment_ids': [env['id'] for env in environments]}))
        self.size = len(environments)

    def write(self, name, text):
        path = os.path.join(self.workdir, name)
        with open(path, 'w', encoding='utf-8') as output:
            output.write(text)
        return path

    def install_collection(self):
        dist = os.path.join(self.workdir, 'dist')
        subprocess.run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', dist, ROOT],
                       check=True, capture_output=True, env=self.env)
        tarball = os.path.join(dist, os.listdir(dist)[0])
        subprocess.run(['ansible-galaxy', 'collection', 'install', '--force', '-p', self.env['ANSIBLE_COLLECTIONS_PATH'], tarball],
                       check=True, capture_output=True, env=self.env)

    def admin(self, method, path, body=None):
        response = requests.request(method, self.emulator['url'] + '/_emulator/' + path, json=body,
                                    verify=self.emulator['ca_path'], timeout=30)
        response.raise_for_status()
        return response.json()

    def playbook(self, path):
        """Run one playbook; return its wall seconds and the number of changed tasks in its recap."""
        command = ['ansible-playbook', '-i', os.path.join(self.workdir, 'inventory.json'),
                   '-e', '@' + os.path.join(self.workdir, 'vars.json'), path]
        started = time.monotonic()
        completed = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if completed.returncode:
            sys.exit('%s failed (rc %d):\n%s\n%s' % (path, completed.returncode, completed.stdout[-4000:], completed.stderr[-2000:]))
        return seconds, sum(int(count) for count in re.findall(r'changed=(\d+)', completed.stdout))

    def scenario(self, name, play, collection, latency_ms):
        """Two runs of one playbook on freshly reset environments; one result row per run."""
        self.admin('POST', 'reset', {'config': {'latency_ms': latency_ms}})
        if collection:
            shutil.rmtree(TOKEN_CACHE, ignore_errors=True)
        path = self.write('play.yml', play)
        rows, since = [], 0
        for run in (1, 2):
            seconds, changed = self.playbook(path)
            log = self.admin('GET', 'log?since=%d' % since)['requests']
            since = max([entry['seq'] for entry in log] + [since])
            tokens = sum(1 for entry in log if entry['path'].endswith('/as/token'))
            rows.append({'scenario': name, 'latency': latency_ms, 'run': run, 'seconds': seconds, 'changed': changed, 'tokens': tokens,
                         'gets': sum(1 for entry in log if entry['method'] == 'GET'),
                         'puts': sum(1 for entry in log if entry['method'] == 'PUT'), 'requests': len(log)})
        return rows


def table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = [header, ['-' * width for width in widths]] + rows
    return '\n'.join('| ' + ' | '.join(str(cell).ljust(width) for cell, width in zip(line, widths)) + ' |' for line in lines)


def report(results, size):
    print('\n## Results: %d environments, default forks (5), one run per scenario (noisy machine: wall times are rough)\n' % size)
    print(table(['latency ms', 'scenario', 'run', 'wall s', 'changed', 'token POSTs', 'GETs', 'PUTs', 'requests'],
                [[r['latency'], r['scenario'], r['run'], '%.1f' % r['seconds'], r['changed'], r['tokens'], r['gets'], r['puts'], r['requests']]
                 for r in results]))
    print('\n## Ratios: collection / uri (below 1: the collection is faster or sends fewer requests)\n')
    ratios = []
    for (latency, scenario, run), row in sorted(((r['latency'], r['scenario'], r['run']), r) for r in results if not r['scenario'].startswith('B')):
        for uri in (r for r in results if r['scenario'].startswith('B') and (r['latency'], r['run']) == (latency, run)):
            ratios.append([latency, '%s / %s' % (scenario, uri['scenario']), run, '%.2f' % (row['seconds'] / uri['seconds']),
                           '%d / %d' % (row['requests'], uri['requests']), '%d / %d' % (row['tokens'], uri['tokens']),
                           '%d / %d' % (row['puts'], uri['puts'])])
    print(table(['latency ms', 'collection / uri', 'run', 'wall ratio', 'requests', 'token POSTs', 'PUTs'], ratios))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seed', type=int, default=20, help='number of environments (default 20)')
    parser.add_argument('--latency-ms', type=int, nargs='+', default=[0, 50], help='emulator latency per request (default: 0 50)')
    args = parser.parse_args()
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix='pingone-bench-')
    try:
        bench = Bench(workdir, args.seed)
        bench.install_collection()
        results = []
        for latency_ms in args.latency_ms:
            for name, play, collection in SCENARIOS:
                rows = bench.scenario(name, play, collection, latency_ms)
                print('latency %3d ms  %-14s run 1: %5.1f s, run 2: %5.1f s' % (latency_ms, name, rows[0]['seconds'], rows[1]['seconds']), flush=True)
                results.extend(rows)
        report(results, bench.size)
    finally:
        subprocess.run(['bash', os.path.join(ROOT, 'tools/emulator.sh'), 'stop', os.path.join(workdir, 'emulator')], check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    print('\nbenchmark runtime: %.0f s' % (time.monotonic() - started))


if __name__ == '__main__':
    main()
