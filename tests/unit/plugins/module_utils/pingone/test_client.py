# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PingOne client: connection options, URLs, errors, token renewal and paging. No network: a stub session answers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import fcntl
import hashlib
import hmac
import json
import os
import stat
import threading
import time

import pytest
import requests

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pingone.platform.tests.unit.module_args import patch_module_args

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state, errors, options as opts, retry, token_cache, transport

CLIENT_ID = '0c1d2e3f-1111-4111-8111-000000000001'
CLIENT_SECRET = 'cl1ent-s3cret-value'
AUTH_ENVIRONMENT_ID = '0c1d2e3f-2222-4222-8222-000000000002'
ACCESS_TOKEN = 'given.access.token'

CLIENT_CREDENTIALS = dict(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, auth_environment_id=AUTH_ENVIRONMENT_ID, region_code='NA')


def make_response(status, body=None, reason=None, content=None):
    """A real requests.Response, filled in by hand: no socket behind it."""
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    if content is not None:
        response._content = content
    elif body is not None:
        response._content = json.dumps(body).encode('utf-8')
    else:
        response._content = b''
    return response


def token_response(token):
    return make_response(200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600})


class StubSession:
    """Stands in for requests.Session: records every call and answers from a queue."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url))
        if not self.answers:
            raise AssertionError('unexpected request: %s %s' % (method, url))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def bearer_tokens(self):
        return [call['headers']['Authorization'] for call in self.calls if call.get('headers')]


def make_client(monkeypatch, *answers, **options):
    pingone = transport.PingOneClient(dict(dict(region_code='NA'), **options) if options else dict(CLIENT_CREDENTIALS))
    session = StubSession(*answers)
    monkeypatch.setattr(pingone, '_session', session)
    return pingone, session


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No PINGONE_* variable from the developer's shell, and a token cache that is not the user's."""
    for variable in opts.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(tmp_path / 'pingone_tokens'))
    monkeypatch.setattr(retry, 'sleep', lambda seconds: None)


def cache_files(tmp_path):
    directory = tmp_path / 'pingone_tokens'
    return sorted(directory.glob('*.json')) if directory.exists() else []


# connection_argument_spec

def module_params(args):
    with patch_module_args(args):
        return AnsibleModule(argument_spec=opts.connection_argument_spec()).params


ENV_SAMPLES = dict(CLIENT_CREDENTIALS, region_code='EU', access_token=ACCESS_TOKEN, api_hostname='localhost:8443',
                   auth_hostname='localhost:8444', ca_path='/etc/pki/internal-ca.pem')
# Env var text -> the option's value (an int option converts).
ENV_SAMPLES_PARSED = dict(ENV_SAMPLES, requests_per_minute=60)
ENV_SAMPLES['requests_per_minute'] = '60'


@pytest.mark.parametrize('option, variable', sorted(opts.ENV_VARS.items()))
def test_connection_option_falls_back_to_its_env_var(monkeypatch, option, variable):
    value = ENV_SAMPLES[option]
    monkeypatch.setenv(variable, value)
    assert module_params({})[option] == ENV_SAMPLES_PARSED[option]


def test_env_var_names_are_the_terraform_providers():
    # The PingOne Terraform provider's names, as its documentation lists them.
    terraform_names = dict(client_id='PINGONE_CLIENT_ID', client_secret='PINGONE_CLIENT_SECRET',
                           auth_environment_id='PINGONE_ENVIRONMENT_ID', region_code='PINGONE_REGION_CODE',
                           access_token='PINGONE_API_ACCESS_TOKEN', api_hostname='PINGONE_API_SERVICE_HOSTNAME',
                           auth_hostname='PINGONE_AUTH_SERVICE_HOSTNAME')
    assert dict((option, opts.ENV_VARS.get(option)) for option in terraform_names) == terraform_names


def test_explicit_option_wins_over_env_var(monkeypatch):
    monkeypatch.setenv('PINGONE_REGION_CODE', 'EU')
    monkeypatch.setenv('PINGONE_CLIENT_ID', CLIENT_ID)
    params = module_params({'region_code': 'AU', 'client_id': 'explicit'})
    assert params['region_code'] == 'AU'
    assert params['client_id'] == 'explicit'


def test_connection_options_without_env_default_to_none_and_safe_values():
    params = module_params({})
    assert all(params[option] is None for option in opts.ENV_VARS if option != 'requests_per_minute')
    assert params['requests_per_minute'] == 180
    assert params['validate_certs'] is True
    assert params['token_cache'] is True
    assert params['timeout'] == 30
    assert params['ca_path'] is None


@pytest.mark.parametrize('option', ['client_secret', 'access_token'])
def test_secret_options_are_no_log(option):
    assert option in opts.SECRET_OPTIONS
    assert opts.connection_argument_spec()[option]['no_log'] is True


def test_region_choices_are_the_region_table():
    assert opts.connection_argument_spec()['region_code']['choices'] == ['AP', 'AU', 'CA', 'EU', 'NA', 'SG']


# connection_problems

@pytest.mark.parametrize('options', [
    dict(CLIENT_CREDENTIALS),
    dict(CLIENT_CREDENTIALS, region_code='SG', api_hostname='127.0.0.1:8443', auth_hostname='localhost', timeout=1),
    dict(access_token=ACCESS_TOKEN, region_code='NA'),
    dict(access_token=ACCESS_TOKEN, auth_environment_id=AUTH_ENVIRONMENT_ID, region_code='EU'),
    dict(CLIENT_CREDENTIALS, region_code=None, api_hostname='localhost:8443', auth_hostname='localhost:8443'),
    dict(access_token=ACCESS_TOKEN, api_hostname='localhost:8443'),
    dict(CLIENT_CREDENTIALS, retries=0, token_auth_method='client_secret_post'),
])
def test_usable_connection_options_have_no_problems(options):
    assert opts.connection_problems(options) == []


@pytest.mark.parametrize('credential', [dict(client_id=CLIENT_ID), dict(client_secret=CLIENT_SECRET), CLIENT_CREDENTIALS])
def test_access_token_and_client_credentials_are_mutually_exclusive(credential):
    problems = opts.connection_problems(dict(credential, access_token=ACCESS_TOKEN, region_code='NA'))
    assert len(problems) == 1
    assert 'access_token' in problems[0]
    assert 'client_id/client_secret' in problems[0]
    assert 'mutually exclusive' in problems[0]


def test_no_credentials_names_every_missing_option_and_its_env_var():
    problems = opts.connection_problems(dict(region_code='NA'))
    assert problems == ['missing connection option(s) client_id, client_secret, auth_environment_id '
                        '(or PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID), or give access_token']


