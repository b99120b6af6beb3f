# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pingone_smtp_info with requests.Session.request answered in memory: the HTTP calls it makes and what it returns."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from ansible.module_utils import basic
from ansible_collections.pingone.platform.tests.unit.module_args import (
    AnsibleExitJson, AnsibleFailJson, call_main, exit_json, fail_json, patch_module_args)

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state, options as opts, retry
from ansible_collections.pingone.platform.plugins.modules import pingone_smtp_info
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import (
    AnsibleExitJson, AnsibleFailJson, exit_json, fail_json)

API = 'https://api.pingone.eu/v1'
AUTH_ENVIRONMENT_ID = '0c1d2e3f-2222-4222-8222-000000000002'
CLIENT_ID = '0c1d2e3f-1111-4111-8111-000000000001'
TOKEN_URL = 'https://auth.pingone.eu/%s/as/token' % AUTH_ENVIRONMENT_ID
CONNECTION = dict(client_id=CLIENT_ID, client_secret='cl1ent-s3cret-value', auth_environment_id=AUTH_ENVIRONMENT_ID, region_code='EU')
PINGONE_ENV = 'a3b1c2d4-0000-4000-8000-000000000001'
SMTP_ENV = 'a3b1c2d4-0000-4000-8000-000000000002'
CUSTOM_ENV = 'a3b1c2d4-0000-4000-8000-000000000003'
MISSING_ENV = 'a3b1c2d4-0000-4000-8000-000000000004'
SETTINGS = '/environments/%s/notificationsSettings/emailDeliverySettings'
NOTIFICATIONS = '/environments/%s/notificationsSettings'
SMTP_BODY = {'host': 'smtp.example.com', 'port': 587, 'protocol': 'SMTP', 'username': 'mailer',
             'from': {'address': 'noreply@example.com'}, 'updatedAt': '2026-11-25T10:00:00.000Z'}
CUSTOM_BODY = {'protocol': 'HTTP', 'name': 'Acme Mail API', 'provider': 'CUSTOM_PROVIDER',
               'authentication': {'method': 'CUSTOM_HEADER', 'headerName': 'X-Api-Key'},
               'requests': [{'deliveryMethod': 'EMAIL', 'method': 'POST', 'url': 'https://mail.acme.example/send',
                             'headers': {'Authorization': 'Basic YWNtZTpzZWNyZXQ='}, 'body': '{"to": "${to}", "text": "${message}"}'}],
               'from': {'address': 'noreply@example.com', 'name': 'Example'}, 'replyTo': {'address': 'help@example.com'},
               'updatedAt': '2026-11-24T09:00:00.000Z'}
FORBIDDEN = {'id': 'e403', 'code': 'ACCESS_FAILED', 'message': 'The request could not be completed. You do not have access to this resource.'}


def response(status, body):
    answer = requests.Response()
    answer.status_code = status
    answer._content = json.dumps(body).encode('utf-8')
    return answer


class Calls(list):
    """(method, path) of each API call; .answers maps a path to the (status, body) it gets."""


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """Four environments: PingOne's email service, an SMTP server, a custom HTTP provider, and one deleted."""
    answers = {
        SETTINGS % PINGONE_ENV: (200, {'_links': {}}),
        SETTINGS % SMTP_ENV: (200, SMTP_BODY),
        SETTINGS % CUSTOM_ENV: (200, CUSTOM_BODY),
        SETTINGS % MISSING_ENV: (403, FORBIDDEN),  # PingOne's answer for an environment that is not there
        '/environments/%s' % MISSING_ENV: (404, {'id': 'e404', 'code': 'NOT_FOUND', 'message': 'Not found.'}),
        NOTIFICATIONS % PINGONE_ENV: (200, {'deliveryMode': 'ALL', 'emailProviderFallbackChain': []}),
        NOTIFICATIONS % SMTP_ENV: (200, {'deliveryMode': 'ALL', 'emailProviderFallbackChain': []}),
        NOTIFICATIONS % CUSTOM_ENV: (200, {'deliveryMode': 'ALL'}),  # no chain: the configured provider sends
    }
    made = Calls()

    def session_request(_session, method, url, **kwargs):
        if url == TOKEN_URL:
            return response(200, {'access_token': 'issued-token', 'expires_in': 3600})
        made.append((method, url[len(API):]))
        return response(*answers[url[len(API):]])
    monkeypatch.setattr(requests.Session, 'request', session_request)
    made.answers = answers
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(retry, 'sleep', lambda seconds: pytest.fail('waited %s s' % seconds))
    for variable in opts.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(tmp_path / 'pingone_tokens'))
    return made


