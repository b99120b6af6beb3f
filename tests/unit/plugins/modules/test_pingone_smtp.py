# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pingone_smtp end to end, with requests.Session.request answered by a fake PingOne in memory: no network."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest
import requests

from ansible.module_utils import basic
from ansible_collections.pingone.platform.tests.unit.module_args import (
    AnsibleExitJson, AnsibleFailJson, call_main, exit_json, fail_json, patch_module_args)

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state, options as opts, retry, smtp
from ansible_collections.pingone.platform.plugins.modules import pingone_smtp

ENVIRONMENT_ID = 'a3b1c2d4-0000-4000-8000-000000000001'
CLIENT_ID = '0c1d2e3f-1111-4111-8111-000000000001'
CLIENT_SECRET = 'cl1ent-s3cret-value'
AUTH_ENVIRONMENT_ID = '0c1d2e3f-2222-4222-8222-000000000002'
SMTP_PASSWORD = 'Sm7p-Pa55word!'

ENVIRONMENT_URL = 'https://api.pingone.eu/v1/environments/%s' % ENVIRONMENT_ID
SETTINGS_URL = ENVIRONMENT_URL + '/notificationsSettings/emailDeliverySettings'
NOTIFICATIONS_URL = ENVIRONMENT_URL + '/notificationsSettings'
# notificationsSettings as an administrator left it (pingone-api.md section 0), read-only fields included.
NOTIFICATIONS_BODY = {
    'deliveryMode': 'ALL', 'from': {'name': 'Example Identity', 'address': 'identity@example.com'},
    'replyTo': {'name': 'Help', 'address': 'help@example.com'}, 'smsProvidersFallbackChain': ['PINGONE_TWILIO'],
    'whitelist': [{'user': {'id': 'u1'}}], 'restrictions': {'smsVoiceQuota': {'daily': 200}},
    'emailProviderFallbackChain': [],
    'environment': {'id': ENVIRONMENT_ID}, 'createdAt': '2024-01-01T00:00:00.000Z', 'updatedAt': '2026-11-25T10:00:00.000Z',
    '_links': {'self': {'href': NOTIFICATIONS_URL}},
}
TOKEN_URL = 'https://auth.pingone.eu/%s/as/token' % AUTH_ENVIRONMENT_ID
CONNECTION = dict(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, auth_environment_id=AUTH_ENVIRONMENT_ID, region_code='EU')
SMTP_OPTIONS = dict(environment_id=ENVIRONMENT_ID, host='smtp.example.com', port=587, username='pingone-mailer',
                    password=SMTP_PASSWORD, from_address='noreply@example.com', from_name='Example Identity')
STORED_BODY = {
    'host': 'smtp.example.com', 'port': 587, 'protocol': 'SMTP', 'username': 'pingone-mailer',
    'from': {'address': 'noreply@example.com', 'name': 'Example Identity'},
    'environment': {'id': ENVIRONMENT_ID}, 'updatedAt': '2026-11-25T10:00:00.000Z',
    '_links': {'self': {'href': SETTINGS_URL}},
}
# A custom HTTP provider as GET returns it (pingone-api.md section 2): no authentication secrets.
CUSTOM_PROVIDER_BODY = {
    'protocol': 'HTTP', 'name': 'Acme Mail API', 'provider': 'CUSTOM_PROVIDER',
    'authentication': {'method': 'BASIC', 'username': 'acme'},
    'requests': [{'deliveryMethod': 'EMAIL', 'method': 'POST', 'url': 'https://mail.acme.example/send',
                  'headers': {'X-Api-Key': 'acme-header-secret'}, 'body': '{"to": "${to}", "message": "${message}"}'}],
    'from': {'address': 'noreply@example.com', 'name': 'Example Identity'},
    'environment': {'id': ENVIRONMENT_ID}, 'updatedAt': '2026-11-25T10:00:00.000Z',
    '_links': {'self': {'href': SETTINGS_URL}},
}
FORBIDDEN = {'id': 'e403', 'code': 'ACCESS_FAILED', 'message': 'The request could not be completed. You do not have access to this resource.',
             'details': [{'code': 'INSUFFICIENT_PERMISSIONS', 'message': 'The request could not be completed. You do not have access to this resource.'}]}