@pytest.mark.parametrize('missing, variable', [('client_id', 'PINGONE_CLIENT_ID'), ('client_secret', 'PINGONE_CLIENT_SECRET'),
                                               ('auth_environment_id', 'PINGONE_ENVIRONMENT_ID')])
def test_one_missing_credential_is_named_alone(missing, variable):
    options = dict(CLIENT_CREDENTIALS)
    del options[missing]
    problems = opts.connection_problems(options)
    assert problems == ['missing connection option(s) %s (or %s), or give access_token' % (missing, variable)]


@pytest.mark.parametrize('region', ['XX', 'eu', 'NorthAmerica'])
def test_unknown_region_is_refused(region):
    problems = opts.connection_problems(dict(CLIENT_CREDENTIALS, region_code=region))
    assert problems == ['region_code must be one of AP, AU, CA, EU, NA, SG, got %r' % region]


@pytest.mark.parametrize('option', ['client_id', 'auth_environment_id'])
def test_ids_must_be_uuids(option):
    problems = opts.connection_problems(dict(CLIENT_CREDENTIALS, **{option: 'my-worker-app'}))
    assert problems == ["%s must be a PingOne id (a UUID), got 'my-worker-app'" % option]


@pytest.mark.parametrize('option', ['api_hostname', 'auth_hostname'])
@pytest.mark.parametrize('hostname', ['https://api.pingone.com', 'api.pingone.com/v1', 'api pingone com', 'localhost:port'])
def test_hostname_overrides_must_be_host_and_port(option, hostname):
    problems = opts.connection_problems(dict(CLIENT_CREDENTIALS, **{option: hostname}))
    assert problems == ['%s must be host[:port] without a scheme or path, got %r' % (option, hostname)]


@pytest.mark.parametrize('timeout', [0, -5])
def test_timeout_must_be_positive(timeout):
    assert opts.connection_problems(dict(CLIENT_CREDENTIALS, timeout=timeout)) == ['timeout must be at least 1 second, got %r' % timeout]


def test_every_connection_problem_is_reported_at_once():
    problems = opts.connection_problems(dict(client_id='worker', region_code='XX', api_hostname='https://x', timeout=0))
    assert [problem.split(' ')[0] for problem in problems] == ['missing', 'region_code', 'client_id', 'api_hostname', 'timeout']


def test_connection_problems_never_echo_secrets():
    problems = opts.connection_problems(dict(client_secret=CLIENT_SECRET, access_token=ACCESS_TOKEN, region_code='XX'))
    assert problems
    assert CLIENT_SECRET not in json.dumps(problems)
    assert ACCESS_TOKEN not in json.dumps(problems)


# base_urls

@pytest.mark.parametrize('region, domain', [
    ('NA', 'com'), ('EU', 'eu'), ('CA', 'ca'), ('AP', 'asia'), ('AU', 'com.au'), ('SG', 'sg'),
])
def test_region_selects_api_and_auth_hosts(region, domain):
    api_url, token_url = opts.base_urls(dict(CLIENT_CREDENTIALS, region_code=region))
    assert api_url == 'https://api.pingone.%s/v1' % domain
    assert token_url == 'https://auth.pingone.%s/%s/as/token' % (domain, AUTH_ENVIRONMENT_ID)


def test_every_region_has_urls():
    assert sorted(opts.REGION_DOMAINS) == ['AP', 'AU', 'CA', 'EU', 'NA', 'SG']


@pytest.mark.parametrize('region', [None, ''])
def test_no_region_means_no_default_url(region):
    assert opts.base_urls(dict(CLIENT_CREDENTIALS, region_code=region)) == (None, None)


REGION_PROBLEM = ('give region_code (or PINGONE_REGION_CODE: one of AP, AU, CA, EU, NA, SG), or api_hostname '
                  '(PINGONE_API_SERVICE_HOSTNAME)')


@pytest.mark.parametrize('options, problem', [
    (dict(CLIENT_CREDENTIALS, region_code=None), REGION_PROBLEM + ' and auth_hostname (PINGONE_AUTH_SERVICE_HOSTNAME)'),
    (dict(CLIENT_CREDENTIALS, region_code='', api_hostname='localhost:8443'),
     REGION_PROBLEM + ' and auth_hostname (PINGONE_AUTH_SERVICE_HOSTNAME)'),
    (dict(CLIENT_CREDENTIALS, region_code=None, auth_hostname='localhost:8443'),
     REGION_PROBLEM + ' and auth_hostname (PINGONE_AUTH_SERVICE_HOSTNAME)'),
    (dict(access_token=ACCESS_TOKEN), REGION_PROBLEM),
])
def test_region_is_required_unless_the_hostnames_say_where_to_go(options, problem):
    # Today's client silently picks North America, so an EU user gets a confusing token error from the NA host.
    assert opts.connection_problems(options) == [problem]


def test_api_hostname_overrides_only_the_api():
    api_url, token_url = opts.base_urls(dict(CLIENT_CREDENTIALS, region_code='EU', api_hostname='localhost:8443'))
    assert api_url == 'https://localhost:8443/v1'
    assert token_url == 'https://auth.pingone.eu/%s/as/token' % AUTH_ENVIRONMENT_ID


def test_auth_hostname_overrides_only_the_token_url():
    api_url, token_url = opts.base_urls(dict(CLIENT_CREDENTIALS, region_code='AU', auth_hostname='127.0.0.1:8444'))
    assert api_url == 'https://api.pingone.com.au/v1'
    assert token_url == 'https://127.0.0.1:8444/%s/as/token' % AUTH_ENVIRONMENT_ID


def test_both_hostname_overrides_ignore_the_region():
    urls = opts.base_urls(dict(CLIENT_CREDENTIALS, region_code='SG', api_hostname='api.internal', auth_hostname='auth.internal'))
    assert urls == ('https://api.internal/v1', 'https://auth.internal/%s/as/token' % AUTH_ENVIRONMENT_ID)


# PingOneError and error_from_response

P1_ERROR = {
    'id': '9f1e2d3c-aaaa-4bbb-8ccc-000000000009',
    'code': 'INVALID_DATA',
    'message': 'The request could not be completed. One or more validation errors were in the request.',
    'details': [{'code': 'INVALID_VALUE', 'target': 'host', 'message': 'host is not a valid hostname'}],
}


