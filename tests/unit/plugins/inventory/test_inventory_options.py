# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every option of the inventory plugin: valid, invalid, and from its environment variable; PingOne in memory."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
import requests

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state, options as opts
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import make_response

CLIENT_ID = '0c1d2e3f-1111-4111-8111-000000000001'
AUTH_ENVIRONMENT_ID = '0c1d2e3f-2222-4222-8222-000000000002'
CLIENT_SECRET = 'inventory-S3cret-value'
CONNECTION = {'PINGONE_CLIENT_ID': CLIENT_ID, 'PINGONE_CLIENT_SECRET': CLIENT_SECRET,
              'PINGONE_ENVIRONMENT_ID': AUTH_ENVIRONMENT_ID, 'PINGONE_REGION_CODE': 'EU'}
ENVIRONMENTS = [
    {'id': 'a3b1c2d4-0000-4000-8000-000000000001', 'name': 'demo-sandbox-eu', 'type': 'SANDBOX', 'region': 'EU'},
    {'id': 'a3b1c2d4-0000-4000-8000-000000000002', 'name': 'demo-production-na', 'type': 'PRODUCTION', 'region': 'NA'},
    {'id': 'a3b1c2d4-0000-4000-8000-000000000003', 'name': 'old-sandbox', 'type': 'SANDBOX', 'region': 'EU',
     'status': 'DELETE_PENDING'},
]


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """Every request sent, answered by a PingOne in memory; no PINGONE_* variable but those a test sets."""
    made = []

    def session_request(_session, method, url, **kwargs):
        made.append(dict(kwargs, method=method, url=url))
        if url.endswith('/as/token'):
            return make_response(200, {'access_token': 'inventory-token', 'expires_in': 3600})
        return make_response(200, {'_embedded': {'environments': ENVIRONMENTS}})
    monkeypatch.setattr(requests.Session, 'request', session_request)
    for variable in opts.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(tmp_path / 'state'))
    return made


def the_plugin():
    plugin = inventory_loader.get('pingone.platform.environments')
    if plugin is None:  # plain pytest: ansible-test sets up the collection loader, pytest alone does not
        import ansible_collections
        from ansible.plugins.loader import init_plugin_loader
        init_plugin_loader([os.path.dirname(list(ansible_collections.__path__)[0])])
        plugin = inventory_loader.get('pingone.platform.environments')
    return plugin


def parse(tmp_path, config, monkeypatch=None, environment=None):
    """Parse a pingone.yml with `config`; the inventory's hosts and their variables."""
    for name, value in (environment or {}).items():
        monkeypatch.setenv(name, value)
    path = tmp_path / 'pingone.yml'
    path.write_text(json.dumps(dict(config, plugin='pingone.platform.environments')))
    inventory = InventoryData()
    the_plugin().parse(inventory, DataLoader(), str(path), cache=False)
    return inventory


def hosts(inventory):
    return sorted(inventory.hosts)


def test_the_connection_comes_from_the_pingone_variables(calls, tmp_path, monkeypatch):
    inventory = parse(tmp_path, {}, monkeypatch, CONNECTION)
    assert hosts(inventory) == ['demo-production-na', 'demo-sandbox-eu']
    assert calls[0]['url'] == 'https://auth.pingone.eu/%s/as/token' % AUTH_ENVIRONMENT_ID
    assert calls[1]['url'] == 'https://api.pingone.eu/v1/environments'


def test_the_config_file_wins_over_the_variables(calls, tmp_path, monkeypatch):
    parse(tmp_path, {'region_code': 'CA'}, monkeypatch, CONNECTION)
    assert calls[1]['url'] == 'https://api.pingone.ca/v1/environments'