def make_response(status, body=None):
    response = requests.Response()
    response.status_code = status
    response.reason = {200: 'OK', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found'}.get(status)
    response._content = json.dumps(body).encode('utf-8') if body is not None else b''
    return response


class FakePingOne:
    """Just enough of PingOne for one environment's emailDeliverySettings, and a log of every request."""

    def __init__(self, stored=None, default_status=200):
        self.stored = copy.deepcopy(stored)
        self.default_status = default_status
        self.calls = []
        self.put_answer = None
        self.lose_writes = False  # answer writes as usual but keep the stored settings
        self.stale_reads = 0      # how many reads after each write still show the settings before it
        self.previous = None
        self.stale_left = 0
        self.forbidden = 0               # settings calls answered 403 before the role applies; -1: always
        self.environment_exists = True   # GET /environments/{id}: 200, or 404 for a deleted environment
        self.notifications = copy.deepcopy(NOTIFICATIONS_BODY)
        self.notifications_answer = None  # a response for every notificationsSettings call instead
        self.not_found_reads = 0         # settings reads answered 404 (eventual consistency) before the real answer
        self.reads_after_write = None    # a status that every settings read answers once a write was accepted

    def request(self, method, url, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url))
        if (method, url) == ('POST', TOKEN_URL):
            return make_response(200, {'access_token': 'issued-token', 'token_type': 'Bearer', 'expires_in': 3600})
        assert kwargs['headers'] == {'Authorization': 'Bearer issued-token'}
        if (method, url) == ('GET', ENVIRONMENT_URL):
            if self.environment_exists:
                return make_response(200, {'id': ENVIRONMENT_ID, 'name': 'demo', 'type': 'SANDBOX', 'region': 'EU'})
            return make_response(404, {'id': 'e404', 'code': 'NOT_FOUND', 'message': 'The requested resource was not found.'})
        if url == NOTIFICATIONS_URL:
            return self.notifications_request(method, kwargs.get('json'))
        assert url == SETTINGS_URL, 'unexpected URL %s' % url
        if self.forbidden:
            # PingOne's answer for a missing environment, a missing role, or a role still propagating.
            self.forbidden -= 1
            return make_response(403, FORBIDDEN)
        if method == 'GET' and self.not_found_reads:
            self.not_found_reads -= 1
            return make_response(404, {'id': 'e404', 'code': 'NOT_FOUND', 'message': 'The requested resource was not found.'})
        if method == 'GET' and self.reads_after_write and 'PUT' in self.methods():
            return make_response(self.reads_after_write, {'id': 'e5', 'code': 'UNEXPECTED_ERROR', 'message': 'oops'})
        if method == 'GET':
            stored = self.stored
            if self.stale_left:
                self.stale_left -= 1
                stored = self.previous
            if stored is None:
                # The default state: 200 with only _links (or a 404, which the Terraform provider tolerates).
                return make_response(self.default_status, {'_links': {'self': {'href': SETTINGS_URL}}} if self.default_status == 200 else
                                     {'id': 'e1', 'code': 'NOT_FOUND', 'message': 'The requested resource was not found.'})
            return make_response(200, stored)
        if method == 'PUT':
            self.previous, self.stale_left = self.stored, self.stale_reads
            if self.put_answer is not None:
                return self.put_answer
            body = copy.deepcopy(kwargs['json'])
            del body['password']
            written = dict(body, protocol='SMTP' if body['port'] in (25, 587, 2525) else 'SMTPS',
                           environment={'id': ENVIRONMENT_ID}, _links={'self': {'href': SETTINGS_URL}})
            if not self.lose_writes:
                self.stored = written
            return make_response(200, written)
        if method == 'DELETE':
            if not self.lose_writes:
                self.stored = None
            return make_response(204)
        raise AssertionError('unexpected method %s' % method)

    def notifications_request(self, method, body):
        if self.notifications_answer is not None:
            return self.notifications_answer
        if method == 'PUT':
            self.notifications = dict(copy.deepcopy(body), environment={'id': ENVIRONMENT_ID}, _links={})
        return make_response(200, self.notifications)

    def methods(self):
        return [call['method'] for call in self.calls if call['url'] == SETTINGS_URL]

    def api_calls(self):
        """(method, path) of every API call, the token request left out: what a behaviour costs."""
        return [(call['method'], call['url'].replace('https://api.pingone.eu/v1/environments/%s' % ENVIRONMENT_ID, '{env}'))
                for call in self.calls if call['url'] != TOKEN_URL]

    def sent_bodies(self):
        return [call['json'] for call in self.calls if call['method'] == 'PUT']


@pytest.fixture(autouse=True)
def isolated_module(monkeypatch, tmp_path):
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    for variable in opts.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(tmp_path / 'pingone_tokens'))
    monkeypatch.setattr(retry, 'sleep', lambda seconds: None)  # the fixtures clock and sleeps record the waits


@pytest.fixture
def clock(monkeypatch):
    """The 403 retries' sleeps, recorded and moving a fake clock instead of waiting."""
    class FakeClock:
        now = 1000.0
        sleeps = []

        def sleep(self, seconds):
            self.sleeps.append(seconds)
            self.now += seconds
    fake = FakeClock()
    fake.sleeps = []
    monkeypatch.setattr(retry, 'clock', lambda: fake.now)
    monkeypatch.setattr(retry, 'sleep', fake.sleep)
    return fake


@pytest.fixture
def sleeps(monkeypatch):
    """The delays the module waited, without waiting."""
    waited = []
    monkeypatch.setattr(retry, 'sleep', waited.append)
    monkeypatch.setattr(retry, 'JITTER_SECONDS', 0)
    return waited