def test_p1_error_body_becomes_status_code_id_and_details():
    error = errors.error_from_response(make_response(400, P1_ERROR, reason='Bad Request'), 'Writing the SMTP settings')
    assert error.status == 400
    assert error.code == 'INVALID_DATA'
    assert error.error_id == P1_ERROR['id']
    assert error.details == P1_ERROR['details']
    assert error.message == 'Writing the SMTP settings failed: ' + P1_ERROR['message']


def test_p1_error_reads_as_one_line_with_details_and_error_id():
    error = errors.error_from_response(make_response(400, P1_ERROR, reason='Bad Request'), 'Writing the SMTP settings')
    assert str(error) == ('PingOne API answered 400 INVALID_DATA: Writing the SMTP settings failed: ' + P1_ERROR['message']
                          + '; host: host is not a valid hostname (PingOne error id %s)' % P1_ERROR['id'])


def test_detail_without_target_is_named_by_its_code():
    body = dict(P1_ERROR, code='REQUEST_LIMITED', details=[{'code': 'LIMIT_EXCEEDED', 'message': 'Too many requests'}])
    error = errors.error_from_response(make_response(429, body), 'Reading')
    assert '; LIMIT_EXCEEDED: Too many requests' in str(error)


def test_oauth_error_body_of_the_token_endpoint():
    body = {'error': 'invalid_client', 'error_description': 'Client authentication failed.'}
    error = errors.error_from_response(make_response(401, body, reason='Unauthorized'), 'Getting an access token')
    assert error.status == 401
    assert error.code == 'invalid_client'
    assert error.error_id is None
    assert str(error) == 'PingOne API answered 401 invalid_client: Getting an access token failed: Client authentication failed.'


@pytest.mark.parametrize('content', [b'<html><body>Bad Gateway</body></html>', b'', b'["not", "an", "object"]', b'null'])
def test_body_that_is_not_a_p1_error_falls_back_to_the_reason(content):
    error = errors.error_from_response(make_response(502, reason='Bad Gateway', content=content), 'Reading')
    assert error.status == 502
    assert error.message == 'Reading failed: Bad Gateway'
    assert error.code is None
    assert error.error_id is None
    assert error.details == []


def test_error_without_a_code_reads_cleanly():
    error = errors.error_from_response(make_response(502, reason='Bad Gateway', content=b'<html>Bad Gateway</html>'), 'Reading')
    assert str(error) == 'PingOne API answered 502: Reading failed: Bad Gateway'


def test_no_body_and_no_reason_still_has_a_message():
    error = errors.error_from_response(make_response(500), 'Reading')
    assert error.message == 'Reading failed: no message'


def test_error_without_status_is_its_message():
    error = errors.PingOneError('Reading failed: ConnectionError: refused')
    assert str(error) == 'Reading failed: ConnectionError: refused'
    assert error.as_result() == dict(status=None, code=None, error_id=None, details=[])


def test_as_result_carries_only_the_apis_own_words():
    error = errors.error_from_response(make_response(400, P1_ERROR), 'Writing')
    assert error.as_result() == dict(status=400, code='INVALID_DATA', error_id=P1_ERROR['id'], details=P1_ERROR['details'])


def test_error_is_an_exception_with_the_plain_message():
    error = errors.PingOneError('Reading failed: x', status=404, code='NOT_FOUND')
    assert isinstance(error, Exception)
    assert error.args == ('Reading failed: x',)


# PingOneClient.request

def test_client_credentials_fetch_a_token_then_call_the_api(monkeypatch):
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {'ok': True}))
    assert pingone.request('GET', '/environments', 'Listing environments') == {'ok': True}
    token_call, api_call = session.calls
    assert token_call['method'] == 'POST'
    assert token_call['url'] == 'https://auth.pingone.com/%s/as/token' % AUTH_ENVIRONMENT_ID
    # token_auth_method auto: client_secret_basic first, as a console-made worker app wants it
    assert token_call['data'] == {'grant_type': 'client_credentials'}
    assert token_call['auth'] == (CLIENT_ID, CLIENT_SECRET)
    assert CLIENT_SECRET not in token_call['url']
    assert api_call['method'] == 'GET'
    assert api_call['url'] == 'https://api.pingone.com/v1/environments'
    assert api_call['headers'] == {'Authorization': 'Bearer T1'}


def test_token_is_fetched_once_per_client(monkeypatch):
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {'n': 1}), make_response(200, {'n': 2}))
    pingone.request('GET', '/a', 'A')
    pingone.request('GET', '/b', 'B')
    assert [call['method'] for call in session.calls] == ['POST', 'GET', 'GET']
    assert session.bearer_tokens() == ['Bearer T1', 'Bearer T1']


def test_expired_token_is_renewed_once_on_401(monkeypatch):
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {'n': 1}),
                                   make_response(401, {'code': 'ACCESS_FAILED', 'message': 'expired'}),
                                   token_response('T2'), make_response(200, {'n': 2}))
    pingone.request('GET', '/a', 'A')
    assert pingone.request('GET', '/b', 'B') == {'n': 2}
    assert [call['method'] for call in session.calls] == ['POST', 'GET', 'GET', 'POST', 'GET']
    assert session.bearer_tokens() == ['Bearer T1', 'Bearer T1', 'Bearer T2']


def test_renewed_token_that_is_rejected_again_fails(monkeypatch):
    denied = {'code': 'ACCESS_FAILED', 'message': 'The request could not be completed. You do not have access to this resource.'}
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {}),
                                   make_response(401, denied), token_response('T2'), make_response(401, denied))
    pingone.request('GET', '/a', 'A')
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/b', 'Reading B')
    assert caught.value.status == 401
    assert caught.value.code == 'ACCESS_FAILED'
    assert len(session.calls) == 5


def test_a_rejected_token_is_renewed_at_most_once_per_call(monkeypatch):
    denied = {'code': 'ACCESS_FAILED', 'message': 'no'}
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(401, denied),
                                   token_response('T2'), make_response(401, denied))
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert caught.value.status == 401
    assert [call['method'] for call in session.calls] == ['POST', 'GET', 'POST', 'GET']
    assert session.bearer_tokens() == ['Bearer T1', 'Bearer T2']


def test_given_access_token_is_used_and_never_renewed(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(401, {'code': 'ACCESS_FAILED', 'message': 'expired'}),
                                   access_token=ACCESS_TOKEN)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert caught.value.status == 401
    assert [call['method'] for call in session.calls] == ['GET']
    assert session.bearer_tokens() == ['Bearer %s' % ACCESS_TOKEN]


