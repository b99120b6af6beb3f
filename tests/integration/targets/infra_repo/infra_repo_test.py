"""Run the commands of examples/infra-repo's CI files against the emulator; assert on its request log."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml

sys.path.insert(0, '../setup_emulator')
from emulator_driver import EMULATOR as CONFIG, Checks, admin  # noqa: E402 pylint: disable=wrong-import-position

OUTPUT_DIR = os.environ.get('OUTPUT_DIR', '/tmp')
os.environ['HOME'] = os.path.join(OUTPUT_DIR, 'infra-repo-home')
os.makedirs(os.environ['HOME'], exist_ok=True)
COLLECTION_ROOT = next(parent for parent in (os.path.abspath(os.path.join(*['..'] * up)) for up in range(1, 12))
                       if os.path.isdir(os.path.join(parent, 'examples', 'infra-repo')))
EXAMPLE = os.path.join(COLLECTION_ROOT, 'examples', 'infra-repo')
REPO = os.path.join(OUTPUT_DIR, 'infra-repo')
SETTINGS_SUFFIX = '/notificationsSettings/emailDeliverySettings'
SMTP_PASSWORD = 'Infra-Repo-Demo-Smtp-Password'  # what the example's vault holds
check = Checks()
# Shell builtins the CI lines use; everything else must be an executable on PATH.
BUILTINS = {'printf', 'test', 'cd', 'export', 'echo'}
# Lines the test checks but does not run: they install from the network or post to GitLab.
NOT_RUN = re.compile(r'^(python -m pip install|ansible-galaxy collection install|curl )')


def writes():
    return [entry for entry in admin('GET', 'log')['requests']
            if entry['path'].endswith(SETTINGS_SUFFIX) and entry['method'] in ('PUT', 'DELETE')]


def gitlab_commands():
    """{job: [command line]} of .gitlab-ci.yml, before_script first."""
    ci = yaml.safe_load(open(os.path.join(EXAMPLE, '.gitlab-ci.yml')))
    before = ci.get('default', {}).get('before_script', [])
    return dict((name, before + job['script']) for name, job in ci.items() if isinstance(job, dict) and 'script' in job)


def github_commands():
    workflow = yaml.safe_load(open(os.path.join(EXAMPLE, '.github', 'workflows', 'pingone-smtp.yml')))
    return dict((name, [step['run'] for step in job['steps'] if 'run' in step]) for name, job in workflow['jobs'].items())


def check_command_exists(line):
    """Every command of a CI line exists: the executable, the playbook in the collection, the inventory in the repo."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands, words, redirect = [], [], False
    for token in lexer:
        if token in ('||', '&&', ';', '|'):
            commands.append(words)
            words = []
        elif token in ('>', '>>'):
            redirect = True
        elif redirect:
            redirect = False  # the file a command writes to
        else:
            words.append(token)
    commands.append(words)
    for words in commands:
        if not words:
            continue
        part = ' '.join(words)
        check(words[0] in BUILTINS or shutil.which(words[0]) is not None, 'the command %r exists' % words[0])
        if words[0] == 'ansible-playbook':
            playbooks = [word for word in words if word.startswith('pingone.platform.')]
            check(len(playbooks) == 1 and os.path.isfile(os.path.join(COLLECTION_ROOT, 'playbooks', playbooks[0].split('.')[-1] + '.yml')),
                  'the playbook of %r exists in the collection' % part.strip())
            inventory = words[words.index('-i') + 1]
            check(os.path.exists(os.path.join(EXAMPLE, inventory)), 'the inventory %s exists in the example' % inventory)