@pytest.fixture
def pingone(monkeypatch):
    """An unconfigured environment; set .stored for a configured one."""
    fake = FakePingOne()

    def session_request(_session, method, url, **kwargs):
        return fake.request(method, url, **kwargs)
    monkeypatch.setattr(requests.Session, 'request', session_request)
    return fake


def run_module(args, check_mode=False, diff=False):
    """Run call_main(pingone_smtp.main); return ('exit' or 'fail', result)."""
    module_args = dict(CONNECTION, **args)
    if check_mode:
        module_args['_ansible_check_mode'] = True
    if diff:
        module_args['_ansible_diff'] = True
    with patch_module_args(module_args):
        try:
            call_main(pingone_smtp.main)
        except AnsibleExitJson as exc:
            return 'exit', exc.args[0]
        except AnsibleFailJson as exc:
            return 'fail', exc.args[0]
    raise AssertionError('pingone_smtp.main() neither exited nor failed')


def succeed(args, **kwargs):
    outcome, result = run_module(args, **kwargs)
    assert outcome == 'exit', result
    return result


def fail(args, **kwargs):
    outcome, result = run_module(args, **kwargs)
    assert outcome == 'fail', result
    return result


def test_first_configuration_puts_settings_with_password(pingone):
    result = succeed(SMTP_OPTIONS)
    assert result['changed'] is True
    assert result['password_sent'] is True
    assert result['written'] is True and result['verified'] is True
    assert pingone.methods() == ['GET', 'PUT', 'GET']
    assert pingone.sent_bodies() == [{'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'password': SMTP_PASSWORD,
                                      'from': {'address': 'noreply@example.com', 'name': 'Example Identity'}}]
    assert result['settings'] == {'host': 'smtp.example.com', 'port': 587, 'protocol': 'SMTP', 'username': 'pingone-mailer',
                                  'from_address': 'noreply@example.com', 'from_name': 'Example Identity'}
    assert result['protocol'] == 'SMTP'


def test_client_credentials_get_a_token_from_the_regions_auth_host(pingone):
    succeed(SMTP_OPTIONS)
    token_calls = [call for call in pingone.calls if call['method'] == 'POST']
    assert [call['url'] for call in token_calls] == [TOKEN_URL]
    # client_secret_basic first (token_auth_method auto): the secret goes in the Authorization header
    assert token_calls[0]['auth'] == (CLIENT_ID, CLIENT_SECRET)
    assert 'client_secret' not in token_calls[0]['data']


def test_second_apply_sends_no_put(pingone):
    succeed(SMTP_OPTIONS)
    result = succeed(SMTP_OPTIONS)
    assert result['changed'] is False
    assert result['password_sent'] is False
    assert result['written'] is False and result['verified'] is False
    assert pingone.methods() == ['GET', 'PUT', 'GET', 'GET']


def test_password_change_alone_is_not_a_change_by_default(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(SMTP_OPTIONS, password='a-new-password'))
    assert result['changed'] is False
    assert pingone.methods() == ['GET']


def test_update_password_always_sends_password(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(SMTP_OPTIONS, password='a-new-password', update_password='always'))
    assert result['changed'] is True
    assert result['password_sent'] is True
    assert [body['password'] for body in pingone.sent_bodies()] == ['a-new-password']


def test_omitted_options_keep_current_values(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(environment_id=ENVIRONMENT_ID, port=2525, password=SMTP_PASSWORD))
    assert pingone.sent_bodies() == [{'host': 'smtp.example.com', 'port': 2525, 'username': 'pingone-mailer', 'password': SMTP_PASSWORD,
                                      'from': {'address': 'noreply@example.com', 'name': 'Example Identity'}}]
    assert result['settings']['port'] == 2525
    assert result['settings']['from_name'] == 'Example Identity'


def test_empty_string_clears_reply_to(pingone):
    pingone.stored = dict(STORED_BODY, replyTo={'address': 'support@example.com', 'name': 'Support'})
    result = succeed(dict(environment_id=ENVIRONMENT_ID, reply_to_address='', reply_to_name='', password=SMTP_PASSWORD))
    assert result['changed'] is True
    assert 'replyTo' not in pingone.sent_bodies()[0]
    assert 'reply_to_address' not in result['settings']


def test_write_without_password_fails_before_writing(pingone):
    pingone.stored = STORED_BODY
    result = fail(dict(environment_id=ENVIRONMENT_ID, host='smtp2.example.com'))
    assert result['msg'].startswith('password is needed')
    assert pingone.methods() == ['GET']
    assert pingone.stored == STORED_BODY


def test_check_mode_sends_no_put(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(SMTP_OPTIONS, host='smtp2.example.com'), check_mode=True)
    assert result['changed'] is True
    assert pingone.methods() == ['GET']
    assert pingone.stored == STORED_BODY
    assert result['settings']['host'] == 'smtp2.example.com'
    assert 'password' not in result['settings']