def test_token_endpoint_refusal_fails_with_the_oauth_error(monkeypatch):
    refusal = make_response(401, {'error': 'invalid_client', 'error_description': 'Client authentication failed.'}, reason='Unauthorized')
    pingone, session = make_client(monkeypatch, refusal)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert caught.value.status == 401
    assert caught.value.code == 'invalid_client'
    assert str(caught.value).startswith('PingOne API answered 401 invalid_client: Getting an access token from https://auth.pingone.com/')
    assert CLIENT_SECRET not in str(caught.value)
    assert len(session.calls) == 1


def test_api_error_raises_pingone_error_with_the_action(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(400, P1_ERROR), access_token=ACCESS_TOKEN)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('PUT', '/x', 'Writing the SMTP settings', json={'host': 'bad'})
    assert caught.value.as_result() == dict(status=400, code='INVALID_DATA', error_id=P1_ERROR['id'], details=P1_ERROR['details'])
    assert caught.value.message.startswith('Writing the SMTP settings failed: ')
    assert session.calls[0]['json'] == {'host': 'bad'}


@pytest.mark.parametrize('answer', [make_response(204), make_response(200, content=b'')])
def test_no_body_returns_none(monkeypatch, answer):
    pingone = make_client(monkeypatch, answer, access_token=ACCESS_TOKEN)[0]
    assert pingone.request('DELETE', '/x', 'Resetting') is None


def test_transport_failure_becomes_pingone_error_without_status(monkeypatch):
    pingone = make_client(monkeypatch, requests.exceptions.ConnectionError('connection refused'), access_token=ACCESS_TOKEN, retries=0)[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/x', 'Reading the SMTP settings')
    assert caught.value.status is None
    assert str(caught.value) == 'Reading the SMTP settings failed: ConnectionError: connection refused'


def test_absolute_url_is_used_as_is_and_params_are_passed(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(200, {}), access_token=ACCESS_TOKEN)
    pingone.request('GET', 'https://api.pingone.com/v1/environments?cursor=abc', 'Listing', params={'limit': 5})
    assert session.calls[0]['url'] == 'https://api.pingone.com/v1/environments?cursor=abc'
    assert session.calls[0]['params'] == {'limit': 5}


@pytest.mark.parametrize('options, verify', [
    (dict(access_token=ACCESS_TOKEN), True),
    (dict(access_token=ACCESS_TOKEN, validate_certs=False), False),
    (dict(access_token=ACCESS_TOKEN, ca_path='/etc/pki/internal-ca.pem'), '/etc/pki/internal-ca.pem'),
])
def test_every_request_carries_verify_and_timeout(monkeypatch, options, verify):
    pingone, session = make_client(monkeypatch, make_response(200, {}), **dict(options, timeout=7))
    pingone.request('GET', '/x', 'Reading')
    assert session.calls[0]['verify'] == verify
    assert session.calls[0]['timeout'] == 7


def test_session_names_the_collection():
    session = transport.PingOneClient(dict(access_token=ACCESS_TOKEN, region_code='NA'))._session
    assert session.headers['User-Agent'].startswith('pingone.platform/')


# PingOneClient.get_all

def page(items, next_href=None):
    body = {'_embedded': {'environments': items}, '_links': {'self': {'href': 'https://api.pingone.com/v1/environments'}}}
    if next_href:
        body['_links']['next'] = {'href': next_href}
    return make_response(200, body)


def test_get_all_follows_next_links_until_the_last_page(monkeypatch):
    second = 'https://api.pingone.com/v1/environments?cursor=two'
    third = 'https://api.pingone.com/v1/environments?cursor=three'
    pingone, session = make_client(monkeypatch, page([{'id': 1}, {'id': 2}], second), page([{'id': 3}], third), page([{'id': 4}]),
                                   access_token=ACCESS_TOKEN)
    items = pingone.get_all('/environments', 'environments', 'Listing environments', params={'limit': 2})
    assert items == [{'id': 1}, {'id': 2}, {'id': 3}, {'id': 4}]
    assert [(call['url'], call['params']) for call in session.calls] == [
        ('https://api.pingone.com/v1/environments', {'limit': 2}), (second, None), (third, None)]


def test_get_all_of_an_empty_collection_is_empty(monkeypatch):
    pingone = make_client(monkeypatch, make_response(200, {'_links': {}, 'count': 0, 'size': 0}), access_token=ACCESS_TOKEN)[0]
    assert pingone.get_all('/environments', 'environments', 'Listing') == []


@pytest.mark.parametrize('next_href', [
    'https://evil.example/v1/environments?cursor=two',
    'https://api.pingone.com.evil.example/v1/environments?cursor=two',
    'https://api.pingone.com@evil.example/v1/environments',
    'http://api.pingone.com/v1/environments?cursor=two',
    'https://api.pingone.eu/v1/environments?cursor=two',
    '/v1/environments?cursor=two',
])
def test_get_all_refuses_a_next_link_to_a_foreign_host(monkeypatch, next_href):
    pingone, session = make_client(monkeypatch, page([{'id': 1}], next_href), access_token=ACCESS_TOKEN)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.get_all('/environments', 'environments', 'Listing environments')
    assert 'next page link' in str(caught.value)
    assert len(session.calls) == 1


def test_get_all_follows_next_links_on_an_overridden_host_with_port(monkeypatch):
    second = 'https://localhost:8443/v1/environments?cursor=two'
    pingone, session = make_client(monkeypatch, page([{'id': 1}], second), page([{'id': 2}]),
                                   access_token=ACCESS_TOKEN, api_hostname='localhost:8443')
    assert pingone.get_all('/environments', 'environments', 'Listing') == [{'id': 1}, {'id': 2}]
    assert [call['url'] for call in session.calls] == ['https://localhost:8443/v1/environments', second]


def test_get_all_refuses_the_same_host_on_another_port(monkeypatch):
    pingone, session = make_client(monkeypatch, page([{'id': 1}], 'https://localhost:9999/v1/environments?cursor=two'),
                                   access_token=ACCESS_TOKEN, api_hostname='localhost:8443')
    with pytest.raises(errors.PingOneError):
        pingone.get_all('/environments', 'environments', 'Listing')
    assert len(session.calls) == 1


# The token cache shared by the module runs (processes) of one set of client credentials

def test_token_is_reused_by_the_next_module_run(monkeypatch):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    pingone, session = make_client(monkeypatch, make_response(200, {}))
    pingone.request('GET', '/b', 'B')
    assert [call['method'] for call in session.calls] == ['GET']
    assert session.bearer_tokens() == ['Bearer T1']


@pytest.mark.parametrize('changed', [dict(client_secret='an-other-secret'), dict(client_id='0c1d2e3f-3333-4333-8333-000000000003'),
                                     dict(auth_environment_id='0c1d2e3f-4444-4444-8444-000000000004'), dict(region_code='EU'),
                                     dict(auth_hostname='localhost:8444')])
def test_cached_token_is_never_reused_for_other_credentials_or_token_url(monkeypatch, changed):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}), **dict(CLIENT_CREDENTIALS, **changed))
    pingone.request('GET', '/b', 'B')
    assert [call['method'] for call in session.calls] == ['POST', 'GET']
    assert session.bearer_tokens() == ['Bearer T2']


