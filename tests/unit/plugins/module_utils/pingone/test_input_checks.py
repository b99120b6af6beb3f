# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks made before any request, the masking of secrets and the TLS warning: pure functions, no server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64

import pytest

try:
    from ansible.module_utils.common.warnings import get_warnings  # ansible-core >= 2.19: warning objects
except ImportError:  # before 2.19: the messages; the test reads either
    from ansible.module_utils.common.warnings import get_warning_messages as get_warnings
try:
    from ansible.module_utils import _internal as module_utils_internal  # ansible-core >= 2.19
except ImportError:  # before 2.19 module warnings are always collected for the result
    module_utils_internal = None
from ansible_collections.pingone.platform.tests.unit.module_args import patch_module_args

from ansible_collections.pingone.platform.plugins.module_utils.pingone import module, options as opts, smtp, smtp_input, transport

ENVIRONMENT_ID = 'a3b1c2d4-0000-4000-8000-000000000001'
VALID = dict(environment_id=ENVIRONMENT_ID, state='present', host='smtp.example.com', port=587, username='mailer',
             password='Sm7p-Pa55word!', from_address='noreply@example.com', update_password='on_change')
CONNECTION = dict(client_id='5a8c2b1e-1111-4111-8111-000000000001', client_secret='Client-Secret-Value-1',
                  auth_environment_id='0c1d2e3f-2222-4222-8222-000000000002', validate_certs=True, timeout=30,
                  region_code='NA')  # a region is required unless both hostnames are given (issue6a)

# (option changes, text the one problem must contain); each names its option.
BAD_SMTP_INPUT = [
    (dict(port=True), 'port must be a number from 1 to 65535, got the boolean True'),
    (dict(port=False), 'port must be a number from 1 to 65535, got the boolean False'),
    (dict(port=0), 'port must be between 1 and 65535'),
    (dict(port=65536), 'port must be between 1 and 65535'),
    (dict(from_name='Example\nBcc: x@example.com'), 'from_name must not contain control characters'),
    (dict(from_name='Example\r'), 'from_name must not contain control characters'),
    (dict(from_name='Example\x00'), 'from_name must not contain control characters'),
    (dict(from_name='Example\x7f'), 'from_name must not contain control characters'),
    (dict(reply_to_address='help@example.com', reply_to_name='Help\n'), 'reply_to_name must not contain control characters'),
    (dict(reply_to_address='help@example.com', reply_to_name='Help\r'), 'reply_to_name must not contain control characters'),
    (dict(reply_to_address='help@example.com', reply_to_name='Help\x00'), 'reply_to_name must not contain control characters'),
    (dict(username='mailer\n'), 'username must not contain control characters'),
    (dict(username='mailer\r\nRCPT TO:<x@example.com>'), 'username must not contain control characters'),
    (dict(username='mailer\x00'), 'username must not contain control characters'),
    (dict(host='smtp.example.com\n'), 'host must not contain control characters'),
    (dict(from_address='noreply@example.com\n'), 'from_address must not contain control characters'),
    (dict(host=('a' * 60 + '.') * 4 + 'example.com'), 'host must be at most 253 characters'),
    (dict(host='a' * 64 + '.example.com'), 'host must have labels (the parts between dots) of at most 63 characters'),
    (dict(from_name='n' * 257), 'from_name must be at most 256 characters'),
    (dict(reply_to_address='help@example.com', reply_to_name='n' * 257), 'reply_to_name must be at most 256 characters'),
    (dict(username='u' * 257), 'username must be at most 256 characters'),
    (dict(from_address='a' * 250 + '@example.com'), 'from_address must be at most 254 characters'),
    (dict(environment_id=ENVIRONMENT_ID + '\n'), 'environment_id must be a PingOne environment id'),
    (dict(host='smtp_relay.example.com'), 'host must be a hostname'),
]


@pytest.mark.parametrize('changes, expected', BAD_SMTP_INPUT)
def test_bad_smtp_input_is_one_problem_naming_its_option(changes, expected):
    problems = smtp_input.validate(dict(VALID, **changes))
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize('changes', [
    dict(host='a' * 63 + '.example.com'), dict(from_name='n' * 256), dict(username='u' * 256),
    dict(host=('a' * 61 + '.') * 3 + 'example.com'), dict(from_name=u'Ex\u00e4mple \u2014 Identity'), dict(port=25)])