def test_check_mode_without_password_reports_the_drift_with_a_warning(pingone, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    pingone.stored = STORED_BODY
    result = succeed(dict(environment_id=ENVIRONMENT_ID, host='smtp2.example.com'), check_mode=True)
    assert result['changed'] is True
    assert result['password_sent'] is False
    assert result['changed_options'] == ['host']
    assert len(warnings) == 1 and warnings[0].startswith('password is needed')
    assert pingone.methods() == ['GET']


def test_result_names_the_changed_options(pingone):
    pingone.stored = STORED_BODY
    assert succeed(dict(SMTP_OPTIONS, port=465, from_name='Other'))['changed_options'] == ['from_name', 'port']
    assert succeed(dict(SMTP_OPTIONS, port=465, from_name='Other'))['changed_options'] == []


def test_check_mode_keeps_the_protocol_only_while_the_port_is_unchanged(pingone):
    pingone.stored = STORED_BODY
    assert succeed(dict(SMTP_OPTIONS, host='smtp2.example.com'), check_mode=True)['protocol'] == 'SMTP'
    assert succeed(dict(SMTP_OPTIONS, port=465), check_mode=True)['protocol'] is None
    assert pingone.methods() == ['GET', 'GET']


def test_check_mode_of_first_configuration_sends_nothing(pingone):
    result = succeed(SMTP_OPTIONS, check_mode=True)
    assert result['changed'] is True
    assert pingone.methods() == ['GET']
    assert pingone.stored is None


def test_verify_false_reads_nothing_back(pingone):
    result = succeed(dict(SMTP_OPTIONS, verify=False))
    assert result['written'] is True and result['verified'] is False
    assert pingone.methods() == ['GET', 'PUT']


def test_a_stale_read_back_is_read_again(pingone, sleeps):
    pingone.stored = STORED_BODY
    pingone.stale_reads = 1
    result = succeed(dict(SMTP_OPTIONS, port=2525))
    assert pingone.methods() == ['GET', 'PUT', 'GET', 'GET']
    assert sleeps == [1]
    assert result['verified'] is True and result['settings']['port'] == 2525


def test_a_write_that_does_not_stick_fails_naming_the_options(pingone, sleeps):
    pingone.stored = STORED_BODY
    pingone.lose_writes = True
    result = fail(dict(SMTP_OPTIONS, port=2525, from_name='Other Name'))
    assert pingone.methods() == ['GET', 'PUT'] + ['GET'] * (1 + retry.READBACK_RETRIES)
    assert sleeps == [1, 2]
    assert result['changed'] is True and result['written'] is True
    assert result['msg'] == ('PingOne does not hold what was written to environment %s: '
                             "from_name is 'Example Identity', expected 'Other Name'; port is 587, expected 2525" % ENVIRONMENT_ID)
    assert result['settings']['port'] == 587


def test_a_reset_that_does_not_stick_fails(pingone, sleeps):
    pingone.stored = STORED_BODY
    pingone.lose_writes = True
    result = fail(dict(environment_id=ENVIRONMENT_ID, state='absent'))
    assert pingone.methods() == ['GET', 'DELETE'] + ['GET'] * (1 + retry.READBACK_RETRIES)
    assert result['msg'].endswith("the SMTP server is still set (host 'smtp.example.com')")


def test_check_mode_reset_sends_no_delete(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent'), check_mode=True)
    assert result['changed'] is True
    assert result['settings'] == {}
    assert pingone.methods() == ['GET']


def test_reset_deletes_the_settings(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent'))
    assert result['changed'] is True
    assert result['settings'] == {}
    assert result['protocol'] is None
    assert result['verified'] is True
    assert pingone.methods() == ['GET', 'DELETE', 'GET']


def test_absent_on_default_state_is_unchanged(pingone):
    result = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent'))
    assert result['changed'] is False
    assert result['settings'] == {}
    assert pingone.methods() == ['GET']


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_a_404_on_the_read_is_retried_then_fails_and_nothing_is_written(pingone, state):
    # PingOne answers an unconfigured environment with 200: a 404 is a failed read, never "nothing configured".
    pingone.default_status = 404
    args = SMTP_OPTIONS if state == 'present' else dict(environment_id=ENVIRONMENT_ID, state=state)
    result = fail(dict(args, retries=2))
    assert pingone.methods() == ['GET'] * 3
    assert not result.get('changed')
    assert result['msg'].startswith('PingOne API answered 404 NOT_FOUND: Reading the SMTP settings of environment %s failed' % ENVIRONMENT_ID)


def test_a_404_once_on_the_read_is_retried_and_the_write_keeps_what_pingone_holds(pingone):
    pingone.stored = dict(STORED_BODY, replyTo={'address': 'help@example.com', 'name': 'Help'})
    pingone.not_found_reads = 1
    result = succeed(dict(SMTP_OPTIONS, host='smtp2.example.com'))
    assert pingone.methods() == ['GET', 'GET', 'PUT', 'GET']
    assert pingone.sent_bodies()[0]['replyTo'] == {'address': 'help@example.com', 'name': 'Help'}
    assert pingone.sent_bodies()[0]['from']['name'] == 'Example Identity'
    assert result['changed'] is True


def test_a_read_back_that_fails_after_an_accepted_write_says_changed_and_that_rerunning_is_safe(pingone):
    pingone.reads_after_write = 503
    result = fail(dict(SMTP_OPTIONS, retries=1))
    assert pingone.methods() == ['GET', 'PUT', 'GET', 'GET']
    assert result['changed'] is True and result['written'] is True and result['verified'] is False
    assert result['msg'].startswith('PingOne accepted the write to environment %s, but reading it back failed: ' % ENVIRONMENT_ID)
    assert result['msg'].endswith('Rerunning the task is safe: it reads before it writes.')
    assert result['settings']['host'] == 'smtp.example.com'


def test_default_state_without_required_settings_fails_naming_them(pingone):
    result = fail(dict(environment_id=ENVIRONMENT_ID, password=SMTP_PASSWORD))
    assert result['msg'].startswith('host, username, from_address needed')
    assert pingone.methods() == ['GET']


@pytest.mark.parametrize('args, option', [
    (dict(SMTP_OPTIONS, port=70000), 'port'),
    (dict(SMTP_OPTIONS, from_address='not-an-email'), 'from_address'),
    (dict(SMTP_OPTIONS, reply_to_address='support@'), 'reply_to_address'),
    (dict(SMTP_OPTIONS, host='https://smtp.example.com'), 'host'),
    (dict(SMTP_OPTIONS, password=''), 'password'),
    (dict(SMTP_OPTIONS, environment_id='production'), 'environment_id'),
    (dict(SMTP_OPTIONS, region_code='XX'), 'region_code'),
    (dict(SMTP_OPTIONS, client_id='my-worker'), 'client_id'),
    (dict(SMTP_OPTIONS, api_hostname='https://localhost:8443'), 'api_hostname'),
    (dict(SMTP_OPTIONS, timeout=0), 'timeout'),
    (dict(SMTP_OPTIONS, password=None, update_password='always'), 'update_password'),
    (dict(environment_id=ENVIRONMENT_ID, state='absent', host='smtp.example.com'), 'host'),
    (dict(SMTP_OPTIONS, state='absent'), 'state=absent'),
])
def test_bad_input_fails_naming_the_option_before_any_request(pingone, args, option):
    result = fail(args)
    assert option in result['msg']
    assert pingone.calls == []


def test_both_access_token_and_client_id_fail_before_any_request(pingone):
    result = fail(dict(SMTP_OPTIONS, access_token='a.given.token'))
    assert 'access_token' in result['msg'] and 'client_id' in result['msg']
    assert 'mutually exclusive' in result['msg']
    assert pingone.calls == []


def test_missing_credentials_name_the_options_and_env_vars(pingone):
    with patch_module_args(dict(SMTP_OPTIONS)):
        with pytest.raises(AnsibleFailJson) as caught:
            call_main(pingone_smtp.main)
    assert 'client_id, client_secret, auth_environment_id' in caught.value.args[0]['msg']
    assert 'PINGONE_CLIENT_ID' in caught.value.args[0]['msg']
    assert pingone.calls == []


def test_connection_from_terraform_env_vars(pingone, monkeypatch):
    monkeypatch.setenv('PINGONE_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('PINGONE_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('PINGONE_ENVIRONMENT_ID', AUTH_ENVIRONMENT_ID)
    monkeypatch.setenv('PINGONE_REGION_CODE', 'EU')
    with patch_module_args(dict(SMTP_OPTIONS)):
        with pytest.raises(AnsibleExitJson):
            call_main(pingone_smtp.main)
    assert [call['url'] for call in pingone.calls] == [TOKEN_URL, SETTINGS_URL, NOTIFICATIONS_URL, SETTINGS_URL, SETTINGS_URL]


@pytest.mark.parametrize('args, check_mode', [
    (SMTP_OPTIONS, False),
    (SMTP_OPTIONS, True),
    (dict(SMTP_OPTIONS, update_password='always'), False),
    (dict(SMTP_OPTIONS, host='smtp2.example.com'), False),
])
def test_password_never_appears_in_the_result(pingone, args, check_mode):
    pingone.stored = STORED_BODY
    result = succeed(args, check_mode=check_mode, diff=True)
    serialized = json.dumps(result)
    assert SMTP_PASSWORD not in serialized
    assert CLIENT_SECRET not in serialized
    assert 'issued-token' not in serialized


def test_password_never_appears_in_a_failure(pingone):
    pingone.put_answer = make_response(400, {'id': 'e2', 'code': 'INVALID_DATA', 'message': 'One or more validation errors were in the request.',
                                             'details': [{'code': 'INVALID_VALUE', 'target': 'host', 'message': 'host does not resolve'}]})
    result = fail(SMTP_OPTIONS)
    serialized = json.dumps(result)
    assert SMTP_PASSWORD not in serialized
    assert CLIENT_SECRET not in serialized


def test_api_error_fails_with_pingones_code_and_error_id(pingone):
    pingone.put_answer = make_response(400, {'id': 'e2', 'code': 'INVALID_DATA', 'message': 'One or more validation errors were in the request.',
                                             'details': [{'code': 'INVALID_VALUE', 'target': 'host', 'message': 'host does not resolve'}]})
    result = fail(SMTP_OPTIONS)
    assert result['status'] == 400
    assert result['code'] == 'INVALID_DATA'
    assert result['error_id'] == 'e2'
    assert result['details'][0]['target'] == 'host'
    assert 'Writing the SMTP settings of environment %s' % ENVIRONMENT_ID in result['msg']
    assert 'host: host does not resolve' in result['msg']


def test_diff_present_with_password_masked(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(SMTP_OPTIONS, host='smtp2.example.com'), diff=True)
    assert result['diff']['before']['host'] == 'smtp.example.com'
    assert result['diff']['after']['host'] == 'smtp2.example.com'
    assert result['diff']['after']['password'] == smtp.PASSWORD_SENT
    assert 'password' not in result['diff']['before']
    assert SMTP_PASSWORD not in json.dumps(result['diff'])


def test_diff_in_check_mode_shows_what_would_be_sent(pingone):
    pingone.stored = STORED_BODY
    result = succeed(dict(SMTP_OPTIONS, port=465), check_mode=True, diff=True)
    assert result['diff']['after']['port'] == 465
    assert result['diff']['after']['password'] == smtp.PASSWORD_SENT
    assert pingone.methods() == ['GET']


def test_diff_of_an_unchanged_run_is_equal(pingone):
    pingone.stored = STORED_BODY
    result = succeed(SMTP_OPTIONS, diff=True)
    assert result['diff']['before'] == result['diff']['after']


def test_no_diff_unless_asked(pingone):
    pingone.stored = STORED_BODY
    assert 'diff' not in succeed(dict(SMTP_OPTIONS, host='smtp2.example.com'))


# --- a custom HTTP provider at the same endpoint (pingone-api.md section 2) -------------------------------

SETTINGS = ('GET', '{env}/notificationsSettings/emailDeliverySettings')
PUT = ('PUT', SETTINGS[1])
DELETE = ('DELETE', SETTINGS[1])
ENVIRONMENT = ('GET', '{env}')
NOTIFICATIONS = ('GET', '{env}/notificationsSettings')


@pytest.mark.parametrize('args', [SMTP_OPTIONS, dict(environment_id=ENVIRONMENT_ID, state='absent')], ids=['present', 'absent'])
def test_custom_provider_fails_before_writing_naming_it(pingone, args):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = fail(args)
    assert pingone.api_calls() == [SETTINGS]
    assert "custom HTTP provider 'Acme Mail API'" in result['msg'] and 'replace_custom_provider=true' in result['msg']
    assert result['provider'] == 'custom_http' and result['custom_provider_name'] == 'Acme Mail API'
    assert pingone.stored == CUSTOM_PROVIDER_BODY


def test_custom_provider_replaced_with_present_is_get_put_no_delete(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = succeed(dict(SMTP_OPTIONS, replace_custom_provider=True, verify=False))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, PUT]
    assert result['changed'] is True and result['provider'] == 'smtp' and result['custom_provider_name'] == 'Acme Mail API'
    assert 'provider' in result['changed_options']
    assert pingone.sent_bodies() == [{'host': 'smtp.example.com', 'port': 587, 'username': 'pingone-mailer', 'password': SMTP_PASSWORD,
                                      'from': {'address': 'noreply@example.com', 'name': 'Example Identity'}}]


def test_custom_provider_replaced_with_present_and_verify_reads_back(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = succeed(dict(SMTP_OPTIONS, replace_custom_provider=True))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, PUT, SETTINGS]
    assert result['verified'] is True and result['settings']['host'] == 'smtp.example.com'


def test_custom_provider_reset_with_absent_is_one_delete(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent', replace_custom_provider=True))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, DELETE, SETTINGS]
    assert result['provider'] == 'pingone' and result['settings'] == {} and pingone.stored is None


def test_custom_provider_replacement_in_check_mode_shows_the_provider_change(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = succeed(dict(SMTP_OPTIONS, replace_custom_provider=True), check_mode=True, diff=True)
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS]
    assert result['changed'] is True and result['written'] is False and result['provider'] == 'smtp'
    assert (result['diff']['before']['provider'], result['diff']['after']['provider']) == ('custom_http', 'smtp')
    assert result['diff']['before']['custom_provider_name'] == 'Acme Mail API'
    reset = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent', replace_custom_provider=True), check_mode=True, diff=True)
    assert (reset['diff']['before']['provider'], reset['diff']['after']['provider']) == ('custom_http', 'pingone')
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS] * 2


def test_custom_provider_secrets_never_appear_in_results(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    for args, check_mode in ((SMTP_OPTIONS, False), (dict(SMTP_OPTIONS, replace_custom_provider=True), True)):
        outcome, result = run_module(args, check_mode=check_mode, diff=True)
        serialized = json.dumps(result)
        assert 'acme-header-secret' not in serialized and 'mail.acme.example' not in serialized, outcome


# --- 403: missing environment, missing role, role still propagating (pingone-api.md sections 0 and 4) -----

def test_403_on_a_missing_environment_fails_naming_it_without_retrying(pingone, clock):
    pingone.forbidden = -1
    pingone.environment_exists = False
    result = fail(SMTP_OPTIONS)
    assert pingone.api_calls() == [SETTINGS, ENVIRONMENT]
    assert 'environment %s not found (deleted, or a typo?)' % ENVIRONMENT_ID in result['msg']
    assert clock.sleeps == []


def test_403_while_a_role_propagates_is_retried_until_it_answers(pingone, clock):
    pingone.forbidden = 2
    result = succeed(dict(SMTP_OPTIONS, role_propagation_timeout=30))
    assert pingone.api_calls() == [SETTINGS, ENVIRONMENT, SETTINGS, SETTINGS, NOTIFICATIONS, PUT, SETTINGS]
    assert clock.sleeps == [1, 2]
    assert result['changed'] is True


def test_403_that_outlasts_role_propagation_timeout_fails_naming_role_environment_and_client(pingone, clock):
    pingone.forbidden = -1
    result = fail(dict(SMTP_OPTIONS, role_propagation_timeout=10))
    assert sum(clock.sleeps) == 10 and clock.sleeps == [1, 2, 4, 3]
    assert pingone.api_calls() == [SETTINGS, ENVIRONMENT] + [SETTINGS] * 4
    for named in ('Environment Admin', ENVIRONMENT_ID, CLIENT_ID, 'role_propagation_timeout'):
        assert named in result['msg']
    assert result['status'] == 403
    assert CLIENT_SECRET not in json.dumps(result)


def test_403_with_role_propagation_timeout_0_fails_at_once(pingone, clock):
    pingone.forbidden = -1
    result = fail(dict(SMTP_OPTIONS, role_propagation_timeout=0))
    assert pingone.api_calls() == [SETTINGS, ENVIRONMENT]
    assert clock.sleeps == [] and 'Environment Admin' in result['msg']


def test_403_on_the_write_is_told_apart_too(pingone, clock):
    pingone.stored = STORED_BODY
    real_request = pingone.request

    def forbid_the_first_put(method, url, **kwargs):
        if method == 'PUT' and not any(call['method'] == 'PUT' for call in pingone.calls):
            pingone.calls.append(dict(kwargs, method=method, url=url))
            return make_response(403, FORBIDDEN)
        return real_request(method, url, **kwargs)
    pingone.request = forbid_the_first_put
    succeed(dict(SMTP_OPTIONS, port=2525, verify=False))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, PUT, ENVIRONMENT, PUT]
    assert clock.sleeps == [1]


def test_default_role_propagation_timeout_is_30_seconds(pingone, clock):
    pingone.forbidden = -1
    fail(SMTP_OPTIONS)
    assert sum(clock.sleeps) == 30


def test_negative_role_propagation_timeout_fails_before_any_request(pingone):
    result = fail(dict(SMTP_OPTIONS, role_propagation_timeout=-1))
    assert 'role_propagation_timeout' in result['msg'] and pingone.calls == []


def test_replacing_a_custom_provider_without_password_fails_before_writing(pingone):
    pingone.stored = CUSTOM_PROVIDER_BODY
    result = fail(dict(SMTP_OPTIONS, password=None, replace_custom_provider=True))
    assert result['msg'].startswith('password is needed')
    assert result['provider'] == 'custom_http' and result['custom_provider_name'] == 'Acme Mail API'
    assert pingone.api_calls() == [SETTINGS]


# --- who sends: notificationsSettings.emailProviderFallbackChain (pingone-api.md section 0) ---------------

NOTIFICATIONS_PUT = ('PUT', NOTIFICATIONS[1])
ON_PINGONE_EMAIL = dict(NOTIFICATIONS_BODY, emailProviderFallbackChain=['PINGONE_EMAIL'])


def notifications_puts(pingone):
    return [call['json'] for call in pingone.calls if call['method'] == 'PUT' and call['url'] == NOTIFICATIONS_URL]


def test_matching_settings_on_pingone_email_are_activated_in_one_read_modify_write(pingone):
    pingone.stored = STORED_BODY
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    result = succeed(SMTP_OPTIONS)
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, NOTIFICATIONS_PUT]
    expected = dict((key, value) for key, value in NOTIFICATIONS_BODY.items()
                    if key not in ('environment', 'createdAt', 'updatedAt', '_links'))
    assert notifications_puts(pingone) == [dict(expected, emailProviderFallbackChain=[])]
    assert result['changed'] is True and result['written'] is True and result['changed_options'] == ['delivery']
    assert result['delivery'] == 'smtp' and result['provider'] == 'smtp' and result['password_sent'] is False


def test_a_rerun_after_activation_writes_nothing(pingone):
    pingone.stored = STORED_BODY
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    succeed(SMTP_OPTIONS)
    del pingone.calls[:]
    result = succeed(SMTP_OPTIONS)
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS]
    assert result['changed'] is False and result['delivery'] == 'smtp' and result['changed_options'] == []


def test_activation_in_check_mode_predicts_and_writes_nothing_and_diff_shows_delivery(pingone):
    pingone.stored = STORED_BODY
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    result = succeed(SMTP_OPTIONS, check_mode=True, diff=True)
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS]
    assert result['changed'] is True and result['written'] is False and result['delivery'] == 'smtp'
    assert result['delivery_before'] == 'pingone'  # who sends today: the audit reports it
    assert (result['diff']['before']['delivery'], result['diff']['after']['delivery']) == ('pingone', 'smtp')
    assert SMTP_PASSWORD not in json.dumps(result)


def test_first_configuration_on_pingone_email_writes_the_settings_then_the_sender(pingone):
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    result = succeed(SMTP_OPTIONS)
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, PUT, SETTINGS, NOTIFICATIONS_PUT]
    assert 'delivery' in result['changed_options'] and 'host' in result['changed_options']
    assert result['delivery'] == 'smtp'