@pytest.mark.parametrize('config, expected', [
    ({'types': ['SANDBOX']}, ['demo-sandbox-eu']),
    ({'regions': ['NA']}, ['demo-production-na']),
    ({'include_delete_pending': True}, ['demo-production-na', 'demo-sandbox-eu', 'old-sandbox']),
    ({'hostname': 'id'}, ['a3b1c2d4-0000-4000-8000-000000000001', 'a3b1c2d4-0000-4000-8000-000000000002']),
    ({'filters': ['pingone_region == "EU"']}, ['demo-sandbox-eu']),
])
def test_each_selection_option(calls, tmp_path, monkeypatch, config, expected):
    assert hosts(parse(tmp_path, config, monkeypatch, CONNECTION)) == expected


def test_name_prefix_is_sent_as_a_scim_filter(calls, tmp_path, monkeypatch):
    parse(tmp_path, {'name_prefix': 'demo-'}, monkeypatch, CONNECTION)
    assert calls[1]['params'] == {'filter': 'name sw "demo-"'}


def test_hosts_carry_their_variables_and_no_credential(calls, tmp_path, monkeypatch):
    variables = parse(tmp_path, {'types': ['SANDBOX']}, monkeypatch, CONNECTION).get_host('demo-sandbox-eu').vars
    assert variables['pingone_environment_id'] == 'a3b1c2d4-0000-4000-8000-000000000001'
    assert variables['pingone_region'] == 'EU' and variables['ansible_connection'] == 'local'
    assert CLIENT_SECRET not in repr(variables) and 'inventory-token' not in repr(variables)


@pytest.mark.parametrize('config, message', [
    ({'type': ['SANDBOX']}, "unknown option 'type' (did you mean 'types'?)"),
    ({'client_id': 'not-a-uuid'}, "client_id must be a PingOne id (a UUID), got 'not-a-uuid'"),
    ({'name_prefix': 'x' * 300}, 'name_prefix'),
    ({'validate_certs': False, 'ca_path': '/etc/hostname'}, 'ca_path (PINGONE_CA_PATH) and validate_certs=false contradict'),
    ({'retries': -1}, 'retries must be 0 (no retry) or more, got -1'),
])
def test_invalid_options_fail_naming_the_option_before_any_request(calls, tmp_path, monkeypatch, config, message):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, config, monkeypatch, CONNECTION)
    assert message in str(caught.value)
    assert calls == []


@pytest.mark.parametrize('config', [{'types': ['STAGING']}, {'hostname': 'uuid'}, {'region_code': 'XX'}])
def test_a_value_outside_the_choices_fails(calls, tmp_path, monkeypatch, config):
    with pytest.raises(Exception) as caught:
        parse(tmp_path, config, monkeypatch, CONNECTION)
    assert list(config)[0] in str(caught.value)
    assert calls == []


def test_no_credentials_names_every_missing_option_and_its_variable(calls, tmp_path, monkeypatch):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, {'region_code': 'EU'}, monkeypatch)
    assert ('missing connection option(s) client_id, client_secret, auth_environment_id (or PINGONE_CLIENT_ID, '
            'PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID), or give access_token') in str(caught.value)


def test_an_access_token_from_its_variable_is_used_as_is(calls, tmp_path, monkeypatch):
    parse(tmp_path, {'region_code': 'EU'}, monkeypatch, {'PINGONE_API_ACCESS_TOKEN': 'given-token'})
    assert [call['url'] for call in calls] == ['https://api.pingone.eu/v1/environments']
    assert calls[0]['headers']['Authorization'] == 'Bearer given-token'


def test_an_api_error_is_masked(calls, tmp_path, monkeypatch):
    def echoing(_session, method, url, **kwargs):
        if url.endswith('/as/token'):
            return make_response(200, {'access_token': 'inventory-token', 'expires_in': 3600})
        return make_response(400, {'code': 'INVALID_REQUEST', 'message': 'echo: Bearer inventory-token %s' % CLIENT_SECRET})
    monkeypatch.setattr(requests.Session, 'request', echoing)
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, {}, monkeypatch, CONNECTION)
    assert 'inventory-token' not in str(caught.value) and CLIENT_SECRET not in str(caught.value)
    assert 'echo: Bearer ********' in str(caught.value)
