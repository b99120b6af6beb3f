# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pingone_smtp's preflight: a real SMTP server on 127.0.0.1 (aiosmtpd), PingOne faked in memory.

The exact requests to the settings endpoint are asserted: a failing preflight leaves only the first GET."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible.module_utils import basic

# The fixtures isolated_module and pingone are used by name: pytest finds them in this module's namespace.
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import (  # noqa: F401 pylint: disable=unused-import
    ENVIRONMENT_ID, STORED_BODY, fail, isolated_module, pingone, succeed)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), *(['..'] * 4 + ['tools'])))
import smtp_server  # noqa: E402  (tools/smtp_server.py)

pytestmark = pytest.mark.filterwarnings('ignore:Requiring AUTH while not requiring TLS')
PASSWORD = 'Module-Preflight-Secret-9'


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('smtp'))
    started = smtp_server.SmtpServer(directory, smtp_server.TestCA(directory), tls='implicit',
                                     users={'mailer': PASSWORD}).start()
    yield started
    started.stop()


def options(server, **overrides):
    """Settings for the test server (an SMTPS port: any port but 587 and 2525), on 127.0.0.1: allowed explicitly."""
    args = dict(environment_id=ENVIRONMENT_ID, host='127.0.0.1', port=server.port, username='mailer',
                password=PASSWORD, from_address='noreply@example.com', preflight='auth',
                preflight_ca_path=server.ca_path, preflight_timeout=5, preflight_allow_private=True)
    args.update(overrides)
    return args


def test_good_credentials_pass_and_the_put_follows(pingone, server):
    result = succeed(options(server))
    assert pingone.methods() == ['GET', 'PUT', 'GET']
    assert result['preflight']['passed'] and result['preflight']['level'] == 'auth'
    assert [step['step'] for step in result['preflight']['steps']] == [
        'dns', 'address', 'connect', 'tls', 'certificate', 'greeting', 'ehlo', 'auth', 'quit']


def test_wrong_password_fails_before_any_write(pingone, server):
    result = fail(options(server, password='Wrong-Module-Secret-1'))
    assert pingone.methods() == ['GET']
    assert result['preflight']['failed_step'] == 'auth'
    assert result['msg'].startswith('SMTP preflight failed at step auth (127.0.0.1:%d, SMTPS (implicit TLS)): '
                                    "AUTH PLAIN rejected for user 'mailer': 535" % server.port)
    assert result['msg'].endswith('Nothing was written to PingOne.')
    assert result['written'] is False and result['changed'] is False
    assert 'Wrong-Module-Secret-1' not in repr(result)


def test_check_mode_runs_the_preflight_and_writes_nothing(pingone, server):
    assert succeed(options(server), check_mode=True)['preflight']['passed']
    result = fail(options(server, password='Wrong-Module-Secret-1'), check_mode=True)
    assert result['preflight']['failed_step'] == 'auth'
    assert pingone.methods() == ['GET', 'GET']


def test_nothing_to_change_runs_no_preflight(pingone, server):
    pingone.stored = dict(STORED_BODY, host='127.0.0.1', port=server.port, username='mailer',
                          **{'from': {'address': 'noreply@example.com'}})
    result = succeed(options(server))
    assert result['changed'] is False and result['preflight'] is None
    assert succeed(options(server, preflight_always=True))['preflight']['passed']
    assert pingone.methods() == ['GET', 'GET']


def test_the_settings_to_write_are_tested_not_the_current_ones(pingone, server):
    pingone.stored = dict(STORED_BODY, host='127.0.0.1', port=server.port, username='mailer')
    result = fail(options(server, port=smtp_server.free_port()))
    assert result['preflight']['failed_step'] == 'connect'
    assert pingone.methods() == ['GET']


def test_check_mode_without_password_skips_auth_with_one_warning_text(pingone, server, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    result = succeed(options(server, password=None), check_mode=True)
    assert result['changed'] is True and result['preflight'] is None
    skipped = [warning for warning in warnings if warning.startswith('SMTP preflight (auth) skipped')]
    # The same text for every environment: Ansible shows it once per run.
    assert skipped == ['SMTP preflight (auth) skipped: check mode without the SMTP password; the run that writes '
                       'needs the password and runs the preflight']
    assert pingone.methods() == ['GET']


def test_auth_without_password_fails_naming_it(pingone, server):
    pingone.stored = dict(STORED_BODY, host='127.0.0.1', port=server.port, username='mailer',
                          **{'from': {'address': 'noreply@example.com'}})
    result = fail(options(server, password=None, preflight_always=True))
    assert result['msg'] == ('Cannot run the SMTP preflight: preflight=auth needs password (use preflight=connect to '
                             'test without logging in); nothing was written to PingOne')
    assert pingone.methods() == ['GET']


def test_test_message_is_sent_when_asked(pingone, server):
    before = len(server.mailbox)
    result = succeed(options(server, preflight_send_to='ops@example.com'))
    assert result['preflight']['steps'][-2]['step'] == 'send'
    assert [message['rcpt_tos'] for message in server.mailbox[before:]] == [['ops@example.com']]


@pytest.mark.parametrize('overrides, problem', [
    (dict(preflight_timeout=0), 'preflight_timeout must be more than 0'),
    (dict(preflight='none', preflight_send_to='ops@example.com'), 'preflight_send_to needs preflight=connect'),
    (dict(preflight_send_to='ops'), 'preflight_send_to must be an email address'),
])
def test_bad_preflight_options_fail_before_any_request(pingone, server, overrides, problem):
    assert problem in fail(options(server, **overrides))['msg']
    assert pingone.calls == []


def test_info_preflight_connect_tests_what_each_environment_holds(pingone, server, monkeypatch):
    from ansible_collections.pingone.platform.plugins.modules import pingone_smtp_info
    from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import CONNECTION
    from ansible_collections.pingone.platform.tests.unit.module_args import AnsibleExitJson, call_main, patch_module_args

    def info(**args):
        with patch_module_args(dict(CONNECTION, environment_ids=[ENVIRONMENT_ID], **args)):
            with pytest.raises(AnsibleExitJson) as exited:
                call_main(pingone_smtp_info.main)
        return exited.value.args[0]['environments'][0]

    assert 'preflight' not in info()
    assert info(preflight='connect')['preflight'] is None  # no SMTP server: nothing to test
    pingone.stored = dict(STORED_BODY, host='127.0.0.1', port=server.port, username='mailer')
    assert info(preflight='connect', preflight_ca_path=server.ca_path)['preflight']['failed_step'] == 'address'
    reachable = info(preflight='connect', preflight_ca_path=server.ca_path, preflight_allow_private=True)['preflight']
    assert reachable['passed'] and reachable['level'] == 'connect' and reachable['banner'].startswith('220 ')
    pingone.stored['port'] = smtp_server.free_port()
    unreachable = info(preflight='connect', preflight_ca_path=server.ca_path, preflight_timeout=2,
                       preflight_allow_private=True)['preflight']
    assert unreachable['failed_step'] == 'connect'
    assert set(pingone.methods()) == {'GET'}


def test_a_private_address_fails_at_address_with_no_write_unless_allowed(pingone, server):
    result = fail(options(server, preflight_allow_private=False))
    assert result['preflight']['failed_step'] == 'address' and '127.0.0.1 resolves to 127.0.0.1' in result['msg']
    assert [step['step'] for step in result['preflight']['steps']] == ['dns', 'address']
    assert pingone.methods() == ['GET'] and result['written'] is False
