#!/usr/bin/env python
"""Helpers of runme.sh: talk to the emulator's admin API, write inventory configs, check ansible-inventory's output.

python emulator_inventory.py reset | config JSON | add-retired | log-count | check-paging | print-secret
python emulator_inventory.py write-config FILE PROFILE [CACHE_DIR]
python emulator_inventory.py check-list | check-filtered INVENTORY_JSON
python emulator_inventory.py check-ran DIR
"""

import json
import os
import sys

import yaml

sys.path.insert(0, '../setup_emulator')
from emulator_driver import EMULATOR as CONFIG, admin  # noqa: E402 pylint: disable=wrong-import-position

RETIRED = {'name': 'demo-sandbox-eu-retired', 'type': 'SANDBOX', 'region': 'EU', 'status': 'DELETE_PENDING'}


def environment_lists():
    return [entry for entry in admin('GET', 'log')['requests'] if entry['path'] == '/v1/environments']


# The inventory configs runme.sh uses, on top of the connection to the emulator.
PROFILES = {
    # everything, with constructed groups and variables of the user's own
    'full': {
        'strict': True,
        'keyed_groups': [{'key': "(pingone_environment_type ~ '_' ~ pingone_region) | lower", 'prefix': 'env'}],
        'groups': {'demo': "pingone_environment_name.startswith('demo-')"},
        'compose': {'pingone_label': "pingone_environment_name ~ ' (' ~ pingone_region ~ ')'"},
    },
    # the module's filters; the client secret comes from PINGONE_CLIENT_SECRET
    'filtered': {'types': ['SANDBOX'], 'regions': ['EU'], 'include_delete_pending': True, 'hostname': 'id', 'client_secret': None},
    # Jinja2 conditions on the host variables
    'conditions': {'filters': ["pingone_environment_type == 'PRODUCTION'", "pingone_region != 'EU'"]},
    # as full, through a jsonfile cache (cache_connection is added by write-config)
    'cached': {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_timeout': 3600},
    'no_client_id': {'client_id': None},
    'unknown_type': {'types': ['SANDBOX', 'STAGING']},
    'wrong_secret': {'client_secret': 'wrong-Inventory-Secret-3', 'token_cache': False},
    'explicit_post': {'token_auth_method': 'client_secret_post', 'token_cache': False},
}


def write_config(path, profile, cache_dir=None):
    config = {
        'plugin': 'pingone.platform.environments',
        'api_hostname': CONFIG['host'],
        'auth_hostname': CONFIG['host'],
        'ca_path': CONFIG['ca_path'],
        'client_id': CONFIG['client_id'],
        'client_secret': CONFIG['client_secret'],
        'auth_environment_id': CONFIG['auth_environment_id'],
    }
    config.update(PROFILES['full'] if profile == 'cached' else {})
    config.update(PROFILES[profile])
    if cache_dir:
        config['cache_connection'] = cache_dir
    config = dict((key, value) for key, value in config.items() if value is not None)
    with open(path, 'w') as stream:
        yaml.safe_dump(config, stream, default_flow_style=False)


def check(condition, message):
    """Fails at once (not emulator_driver.Checks): each command is one step of runme.sh, which stops at a failed one."""
    if not condition:
        raise SystemExit('FAILED: ' + message)
    print('ok: ' + message)


def plain(value):
    """ansible-inventory's JSON without the {"__ansible_unsafe": value} wrapping ansible-core 2.19 puts on untrusted strings."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def check_list(path):
    """The full inventory of the seeded environments, as runme.sh's first config asks for it."""
    text = open(path).read()
    inventory = plain(json.loads(text))
    hostvars = inventory['_meta']['hostvars']
    seeded = CONFIG['environments']

    def members(group):
        return set(inventory.get(group, {}).get('hosts', []))

    check(CONFIG['client_secret'] not in text, 'the client secret appears nowhere in the output')
    check(set(hostvars) == set(env['name'] for env in seeded), 'every seeded environment is a host, named by its name')
    check(RETIRED['name'] not in text, 'the DELETE_PENDING environment is not in the inventory')
    for env in seeded:
        host = hostvars[env['name']]
        check(host.get('pingone_environment_id') == env['id'] and host.get('pingone_environment_name') == env['name']
              and host.get('pingone_environment_type') == env['type'] and host.get('pingone_region') == env['region'],
              '%s has its id, name, type and region' % env['name'])
        check(host.get('ansible_connection') == 'local', '%s runs with connection local' % env['name'])
        check(host.get('ansible_python_interpreter') == '{{ ansible_playbook_python }}', '%s runs with the controller python' % env['name'])
        check(host.get('pingone_label') == '%s (%s)' % (env['name'], env['region']), '%s has the composed pingone_label' % env['name'])
        check(not set(host) & {'client_secret', 'access_token', 'client_id'}, '%s has no credential variable' % env['name'])
    for env_type in ('SANDBOX', 'PRODUCTION'):
        expected = set(env['name'] for env in seeded if env['type'] == env_type)
        check(expected and members('pingone_type_' + env_type.lower()) == expected, 'group pingone_type_%s' % env_type.lower())
    regions = set(env['region'] for env in seeded)
    check(len(regions) > 1, 'the seeded environments span several regions')
    for region in regions:
        expected = set(env['name'] for env in seeded if env['region'] == region)
        check(members('pingone_region_' + region.lower()) == expected, 'group pingone_region_%s' % region.lower())
    for env in seeded:
        keyed = 'env_%s_%s' % (env['type'].lower(), env['region'].lower())
        check(env['name'] in members(keyed), '%s is in the keyed group %s' % (env['name'], keyed))
    demo = set(env['name'] for env in seeded if env['name'].startswith('demo-'))
    check(demo and members('demo') == demo, 'the conditional group demo holds the demo-* environments')
    check(set(inventory['all']['children']) >= {'pingone_type_sandbox', 'pingone_type_production', 'demo'}, 'the groups hang off all')


def check_filtered(path):
    """The second config: European sandboxes, named by id, DELETE_PENDING included, secret from the environment."""
    text = open(path).read()
    inventory = plain(json.loads(text))
    hostvars = inventory['_meta']['hostvars']
    expected = dict((env['id'], env) for env in CONFIG['environments'] if env['type'] == 'SANDBOX' and env['region'] == 'EU')
    retired = [env for env in admin('GET', 'state')['environments'] if env['name'] == RETIRED['name']]
    check(len(retired) == 1, 'the DELETE_PENDING environment exists in the emulator')
    expected[retired[0]['id']] = retired[0]
    check(CONFIG['client_secret'] not in text, 'the client secret (given by PINGONE_CLIENT_SECRET) appears nowhere in the output')
    check(len(expected) > 1 and set(hostvars) == set(expected), 'the hosts are the European sandboxes, named by id, the deleted one included')
    check(all(hostvars[env_id]['pingone_environment_name'] == env['name'] for env_id, env in expected.items()), 'hosts named by id keep their names')
    check(set(inventory.get('pingone_region_eu', {}).get('hosts', [])) == set(expected), 'group pingone_region_eu')
    check('pingone_type_production' not in inventory and 'pingone_region_na' not in inventory, 'no group for filtered-out environments')


def main(argv):
    command = argv[0]
    if command == 'reset':
        # seed: back to the environments the emulator started with (an earlier run may have added some)
        admin('POST', 'reset', {'seed': len(CONFIG['environments']) - 1})
    elif command == 'config':
        admin('POST', 'config', json.loads(argv[1]))
    elif command == 'add-retired':
        admin('POST', 'environments', {'environments': [RETIRED]})
    elif command == 'log-count':
        print(len(environment_lists()))
    elif command == 'log-seq':
        print(max([entry['seq'] for entry in admin('GET', 'log')['requests']] or [0]))
    elif command == 'token-auths':
        # How each token request after seq argv[1] authenticated, and its status: "basic:401 post:200"
        print(' '.join('%s:%s' % ('basic' if entry['auth_header'] == 'basic' else 'post' if 'client_secret' in entry['body_fields'] else 'none',
                                  entry['status'])
                       for entry in admin('GET', 'log?since=%s' % argv[1])['requests'] if entry['path'].endswith('/as/token')))
    elif command == 'check-paging':
        lists = environment_lists()
        check(len(lists) > 1, 'ansible-inventory listed the environments in %d requests' % len(lists))
        check(all('cursor=' in entry['query'] for entry in lists[1:]), 'every request after the first follows a cursor')
        check(all(entry['status'] == 200 for entry in lists), 'every list request succeeded')
    elif command == 'write-config':
        write_config(argv[1], argv[2], *argv[3:])
    elif command == 'print-secret':
        print(CONFIG['client_secret'])
    elif command == 'check-ran':
        ran = sorted(os.listdir(argv[1]))
        sandboxes = sorted(env['name'] for env in CONFIG['environments'] if env['type'] == 'SANDBOX')
        check(sandboxes and ran == sandboxes, 'the playbook ran on every sandbox and nothing else: %s' % ', '.join(ran))
    elif command == 'check-list':
        check_list(argv[1])
    elif command == 'check-filtered':
        check_filtered(argv[1])
    elif command == 'check-conditions':
        hosts = sorted(plain(json.load(open(argv[1])))['_meta']['hostvars'])
        expected = sorted(env['name'] for env in CONFIG['environments'] if env['type'] == 'PRODUCTION' and env['region'] != 'EU')
        check(expected and hosts == expected, 'the filters keep only the non-European production environments: %s' % ', '.join(hosts))
    else:
        raise SystemExit('unknown command %s' % command)


if __name__ == '__main__':
    main(sys.argv[1:])