class Clock:
    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.mark.parametrize('expires_in, seconds_later, reused', [
    (3600, 3539, True),
    (3600, 3541, False),
    (300, 269, True),  # a short-lived token is renewed a tenth of its life before it expires
    (300, 271, False),
])
def test_cached_token_is_renewed_shortly_before_it_expires(monkeypatch, expires_in, seconds_later, reused):
    clock = Clock(1000000.0)
    monkeypatch.setattr(token_cache, 'time', clock)
    fetched = make_response(200, {'access_token': 'T1', 'token_type': 'Bearer', 'expires_in': expires_in})
    make_client(monkeypatch, fetched, make_response(200, {}))[0].request('GET', '/a', 'A')
    clock.now += seconds_later
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}))
    pingone.request('GET', '/b', 'B')
    assert session.bearer_tokens() == ['Bearer T1' if reused else 'Bearer T2']


def test_rejected_cached_token_is_replaced_in_the_cache(monkeypatch):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    pingone, session = make_client(monkeypatch, make_response(401, {'code': 'ACCESS_FAILED', 'message': 'revoked'}),
                                   token_response('T2'), make_response(200, {'n': 2}))
    assert pingone.request('GET', '/b', 'B') == {'n': 2}
    assert session.bearer_tokens() == ['Bearer T1', 'Bearer T2']
    third, session = make_client(monkeypatch, make_response(200, {}))
    third.request('GET', '/c', 'C')
    assert session.bearer_tokens() == ['Bearer T2']


def test_token_cache_file_is_private_and_holds_no_secret(monkeypatch, tmp_path):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    files = cache_files(tmp_path)
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(str(files[0])).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(tmp_path / 'pingone_tokens')).st_mode) == 0o700
    content = files[0].read_text()
    assert 'T1' in content
    assert CLIENT_SECRET not in content
    assert CLIENT_ID not in files[0].name and CLIENT_SECRET not in files[0].name


def test_runs_starting_together_share_one_token_request():
    fetched = []

    def slow_fetch():
        fetched.append(True)
        time.sleep(0.2)  # long enough for every other run to find the cache empty and wait for the lock
        return 'T%d' % len(fetched), 3600, 'client_secret_basic'

    caches = [token_cache.TokenCache(CLIENT_CREDENTIALS, 'https://auth.example/x/as/token') for dummy in range(4)]
    tokens = []
    runs = [threading.Thread(target=lambda cache=cache: tokens.append(cache.token(slow_fetch))) for cache in caches]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert len(fetched) == 1
    assert tokens == ['T1'] * 4


def test_a_rejected_cached_token_is_replaced_for_every_run():
    cache = token_cache.TokenCache(CLIENT_CREDENTIALS, 'https://auth.example/x/as/token')
    assert cache.token(lambda: ('T1', 3600, 'client_secret_basic')) == 'T1'
    assert cache.token(lambda: ('T2', 3600, 'client_secret_basic'), rejected='T1') == 'T2'
    assert token_cache.TokenCache(CLIENT_CREDENTIALS, 'https://auth.example/x/as/token').token(lambda: ('T3', 3600, 'client_secret_basic')) == 'T2'


def test_token_cache_false_neither_reads_nor_writes(monkeypatch, tmp_path):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    before = [(path.name, path.read_text()) for path in cache_files(tmp_path)]
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}), **dict(CLIENT_CREDENTIALS, token_cache=False))
    pingone.request('GET', '/b', 'B')
    assert session.bearer_tokens() == ['Bearer T2']
    assert [(path.name, path.read_text()) for path in cache_files(tmp_path)] == before


def test_given_access_token_is_never_cached(monkeypatch, tmp_path):
    make_client(monkeypatch, make_response(200, {}), access_token=ACCESS_TOKEN)[0].request('GET', '/a', 'A')
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize('content', ['not json', '{}', '{"access_token": "T0", "expires_at": "soon"}', '[]'])
def test_unreadable_token_cache_means_a_new_token(monkeypatch, tmp_path, content):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    cache_files(tmp_path)[0].write_text(content)
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}))
    pingone.request('GET', '/b', 'B')
    assert session.bearer_tokens() == ['Bearer T2']


def test_unwritable_token_cache_does_not_fail_the_run(monkeypatch, tmp_path):
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('')
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(blocker / 'pingone_tokens'))
    # Unpaced: a pacing file that cannot be kept fails the request instead (test_pacing.py).
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {'ok': True}),
                                   **dict(CLIENT_CREDENTIALS, requests_per_minute=0))
    assert pingone.request('GET', '/a', 'A') == {'ok': True}
    assert session.bearer_tokens() == ['Bearer T1']


# The token endpoint auth method (pingone-api.md sections 0 and 3)

UNSUPPORTED = {'error': 'invalid_client',
               'error_description': 'Request denied: Unsupported authentication method (Correlation ID: 7c1e4c7a-0000-4000-8000-000000000001)'}


def sent_auth(call):
    """How a token request authenticated: 'basic' (Authorization header) or 'post' (client_secret in the form)."""
    if call.get('auth'):
        assert 'client_secret' not in call['data']
        return 'basic'
    return 'post' if 'client_secret' in call['data'] else None


def test_token_auth_method_option_defaults_to_auto_with_three_choices():
    spec = opts.connection_argument_spec()['token_auth_method']
    assert spec['default'] == 'auto'
    assert spec['choices'] == ['auto', 'client_secret_basic', 'client_secret_post']
    assert module_params({})['token_auth_method'] == 'auto'


def test_auto_tries_basic_first_and_needs_one_token_request_on_a_basic_app(monkeypatch):
    pingone, session = make_client(monkeypatch, token_response('T1'), make_response(200, {}))
    pingone.request('GET', '/a', 'A')
    assert [sent_auth(call) for call in session.calls if call['method'] == 'POST'] == ['basic']


def test_auto_falls_back_to_post_when_pingone_answers_unsupported_method(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(401, UNSUPPORTED), token_response('T1'), make_response(200, {'n': 1}))
    assert pingone.request('GET', '/a', 'A') == {'n': 1}
    token_calls = [call for call in session.calls if call['method'] == 'POST']
    assert [sent_auth(call) for call in token_calls] == ['basic', 'post']
    assert token_calls[1]['data'] == {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}
    assert session.bearer_tokens() == ['Bearer T1']