def run(environment_ids, outcome=AnsibleExitJson, **options):
    with patch_module_args(dict(CONNECTION, environment_ids=environment_ids, **options)):
        with pytest.raises(outcome) as caught:
            call_main(pingone_smtp_info.main)
    return caught.value.args[0]


def test_each_provider_is_told_apart_with_two_gets_each(calls):
    result = run([PINGONE_ENV, SMTP_ENV, CUSTOM_ENV])
    assert calls == [('GET', path % env) for env in (PINGONE_ENV, SMTP_ENV, CUSTOM_ENV) for path in (SETTINGS, NOTIFICATIONS)]
    pingone, smtp, custom = result['environments']
    assert (pingone['provider'], pingone['configured'], pingone['settings']) == ('pingone', False, {})
    assert (smtp['provider'], smtp['configured'], smtp['settings']['host']) == ('smtp', True, 'smtp.example.com')
    assert (custom['provider'], custom['configured'], custom['settings']) == ('custom_http', False, {})
    assert custom['custom_provider'] == {'name': 'Acme Mail API', 'from_address': 'noreply@example.com', 'from_name': 'Example',
                                         'reply_to_address': 'help@example.com'}
    assert custom['updated_at'] == '2026-11-24T09:00:00.000Z'
    assert 'custom_provider' not in smtp and 'custom_provider' not in pingone


def test_custom_provider_secrets_are_never_returned(calls):
    serialized = json.dumps(run([CUSTOM_ENV]))
    for hidden in ('authentication', 'X-Api-Key', 'YWNtZTpzZWNyZXQ=', 'mail.acme.example', '${message}', 'headers'):
        assert hidden not in serialized


def test_a_missing_environment_fails_naming_it(calls):
    result = run([SMTP_ENV, MISSING_ENV], outcome=AnsibleFailJson)
    assert calls == [('GET', SETTINGS % SMTP_ENV), ('GET', NOTIFICATIONS % SMTP_ENV), ('GET', SETTINGS % MISSING_ENV),
                     ('GET', '/environments/%s' % MISSING_ENV)]
    assert 'environment %s not found (deleted, or a typo?)' % MISSING_ENV in result['msg']


def test_delivery_says_who_really_sends(calls):
    calls.answers[NOTIFICATIONS % SMTP_ENV] = (200, {'deliveryMode': 'ALL', 'emailProviderFallbackChain': ['PINGONE_EMAIL']})
    pingone, smtp, custom = run([PINGONE_ENV, SMTP_ENV, CUSTOM_ENV])['environments']
    assert (smtp['provider'], smtp['configured'], smtp['delivery']) == ('smtp', True, 'pingone')
    assert smtp['email_provider_fallback_chain'] == ['PINGONE_EMAIL']
    assert (pingone['delivery'], pingone['email_provider_fallback_chain']) == ('pingone', [])
    assert (custom['delivery'], custom['email_provider_fallback_chain']) == ('custom_http', [])


@pytest.mark.parametrize('answer', [(404, {'id': 'e404', 'code': 'NOT_FOUND', 'message': 'Not found.'}),
                                    (200, {'deliveryMode': 'ALL', 'emailProviderFallbackChain': 'PINGONE_EMAIL'}),
                                    (200, ['PINGONE_EMAIL'])])
def test_a_failed_read_of_who_sends_fails_the_task_never_a_default(calls, answer):
    calls.answers[NOTIFICATIONS % SMTP_ENV] = answer
    # retries 0: a 404 or a body that is not an object is retried like any failed read (retry.py), then fails.
    result = run([SMTP_ENV], outcome=AnsibleFailJson, retries=0)
    assert 'notifications settings of environment %s' % SMTP_ENV in result['msg']