def run(line, **environment):
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_CONFIG='ansible.cfg',
               PINGONE_API_SERVICE_HOSTNAME=CONFIG['host'], PINGONE_AUTH_SERVICE_HOSTNAME=CONFIG['host'],
               PINGONE_CLIENT_ID=CONFIG['client_id'], PINGONE_CLIENT_SECRET=CONFIG['client_secret'],
               PINGONE_ENVIRONMENT_ID=CONFIG['auth_environment_id'], PINGONE_CA_PATH=CONFIG['ca_path'])
    env.pop('SMTP_PASSWORD', None)
    env.update(environment)
    completed = subprocess.run(['bash', '-c', line], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    print('$ %s -> rc %d' % (line, completed.returncode))
    print(output[-4000:])
    check(CONFIG['client_secret'] not in output and SMTP_PASSWORD not in output, 'no secret in the output of %s' % line)
    return completed.returncode, output


# Every command the CI files name exists.
GITLAB = gitlab_commands()
GITHUB = github_commands()
for commands in list(GITLAB.values()) + list(GITHUB.values()):
    for command in commands:
        check(isinstance(command, str), 'a CI command is a string, not what YAML made of it: %r' % (command,))
        if isinstance(command, str):
            check_command_exists(command)
ci_text = open(os.path.join(EXAMPLE, '.gitlab-ci.yml')).read()
check(all(job.get('resource_group') == 'pingone-smtp' for job in yaml.safe_load(ci_text).values()
          if isinstance(job, dict) and 'script' in job), 'every GitLab job that talks to PingOne shares one resource_group')
workflow = yaml.safe_load(open(os.path.join(EXAMPLE, '.github', 'workflows', 'pingone-smtp.yml')))
check(workflow['concurrency'] == {'group': 'pingone-smtp', 'cancel-in-progress': False}, 'GitHub runs one workflow at a time')

# The AWX credential type injects only names the playbooks, modules or the example's inventory read.
credential_type = yaml.safe_load(open(os.path.join(EXAMPLE, 'awx', 'credential_type.yml')))
sources = []
for folder in (os.path.join(COLLECTION_ROOT, 'plugins'), os.path.join(EXAMPLE, 'inventory')):
    for directory, _subdirs, files in os.walk(folder):
        sources.extend(open(os.path.join(directory, name)).read() for name in files if name.endswith(('.py', '.yml')))
injected = credential_type['injectors']['env']
for name in injected:
    check(any(re.search(r"['\"]%s['\"]" % name, source) for source in sources), 'the injected %s is read by the collection or the inventory' % name)
fields = dict((field['id'], field) for field in credential_type['inputs']['fields'])
check(fields['client_secret'].get('secret') and fields['smtp_password'].get('secret'), 'the client secret and SMTP password are secret fields')
check(set(re.findall(r'{{ (\w+) }}', json.dumps(injected))) <= set(fields), 'every injector reads a field of the type')
awx = yaml.safe_load(open(os.path.join(EXAMPLE, 'awx', 'workflow.yml')))
awx_tasks = awx[0]['tasks']
check("'credential_type.yml'" in json.dumps(awx[0]['vars']), 'the AWX workflow playbook creates the shipped credential type')
check(all(task.get('awx.awx.job_template', {}).get('allow_simultaneous') is False for task in awx_tasks if 'awx.awx.job_template' in task)
      and any('awx.awx.job_template' in task for task in awx_tasks), 'the AWX job templates never run simultaneously')

# Run the commands from a copy of the repository. The emulator has no SMTP server behind smtp.example.com, so the
# copy alone turns the write-time preflight off (the only change to the example).
shutil.rmtree(REPO, ignore_errors=True)
shutil.copytree(EXAMPLE, REPO)
with open(os.path.join(REPO, 'inventory', 'group_vars', 'all', 'zz_emulator.yml'), 'w') as test_vars:
    test_vars.write('smtp_rollout_preflight: none\n')
admin('POST', 'reset', {'config': {}})
static = yaml.safe_load(open(os.path.join(EXAMPLE, 'inventory', 'hosts.yml')))
static_ids = dict((host, values['pingone_environment_id']) for group in static['all']['children'].values()
                  for host, values in group['hosts'].items())

# Merge request (GitLab and GitHub): no SMTP password, no vault password.
for job, commands in (('gitlab audit', GITLAB['audit']), ('github audit', GITHUB['audit'])):
    for command in commands:
        if NOT_RUN.match(command):
            continue
        rc, output = run(command, GITHUB_STEP_SUMMARY=os.path.join(REPO, 'summary.md'))
        check(rc == 0, '%s: %s passes (drift is what a merge request proposes)' % (job, command[:60]))
    report = json.load(open(os.path.join(REPO, 'audit.json')))
    check(report['outcome'] == 'drift', '%s: the audit report says drift' % job)
    check(open(os.path.join(REPO, 'audit.xml')).read().count('<testcase ') == len(report['environments']) > 0,
          '%s: a JUnit testcase per environment' % job)
check(writes() == [], 'the merge-request jobs wrote nothing')
check('| demo-' in open(os.path.join(REPO, 'summary.md')).read(), 'the GitHub job summary holds the Markdown table')

# Main (GitLab): sandboxes, then production; the vault password from a CI file variable.
vault_file = os.path.join(REPO, 'vault-password.demo.txt')
for job in ('rollout-sandbox', 'rollout-production'):
    for command in GITLAB[job]:
        if not NOT_RUN.match(command):
            rc, output = run(command, ANSIBLE_VAULT_PASSWORD_FILE=vault_file)
            check(rc == 0, 'gitlab %s: %s succeeds' % (job, command[:60]))
    if job == 'rollout-sandbox':
        log = writes()
        check(log and all(entry['method'] == 'PUT' for entry in log), 'the sandbox job writes')
stored = admin('GET', 'state')['settings']
by_name = dict((host, stored.get(env_id)) for host, env_id in static_ids.items())
check(all(settings and settings['host'] == 'smtp.example.com' for settings in by_name.values()),
      'every environment of the static inventory holds the group_vars host (the static ids match the emulator)')
check(by_name['demo-production-na-1']['from']['name'] == 'Example Identity (production)', 'the production group override applies')
check(by_name['demo-production-eu-1'].get('replyTo', {}).get('address') == 'support-eu@example.com', 'the host override applies')
check(by_name['demo-sandbox-na-1']['from']['name'] == 'Example Identity', 'sandboxes keep the shared settings')
check(all('password' in entry['body_fields'] for entry in writes()), 'every write carries the vaulted password')
sandbox_ids = set(static_ids[host] for host in static_ids if 'sandbox' in host)
first_writes = [entry['env'] for entry in writes()][:len(sandbox_ids)]
check(set(first_writes) == sandbox_ids, 'the sandbox job ran before the production job')

# Main (GitHub): the vault password from a secret, written to a file by the job; nothing left to change.
before = len(writes())
for job in ('rollout-sandbox', 'rollout-production'):
    for command in GITHUB[job]:
        if not NOT_RUN.match(command):
            rc, output = run(command, ANSIBLE_VAULT_PASSWORD=open(vault_file).read())
            check(rc == 0, 'github %s: %s succeeds' % (job, command[:60]))
check(len(writes()) == before, 'the GitHub rollout after the GitLab one changes nothing')

check.exit()