def test_auto_remembers_the_method_that_worked_with_the_cached_token(monkeypatch):
    clock = Clock(1000000.0)
    monkeypatch.setattr(token_cache, 'time', clock)
    make_client(monkeypatch, make_response(401, UNSUPPORTED), token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    # the next task: the cached token, no token request at all
    pingone, session = make_client(monkeypatch, make_response(200, {}))
    pingone.request('GET', '/b', 'B')
    assert [call['method'] for call in session.calls] == ['GET']
    # once that token expired: straight to client_secret_post, no Basic attempt first
    clock.now += 3600
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}))
    pingone.request('GET', '/c', 'C')
    assert [sent_auth(call) for call in session.calls if call['method'] == 'POST'] == ['post']
    assert session.bearer_tokens() == ['Bearer T2']


def test_a_renewal_within_one_run_uses_the_method_that_worked(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(401, UNSUPPORTED), token_response('T1'), make_response(200, {}),
                                   make_response(401, {'code': 'ACCESS_FAILED', 'message': 'expired'}), token_response('T2'),
                                   make_response(200, {}), **dict(CLIENT_CREDENTIALS, token_cache=False))
    pingone.request('GET', '/a', 'A')
    pingone.request('GET', '/b', 'B')
    assert [sent_auth(call) for call in session.calls if call['method'] == 'POST'] == ['basic', 'post', 'post']


@pytest.mark.parametrize('method, sent', [('client_secret_basic', 'basic'), ('client_secret_post', 'post')])
def test_an_explicit_method_is_the_only_one_tried(monkeypatch, method, sent):
    pingone, session = make_client(monkeypatch, make_response(401, UNSUPPORTED), **dict(CLIENT_CREDENTIALS, token_auth_method=method))
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert [sent_auth(call) for call in session.calls] == [sent]
    assert 'with %s failed: Request denied: Unsupported authentication method' % method in str(caught.value)
    assert 'set token_auth_method' in str(caught.value)
    assert CLIENT_SECRET not in str(caught.value)


def test_a_token_error_names_every_method_tried_and_never_the_secret(monkeypatch):
    pingone, session = make_client(monkeypatch, make_response(401, UNSUPPORTED), make_response(401, UNSUPPORTED))
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert 'with client_secret_basic, then client_secret_post failed' in str(caught.value)
    assert caught.value.status == 401 and caught.value.code == 'invalid_client'
    assert CLIENT_SECRET not in str(caught.value) and CLIENT_SECRET not in json.dumps(caught.value.as_result())
    assert len(session.calls) == 2


def test_a_wrong_secret_is_not_tried_with_the_other_method(monkeypatch):
    wrong = make_response(401, {'error': 'invalid_client', 'error_description': 'Request denied: client authentication failed.'})
    pingone, session = make_client(monkeypatch, wrong)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert len(session.calls) == 1
    assert 'with client_secret_basic failed: Request denied: client authentication failed.' in str(caught.value)


# Every 2xx body is checked (a proxy's HTML page, a body cut off, the wrong JSON type)

BAD_BODIES = [
    (b'<html><body>Please log in to the proxy</body></html>', 'a body that is not JSON (52 bytes of text/html)'),
    (b'{"host": "smtp.example.com", "po', 'a body that is not JSON (32 bytes of application/json)'),
    (b'null', 'JSON null where an object was expected'),
    (b'["smtp.example.com"]', 'JSON list where an object was expected'),
    (b'"text"', 'JSON str where an object was expected'),
    (b'', 'an empty body'),
]


def answer(status, content, content_type):
    response = make_response(status, content=content)
    response.headers['Content-Type'] = content_type
    return response