def test_activate_false_never_writes_notifications_and_warns(pingone, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    pingone.stored = STORED_BODY
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    result = succeed(dict(SMTP_OPTIONS, activate=False))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS]
    assert result['changed'] is False and result['delivery'] == 'pingone'
    assert len(warnings) == 1 and "through PingOne's email service" in warnings[0]


def test_state_absent_leaves_the_chain_alone(pingone):
    pingone.stored = STORED_BODY
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    result = succeed(dict(environment_id=ENVIRONMENT_ID, state='absent'))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS, DELETE, SETTINGS]
    assert result['delivery'] == 'pingone' and 'delivery' not in result['changed_options']


@pytest.mark.parametrize('status, body', [(404, {'id': 'e404', 'code': 'NOT_FOUND', 'message': 'Not found.'}),
                                          (200, dict(NOTIFICATIONS_BODY, emailProviderFallbackChain='PINGONE_EMAIL'))])
def test_a_failed_read_of_notifications_fails_before_any_write(pingone, status, body):
    pingone.notifications_answer = make_response(status, body)
    # retries 0: a 404 is retried like any failed read (retry.py), then fails; never read as a default.
    result = fail(dict(SMTP_OPTIONS, retries=0))
    assert pingone.api_calls() == [SETTINGS, NOTIFICATIONS]
    assert 'notifications settings of environment %s' % ENVIRONMENT_ID in result['msg']


