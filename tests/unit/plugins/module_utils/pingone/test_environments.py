# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment selection shared by pingone_environment_info and the environments inventory plugin."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.pingone.platform.plugins.module_utils.pingone import environments


def api_environment(name, env_type, region, env_id, status='ACTIVE', **extra):
    """An environment object as GET /v1/environments embeds it (pingone-api.md section 8)."""
    body = {
        'id': env_id,
        'name': name,
        'type': env_type,
        'region': region,
        'organization': {'id': 'f0000000-0000-4000-8000-000000000000'},
        'createdAt': '2024-01-01T00:00:00.000Z',
        'updatedAt': '2024-01-01T00:00:00.000Z',
        '_links': {'self': {'href': 'https://api.pingone.com/v1/environments/x'}},
    }
    if status is not None:
        body['status'] = status
    body.update(extra)
    return body


ALL = [
    api_environment('payments-prod', 'PRODUCTION', 'EU', env_id='11111111-1111-4111-8111-111111111111'),
    api_environment('Identity-sandbox', 'SANDBOX', 'NA', env_id='22222222-2222-4222-8222-222222222222'),
    api_environment('billing-sandbox', 'SANDBOX', 'EU', env_id='33333333-3333-4333-8333-333333333333', description='Billing'),
    api_environment('retired', 'SANDBOX', 'NA', status='DELETE_PENDING', env_id='44444444-4444-4444-8444-444444444444'),
    api_environment('apac-prod', 'PRODUCTION', 'AP', status=None, env_id='55555555-5555-4555-8555-555555555555'),
]


def names(selected):
    return [environment['name'] for environment in selected]


class FakeClient:
    """Records get_all calls; answers with the given items."""

    def __init__(self, items):
        self.items = items
        self.calls = []

    def get_all(self, path, collection, action, params=None):
        self.calls.append(dict(path=path, collection=collection, params=params))
        return self.items


def test_no_prefix_sends_no_filter():
    assert environments.name_filter(None) is None
    assert environments.name_filter('') is None


def test_prefix_becomes_a_name_sw_filter():
    assert environments.name_filter('payments-') == 'name sw "payments-"'


def test_quotes_and_backslashes_in_the_prefix_are_escaped():
    scim = environments.name_filter('a"b\\c')
    assert scim == 'name sw "a\\"b\\\\c"'
    # The quoted part is a valid JSON string that decodes back to the prefix, so nothing can break out of it.
    assert json.loads(scim[len('name sw '):]) == 'a"b\\c'


def test_list_environments_asks_for_every_page_with_the_filter():
    client = FakeClient(ALL)
    assert environments.list_environments(client, 'pay') == ALL
    assert client.calls == [dict(path='/environments', collection='environments', params={'filter': 'name sw "pay"'})]


def test_list_environments_without_prefix_sends_no_params():
    client = FakeClient([])
    environments.list_environments(client)
    assert client.calls[0]['params'] is None


def test_summary_keeps_only_the_reported_fields():
    summary = environments.summarize(ALL[2])
    assert summary == {'id': '33333333-3333-4333-8333-333333333333', 'name': 'billing-sandbox', 'type': 'SANDBOX',
                       'region': 'EU', 'status': 'ACTIVE', 'description': 'Billing'}


def test_missing_status_counts_as_active():
    assert environments.summarize(ALL[4])['status'] == 'ACTIVE'


def test_summary_of_a_summary_is_the_same():
    summary = environments.summarize(ALL[2])
    assert environments.summarize(summary) == summary


def test_select_without_filters_skips_delete_pending_and_sorts_by_name_ignoring_case():
    assert names(environments.select(ALL)) == ['apac-prod', 'billing-sandbox', 'Identity-sandbox', 'payments-prod']


def test_include_delete_pending_reports_them():
    selected = environments.select(ALL, include_delete_pending=True)
    assert 'retired' in names(selected)
    assert [environment['status'] for environment in selected if environment['name'] == 'retired'] == ['DELETE_PENDING']


def test_select_by_type():
    assert names(environments.select(ALL, types=['PRODUCTION'])) == ['apac-prod', 'payments-prod']
    assert names(environments.select(ALL, types=['SANDBOX'])) == ['billing-sandbox', 'Identity-sandbox']


def test_select_by_region():
    assert names(environments.select(ALL, regions=['EU'])) == ['billing-sandbox', 'payments-prod']
    assert names(environments.select(ALL, regions=['EU', 'AP'])) == ['apac-prod', 'billing-sandbox', 'payments-prod']


def test_filters_combine_with_and():
    assert names(environments.select(ALL, types=['SANDBOX'], regions=['EU'])) == ['billing-sandbox']
    assert names(environments.select(ALL, types=['PRODUCTION'], regions=['NA'])) == []


def test_empty_filter_lists_select_everything():
    assert names(environments.select(ALL, types=[], regions=[], environment_ids=[])) == names(environments.select(ALL))


def test_select_by_ids_ignores_case_and_unknown_ids():
    selected = environments.select(ALL, environment_ids=['11111111-1111-4111-8111-111111111111'.upper(),
                                                         '99999999-9999-4999-8999-999999999999'])
    assert names(selected) == ['payments-prod']


def test_ids_do_not_override_the_delete_pending_rule():
    assert environments.select(ALL, environment_ids=['44444444-4444-4444-8444-444444444444']) == []
    assert names(environments.select(ALL, environment_ids=['44444444-4444-4444-8444-444444444444'],
                                     include_delete_pending=True)) == ['retired']


def test_select_does_not_change_its_input():
    before = json.dumps(ALL, sort_keys=True)
    environments.select(ALL, types=['SANDBOX'])
    assert json.dumps(ALL, sort_keys=True) == before


def test_host_vars_name_the_environment_and_hold_no_credentials():
    summary = environments.summarize(ALL[0])
    assert environments.host_vars(summary) == {
        'pingone_environment_id': '11111111-1111-4111-8111-111111111111',
        'pingone_environment_name': 'payments-prod',
        'pingone_environment_type': 'PRODUCTION',
        'pingone_region': 'EU',
    }


def test_default_groups_are_lower_case_type_and_region():
    assert environments.group_names(environments.summarize(ALL[0])) == ['pingone_type_production', 'pingone_region_eu']
    assert environments.group_names(environments.summarize(ALL[1])) == ['pingone_type_sandbox', 'pingone_region_na']