@pytest.mark.parametrize('content, problem', BAD_BODIES)
def test_a_get_answer_that_is_not_a_json_object_fails_naming_the_call_and_status(monkeypatch, content, problem):
    content_type = 'text/html' if content.startswith(b'<') else 'application/json'
    pingone = make_client(monkeypatch, answer(200, content, content_type), access_token=ACCESS_TOKEN, retries=0)[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/x', 'Reading the SMTP settings of environment E')
    assert str(caught.value) == 'Reading the SMTP settings of environment E failed: PingOne answered 200 with ' + problem


@pytest.mark.parametrize('content, problem', BAD_BODIES)
def test_a_put_answer_that_is_not_a_json_object_says_the_write_may_have_been_applied(monkeypatch, content, problem):
    pingone = make_client(monkeypatch, answer(200, content, 'text/html' if content.startswith(b'<') else 'application/json'),
                          access_token=ACCESS_TOKEN)[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('PUT', '/x', 'Writing the SMTP settings of environment E', json={'host': 'h'})
    assert str(caught.value) == ('Writing the SMTP settings of environment E failed: PingOne answered 200 with ' + problem
                                 + '; the write may have been applied: rerunning the task is safe, it reads before it writes')


def test_a_delete_needs_no_body(monkeypatch):
    pingone = make_client(monkeypatch, answer(200, b'<html>ok</html>', 'text/html'), access_token=ACCESS_TOKEN)[0]
    assert pingone.request('DELETE', '/x', 'Resetting') is None


@pytest.mark.parametrize('content', [
    b'{"token_type": "Bearer", "expires_in": 3600}',
    b'{"access_token": null, "expires_in": 3600}',
    b'{"access_token": ["T"], "expires_in": 3600}',
    b'<html>gateway</html>',
    b'{"access_token": "T1", "exp',
    b'null',
])
def test_a_token_answer_without_an_access_token_fails_clearly(monkeypatch, content):
    pingone, session = make_client(monkeypatch, answer(200, content, 'application/json'))
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert str(caught.value).startswith('Getting an access token from https://auth.pingone.com/%s/as/token with client_secret_basic '
                                        'failed: PingOne answered 200 with ' % AUTH_ENVIRONMENT_ID)
    assert len(session.calls) == 1


@pytest.mark.parametrize('expires_in', ['"soon"', '-5', 'true', '[3600]'])
def test_a_token_answer_with_a_bad_lifetime_fails_clearly(monkeypatch, expires_in):
    content = ('{"access_token": "T1", "expires_in": %s}' % expires_in).encode()
    pingone = make_client(monkeypatch, answer(200, content, 'application/json'))[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert 'expires_in' in str(caught.value) and 'not a number of seconds' in str(caught.value)


def test_a_certificate_failure_names_ca_path(monkeypatch):
    failure = requests.exceptions.SSLError('certificate verify failed: unable to get local issuer certificate')
    pingone = make_client(monkeypatch, failure, access_token=ACCESS_TOKEN)[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/x', 'Reading the SMTP settings')
    assert str(caught.value).startswith('Reading the SMTP settings failed: the TLS certificate of api.pingone.com was not accepted')
    assert 'ca_path or PINGONE_CA_PATH' in str(caught.value)


# Paging stops on a loop and after a cap

def test_get_all_stops_on_a_next_link_already_followed(monkeypatch):
    second = 'https://api.pingone.com/v1/environments?cursor=two'
    pingone, session = make_client(monkeypatch, page([{'id': 1}], second), page([{'id': 2}], second), access_token=ACCESS_TOKEN)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.get_all('/environments', 'environments', 'Listing environments')
    assert str(caught.value) == ('Listing environments failed: PingOne sent the next page link %s a second time (a loop); '
                                 '2 items read so far' % second)
    assert len(session.calls) == 2


def test_get_all_stops_after_the_page_cap(monkeypatch):
    monkeypatch.setattr(transport, 'MAX_PAGES', 3)
    pages = [page([{'id': n}], 'https://api.pingone.com/v1/environments?cursor=%d' % (n + 1)) for n in range(10)]
    pingone, session = make_client(monkeypatch, *pages, access_token=ACCESS_TOKEN)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.get_all('/environments', 'environments', 'Listing environments')
    assert str(caught.value) == 'Listing environments failed: more than 3 pages (3 items so far); stopped rather than page on forever'
    assert len(session.calls) == 3


def test_get_all_of_exactly_the_page_cap_succeeds(monkeypatch):
    monkeypatch.setattr(transport, 'MAX_PAGES', 3)
    pages = [page([{'id': 0}], 'https://api.pingone.com/v1/environments?cursor=1'),
             page([{'id': 1}], 'https://api.pingone.com/v1/environments?cursor=2'), page([{'id': 2}])]
    pingone = make_client(monkeypatch, *pages, access_token=ACCESS_TOKEN)[0]
    assert len(pingone.get_all('/environments', 'environments', 'Listing')) == 3


def test_get_all_refuses_an_embedded_collection_that_is_not_a_list(monkeypatch):
    pingone = make_client(monkeypatch, make_response(200, {'_embedded': {'environments': {'id': 1}}}), access_token=ACCESS_TOKEN)[0]
    with pytest.raises(errors.PingOneError) as caught:
        pingone.get_all('/environments', 'environments', 'Listing environments')
    assert str(caught.value) == 'Listing environments failed: PingOne answered 200 with _embedded.environments that is not a list'


# The token cache file says nothing of the secret, and stale files of other credentials go

def test_cache_file_is_named_by_client_id_and_token_url_only(monkeypatch, tmp_path):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    other_secret = dict(CLIENT_CREDENTIALS)
    other_secret['client_secret'] = 'other'
    make_client(monkeypatch, token_response('T2'), make_response(200, {}), **other_secret)[0].request('GET', '/b', 'B')
    token_url = 'https://auth.pingone.com/%s/as/token' % AUTH_ENVIRONMENT_ID
    expected = hashlib.sha256(('%s\n%s' % (token_url, CLIENT_ID)).encode()).hexdigest() + '.json'
    assert [path.name for path in cache_files(tmp_path)] == [expected]


def test_cache_file_holds_a_keyed_hash_of_the_secret_not_a_plain_one(monkeypatch, tmp_path):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    content = cache_files(tmp_path)[0].read_text()
    assert CLIENT_SECRET not in content
    assert hashlib.sha256(CLIENT_SECRET.encode()).hexdigest() not in content
    key_file = tmp_path / 'pingone_tokens' / 'cache.key'
    assert stat.S_IMODE(os.stat(str(key_file)).st_mode) == 0o600
    assert json.loads(content)['secret_hmac'] == hmac.new(key_file.read_bytes(), CLIENT_SECRET.encode(), hashlib.sha256).hexdigest()


def test_a_copied_cache_file_without_its_key_is_not_used(monkeypatch, tmp_path):
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    (tmp_path / 'pingone_tokens' / 'cache.key').write_bytes(os.urandom(32))
    pingone, session = make_client(monkeypatch, token_response('T2'), make_response(200, {}))
    pingone.request('GET', '/b', 'B')
    assert session.bearer_tokens() == ['Bearer T2']


def test_expired_cache_files_of_other_credentials_are_removed(monkeypatch, tmp_path):
    directory = tmp_path / 'pingone_tokens'
    directory.mkdir(mode=0o700)
    stale = directory / ('a' * 64 + '.json')
    stale.write_text(json.dumps({'access_token': 'OLD', 'expires_at': time.time() - 1}))
    (directory / ('a' * 64 + '.json.lock')).write_text('')
    legacy = directory / ('b' * 64 + '.json')  # the format before expires_at
    legacy.write_text(json.dumps({'access_token': 'OLD', 'renew_at': time.time() - 1}))
    live = directory / ('c' * 64 + '.json')
    live.write_text(json.dumps({'access_token': 'LIVE', 'expires_at': time.time() + 600}))
    make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
    names = sorted(path.name for path in directory.iterdir())
    assert stale.name not in names and stale.name + '.lock' not in names and legacy.name not in names
    assert live.name in names
    assert len(cache_files(tmp_path)) == 2  # the live one of other credentials, and ours


# Retries: PingOne's budget, retry.py

def waits(policy, answers, failure=None):
    """The wait before each retry for these statuses (or Retry-After values with a 429) in a row; None: given up."""
    result = []
    for done, answer in enumerate(answers):
        status, retry_after = answer if isinstance(answer, tuple) else (answer, None)
        result.append(policy.wait(done, status=status, failure=failure, retry_after=retry_after))
    return result


def test_retry_policy_is_pingones():
    assert retry.RETRY_STATUSES == {408, 429, 500, 501, 502, 503, 504}
    assert retry.MAX_WAIT_SECONDS == 30
    assert opts.connection_argument_spec()['retries']['default'] == 9


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 415])
def test_client_errors_are_not_retried(status):
    assert retry.RetryPolicy(9, 0).wait(0, status=status) is None


@pytest.mark.parametrize('status', [408, 429, 500, 501, 502, 503, 504])
def test_transient_statuses_are_retried(status):
    assert retry.RetryPolicy(9, 0).wait(0, status=status) is not None


def test_waits_double_from_one_second_up_to_thirty(monkeypatch):
    monkeypatch.setattr(retry, 'JITTER_SECONDS', 0)
    assert waits(retry.RetryPolicy(9, 0), [503] * 10) == [1, 2, 4, 8, 16, 30, 30, 30, 30, None]


def test_jitter_adds_up_to_a_second_and_never_passes_thirty():
    for dummy in range(20):
        for base, wait in zip([1, 2, 4, 8, 16, 30, 30, 30, 30], waits(retry.RetryPolicy(9, 0), [503] * 9)):
            assert base <= wait <= min(base + 1, 30)


@pytest.mark.parametrize('retries', [0, 1, 9])
def test_retries_bounds_the_attempts(retries):
    result = waits(retry.RetryPolicy(retries, 0), [503] * (retries + 1))
    assert None not in result[:retries] and result[retries] is None


@pytest.mark.parametrize('retry_after, wait', [('3', 3), ('600', 30), ('21600', 30), ('0', 0)])
def test_retry_after_seconds_are_honoured_up_to_thirty(retry_after, wait):
    assert waits(retry.RetryPolicy(9, 0), [(429, retry_after)]) == [wait]


def test_retry_after_http_date_is_honoured_up_to_thirty():
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    assert 3 <= waits(retry.RetryPolicy(9, 0), [(503, soon)])[0] <= 5
    assert waits(retry.RetryPolicy(9, 0), [(503, later)]) == [30]


@pytest.mark.parametrize('retry_after', ['soon', '-5', '1.5e9', '', 'Mon, 99 Foo'])
def test_a_malformed_retry_after_is_ignored_and_the_backoff_applies(monkeypatch, retry_after):
    monkeypatch.setattr(retry, 'JITTER_SECONDS', 0)
    assert waits(retry.RetryPolicy(9, 0), [(429, retry_after)] * 3) == [1, 2, 4]


@pytest.mark.parametrize('retries', [1, 9, 20])
def test_a_read_timeout_is_tried_twice_whatever_retries_says(retries):
    assert waits(retry.RetryPolicy(retries, 0), [None, None], failure=retry.READ_TIMED_OUT)[1] is None


def test_a_connection_failure_is_retried_like_a_status():
    result = waits(retry.RetryPolicy(9, 0), [None] * 10, failure=retry.CONNECTION_FAILED)
    assert None not in result[:9] and result[9] is None


def test_a_certificate_failure_is_not_retried(monkeypatch):
    session = StubSession(requests.exceptions.SSLError('certificate verify failed'))
    pingone = transport.PingOneClient(dict(CLIENT_CREDENTIALS, access_token=None))
    monkeypatch.setattr(pingone, '_session', session)
    with pytest.raises(errors.PingOneError):
        pingone._send('GET', 'https://api.pingone.eu/v1/x', 'A')
    assert len(session.calls) == 1


def test_retries_and_token_auth_method_are_checked_before_any_request():
    assert opts.connection_problems(dict(CLIENT_CREDENTIALS, retries=-1)) == ['retries must be 0 (no retry) or more, got -1']
    assert opts.connection_problems(dict(CLIENT_CREDENTIALS, token_auth_method='basic')) == [
        "token_auth_method must be one of auto, client_secret_basic, client_secret_post, got 'basic'"]


def test_an_expired_cache_file_whose_credentials_are_renewing_is_left_alone(monkeypatch, tmp_path):
    directory = tmp_path / 'pingone_tokens'
    directory.mkdir(mode=0o700)
    busy = directory / ('d' * 64 + '.json')
    busy.write_text(json.dumps({'access_token': 'OLD', 'expires_at': time.time() - 1}))
    with open(str(busy) + '.lock', 'w') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # another run of those credentials is fetching a new token
        make_client(monkeypatch, token_response('T1'), make_response(200, {}))[0].request('GET', '/a', 'A')
        assert busy.exists()


def test_a_get_answered_with_a_garbled_body_is_retried_within_retries(monkeypatch):
    garbled = make_response(200, content=b'<html>', reason='OK')
    pingone, session = make_client(monkeypatch, garbled, garbled, make_response(200, {'host': 'h'}), access_token=ACCESS_TOKEN,
                                   retries=2)
    assert pingone.request('GET', '/a', 'A') == {'host': 'h'}
    assert len(session.calls) == 3


@pytest.mark.parametrize('error', [requests.exceptions.ConnectionError('Connection reset by peer'),
                                   requests.exceptions.ChunkedEncodingError('Connection broken: reset')])
@pytest.mark.parametrize('method', ['GET', 'PUT'])
def test_connection_resets_are_retried_within_retries_like_a_5xx(monkeypatch, error, method):
    pingone, session = make_client(monkeypatch, error, error, error, make_response(200, {'host': 'h'}), access_token=ACCESS_TOKEN,
                                   retries=3)
    assert pingone.request(method, '/a', 'A', json={} if method == 'PUT' else None) == {'host': 'h'}
    assert len(session.calls) == 4


def test_a_read_timeout_is_retried_once_only(monkeypatch):
    timeout = requests.exceptions.ReadTimeout('Read timed out')
    pingone, session = make_client(monkeypatch, timeout, timeout, access_token=ACCESS_TOKEN, retries=9)
    with pytest.raises(errors.PingOneError) as caught:
        pingone.request('GET', '/a', 'A')
    assert 'ReadTimeout' in str(caught.value) and len(session.calls) == 2


def test_a_malformed_retry_after_on_a_429_is_ignored_not_fatal(monkeypatch):
    waited = []
    monkeypatch.setattr(retry, 'sleep', waited.append)
    busy = make_response(429, {'code': 'REQUEST_LIMITED', 'message': 'slow down'})
    busy.headers['Retry-After'] = 'soon'
    pingone, session = make_client(monkeypatch, busy, make_response(200, {}), access_token=ACCESS_TOKEN)
    assert pingone.request('GET', '/a', 'A') == {}
    assert len(session.calls) == 2 and 1 <= waited[0] <= 2


def test_every_secret_is_reported_to_on_secret_the_moment_it_is_read_or_fetched(monkeypatch):
    reported = set()
    pingone = transport.PingOneClient(dict(CLIENT_CREDENTIALS), on_secret=reported.update)
    assert CLIENT_SECRET in reported and 'FETCHED-T0KEN' not in reported
    session = StubSession(token_response('FETCHED-T0KEN'), make_response(500, {}))
    monkeypatch.setattr(pingone, '_session', session)
    monkeypatch.setattr(pingone.retry_policy, 'retries', 0)
    with pytest.raises(errors.PingOneError):
        pingone.request('GET', '/a', 'A')
    assert 'FETCHED-T0KEN' in reported