def test_values_at_the_limits_are_accepted(changes):
    assert smtp_input.validate(dict(VALID, **changes)) == []


BAD_CONNECTION = [
    (dict(api_hostname='api.example.com:70000'), 'api_hostname must have a port from 1 to 65535'),
    (dict(auth_hostname='auth.example.com:65536'), 'auth_hostname must have a port from 1 to 65535'),
    (dict(api_hostname='api.example.com:0'), 'api_hostname must have a port from 1 to 65535'),
    (dict(auth_hostname='auth.example.com\n'), 'auth_hostname must be host[:port]'),
    (dict(client_id=CONNECTION['client_id'] + '\n'), 'client_id must be a PingOne id'),
    (dict(timeout=True), 'timeout must be a number of seconds, got the boolean True'),
    (dict(ca_path='/nonexistent/ca.pem'), 'ca_path (PINGONE_CA_PATH) cannot be read'),
    (dict(ca_path='/'), 'ca_path (PINGONE_CA_PATH) cannot be read'),
    (dict(ca_path='/dev/null', validate_certs=False), 'ca_path (PINGONE_CA_PATH) and validate_certs=false contradict'),
]


@pytest.mark.parametrize('changes, expected', BAD_CONNECTION)
def test_bad_connection_input_is_one_problem_naming_its_option(changes, expected):
    problems = opts.connection_problems(dict(CONNECTION, **changes))
    assert len(problems) == 1 and expected in problems[0], problems


def test_ca_path_must_be_a_pem_bundle(tmp_path):
    not_pem = tmp_path / 'ca.der'
    not_pem.write_bytes(b'\x30\x82\x01\x0a')
    pem = tmp_path / 'ca.pem'
    pem.write_text(u'-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    assert 'ca_path (PINGONE_CA_PATH) must be a PEM file' in opts.connection_problems(dict(CONNECTION, ca_path=str(not_pem)))[0]
    assert opts.connection_problems(dict(CONNECTION, ca_path=str(pem))) == []


def test_validate_certs_false_warns_and_true_does_not():
    assert 'validate_certs=false' in opts.tls_warnings(dict(CONNECTION, validate_certs=False))[0]
    assert opts.tls_warnings(CONNECTION) == []


def test_secrets_cover_every_form_the_client_sends():
    options = dict(CONNECTION, client_secret='Se cret+/=&Value')
    pingone = transport.PingOneClient(options)
    pingone._token = 'fetched.access.token'
    secrets = pingone.secrets()
    basic = base64.b64encode(('%s:%s' % (options['client_id'], options['client_secret'])).encode()).decode()
    assert {'Se cret+/=&Value', 'Se+cret%2B%2F%3D%26Value', 'Se%20cret%2B%2F%3D%26Value', basic, 'fetched.access.token'} <= secrets


def test_secrets_of_a_token_client_are_the_token():
    assert transport.PingOneClient(dict(access_token='given.token', validate_certs=True)).secrets() == {'given.token'}


@pytest.mark.parametrize('target, option', [('from.address', 'from_address'), ('replyTo.name', 'reply_to_name'),
                                            ('host', 'host'), ('port', 'port'), ('password', 'password'), (None, None)])
def test_api_targets_map_to_option_names(target, option):
    assert smtp.option_for_target(target) == option


@pytest.mark.parametrize('validate_certs, warned', [(False, True), (True, False)])
def test_every_module_run_without_certificate_checks_warns(monkeypatch, validate_certs, warned):
    for variable in opts.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    # From 2.19 on, warn() prints straight to the display instead of collecting the warning for the module's result
    # once any controller code (ansible.errors, ansible.plugins...) has been imported into the process, which other
    # unit tests on the same pytest worker do, depending on how xdist distributes them. A module runs in its own
    # process without the controller: test it that way.
    if module_utils_internal is not None and hasattr(module_utils_internal, 'is_controller'):
        monkeypatch.setattr(module_utils_internal, 'is_controller', False)
    warnings_before = len(get_warnings())
    with patch_module_args(dict(CONNECTION, validate_certs=validate_certs)):
        module.pingone_module({})
    messages = [str(getattr(getattr(warning, 'event', None), 'msg', warning)) for warning in get_warnings()[warnings_before:]]
    assert any('validate_certs=false' in message for message in messages) is warned