def test_a_failed_activation_after_the_smtp_write_still_reports_changed(pingone):
    pingone.notifications = copy.deepcopy(ON_PINGONE_EMAIL)
    real = pingone.notifications_request

    def fail_the_put(method, body):
        if method == 'PUT':
            return make_response(400, {'id': 'e400', 'code': 'INVALID_DATA', 'message': 'validation failed'})
        return real(method, body)
    pingone.notifications_request = fail_the_put
    result = fail(SMTP_OPTIONS)
    assert result['changed'] is True and result['written'] is True
    assert 'SMTP settings of environment %s were written' % ENVIRONMENT_ID in result['msg']
    assert SMTP_PASSWORD not in json.dumps(result)


def test_no_delivery_mode_in_the_read_fails_before_any_write(pingone):
    pingone.stored = STORED_BODY
    pingone.notifications = dict((key, value) for key, value in ON_PINGONE_EMAIL.items() if key != 'deliveryMode')
    result = fail(SMTP_OPTIONS)
    assert 'deliveryMode' in result['msg'] and notifications_puts(pingone) == []


def test_reply_to_name_without_reply_to_address_fails_before_any_request(pingone):
    result = fail(dict(SMTP_OPTIONS, reply_to_name='Help desk'))
    assert 'reply_to_name needs reply_to_address' in result['msg'] and pingone.calls == []


@pytest.mark.parametrize('args, named', [
    # Values long enough not to be masked inside the message: a real AnsibleModule masks every no_log value.
    (dict(password=['Part-One-1', 'Part-Two-2']), 'password must be a string, got a list'),
    (dict(password='   '), 'password must not be only whitespace'),
    (dict(username='   '), 'username must not be only whitespace'),
    (dict(client_secret={'a': 1}), 'client_secret must be a string, got a mapping'),
    (dict(from_name=u'Example\u0085Name'), 'from_name must not contain control characters'),
])
def test_bad_values_fail_before_any_request_naming_the_option(pingone, args, named):
    result = fail(dict(SMTP_OPTIONS, **args))
    assert named in result['msg'] and pingone.calls == []


def test_writing_port_25_warns_that_networks_block_it_and_the_tls_mode_is_contested(pingone, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    succeed(dict(SMTP_OPTIONS, port=25, verify=False))
    assert [warning for warning in warnings if warning.startswith('port 25: many networks block')]
