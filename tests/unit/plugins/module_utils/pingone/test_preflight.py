# -*- coding: utf-8 -*-
"""The SMTP preflight: its pure decisions, and its conversation with real SMTP servers on 127.0.0.x (aiosmtpd)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import random
import socket
import ssl
import sys

import pytest

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.pingone.platform.plugins.module_utils.pingone import preflight, preflight_session, reachability

sys.path.insert(0, os.path.join(os.path.dirname(__file__), *(['..'] * 5 + ['tools'])))
import smtp_server  # noqa: E402  (tools/smtp_server.py, the collection's test SMTP server)

pytestmark = pytest.mark.filterwarnings('ignore:Requiring AUTH while not requiring TLS')
PASSWORD = 'Preflight-Unit-Secret-7'
USERS = {'mailer': PASSWORD}


# ---- pure parts ----

@pytest.mark.parametrize('port, mode', [(587, 'starttls'), (2525, 'starttls'), (25, 'implicit'),
                                        (465, 'implicit'), (2465, 'implicit'), (26, 'implicit')])
def test_pingone_port_rule_picks_the_tls_mode(port, mode):
    assert preflight.tls_mode(port) == mode


@pytest.mark.parametrize('level, will_write, always, runs', [
    ('none', True, True, False), (None, True, False, False),
    ('connect', True, False, True), ('auth', False, False, False), ('auth', False, True, True)])
def test_runs_only_when_the_task_writes_or_always(level, will_write, always, runs):
    assert preflight.should_run(level, will_write, always) is runs


def test_validate_names_each_bad_option():
    problems = preflight.validate(dict(preflight='none', preflight_timeout=0, preflight_send_to='nobody',
                                       preflight_ca_path='/ca.pem', preflight_always=True))
    assert problems == ['preflight_timeout must be more than 0 and at most 300 seconds, got 0',
                        "preflight_send_to must be an email address, got 'nobody'",
                        'preflight_send_to needs preflight=connect or preflight=auth',
                        'preflight_always needs preflight=connect or preflight=auth']
    assert preflight.validate(dict(preflight='auth', preflight_timeout=10, preflight_send_to='ops@example.com')) == []
    assert preflight.validate(dict(preflight='connect', state='absent')) == [
        'preflight=connect cannot be used with state=absent: there is no SMTP server to test']


def test_auth_needs_username_and_password_connect_does_not():
    settings = dict(host='smtp.example.com', port=587)
    assert preflight.settings_problems('auth', settings, None, None) == [
        'preflight=auth needs username',
        'preflight=auth needs password (use preflight=connect to test without logging in)']
    assert preflight.settings_problems('connect', settings, None, 'ops@example.com') == [
        'preflight_send_to needs from_address (the test message is sent from it)']
    assert preflight.settings_problems('connect', settings, None, None) == []


def test_mask_replaces_the_secret_everywhere():
    result = remove_values(dict(message='rejected s3cret', steps=[dict(detail='x s3cret y')], ms=3), {'s3cret'})
    assert result == dict(message='rejected ********', steps=[dict(detail='x ******** y')], ms=3)


def test_certificate_errors_say_mismatch_or_untrusted_issuer():
    mismatch = ssl.SSLCertVerificationError()
    mismatch.verify_message = "IP address mismatch, certificate is not valid for '127.0.0.1'."
    assert preflight.describe_certificate_error(mismatch, '127.0.0.1', None, ['DNS:other.example.com']).startswith(
        "the server's certificate is not valid for '127.0.0.1': name mismatch (it is issued for DNS:other.example.com)")
    untrusted = ssl.SSLCertVerificationError()
    untrusted.verify_message = 'unable to get local issuer certificate'
    message = preflight.describe_certificate_error(untrusted, 'smtp.example.com', '/etc/ca.pem')
    assert 'untrusted issuer (unable to get local issuer certificate), checked against the CA in preflight_ca_path (/etc/ca.pem)' in message


# ---- against real servers ----

@pytest.fixture(scope='module')
def servers(tmp_path_factory):
    """One server of each shape. STARTTLS-port servers get an address of their own in 127/8, so parallel runs
    (and other tests) do not collide on the port; 587 needs root, 2525 does not."""
    directory = str(tmp_path_factory.mktemp('smtp'))
    ca = smtp_server.TestCA(directory)
    other_ca = smtp_server.TestCA(directory, 'other-ca.pem')
    starttls_port = 587 if os.geteuid() == 0 else 2525
    rng = random.Random()

    def loopback():
        return '127.%d.%d.%d' % (rng.randint(1, 254), rng.randint(1, 254), rng.randint(2, 254))

    shapes = dict(
        implicit=dict(ca=ca, tls='implicit', users=USERS),
        starttls=dict(ca=ca, tls='starttls', address=loopback(), port=starttls_port, users=USERS),
        plain_smtp_port=dict(ca=ca, tls='none', address=loopback(), port=starttls_port),
        plain=dict(ca=ca, tls='none'),
        untrusted=dict(ca=other_ca, tls='implicit', users=USERS),
        other_name=dict(ca=ca, tls='implicit', users=USERS, cert_names=('other.example.com',)),
        implicit_on_smtp_port=dict(ca=ca, tls='implicit', address=loopback(), port=starttls_port),
    )
    started = dict((name, smtp_server.SmtpServer(directory, **shape).start()) for name, shape in shapes.items())
    started['ca_path'] = ca.ca_path
    yield started
    for name, server in started.items():
        if name != 'ca_path':
            server.stop()


def settings_of(server, **overrides):
    settings = dict(host=server.address, port=server.port, username='mailer', from_address='noreply@example.com')
    settings.update(overrides)
    return settings


def run_on_loopback(settings, level, *args, **kwargs):
    """preflight.run for the test servers, which listen on 127/8: an address PingOne could not reach."""
    return preflight_session.run(settings, level, *args, allow_private=True, **kwargs)


def steps(result):
    return [(step['step'], step['ok']) for step in result['steps']]


def test_implicit_tls_with_good_credentials_passes(servers):
    result = run_on_loopback(settings_of(servers['implicit']), 'auth', PASSWORD, ca_path=servers['ca_path'])
    assert result['passed'], result['message']
    assert steps(result) == [('dns', True), ('address', True), ('connect', True), ('tls', True), ('certificate', True),
                             ('greeting', True), ('ehlo', True), ('auth', True), ('quit', True)]
    assert result['tls_mode'] == 'implicit'
    assert result['banner'].startswith('220 smtp.test')
    assert result['tls_version'] in ('TLSv1.2', 'TLSv1.3')
    assert 'pingone.platform SMTP test CA' not in result['certificate_subject']  # the server's, not the CA's
    assert all(isinstance(step['ms'], int) for step in result['steps'])
    assert PASSWORD not in repr(result)


def test_starttls_port_uses_starttls_and_logs_in(servers):
    result = run_on_loopback(settings_of(servers['starttls']), 'auth', PASSWORD, ca_path=servers['ca_path'])
    assert result['passed'], result['message']
    assert steps(result) == [('dns', True), ('address', True), ('connect', True), ('greeting', True), ('tls', True), ('certificate', True),
                             ('ehlo', True), ('auth', True), ('quit', True)]
    assert result['tls_mode'] == 'starttls'
    assert result['steps'][4]['detail'].startswith('STARTTLS: TLSv1')


def test_wrong_password_fails_at_auth_with_the_servers_reply(servers):
    wrong = 'Wrong-Unit-Secret-8'
    result = run_on_loopback(settings_of(servers['starttls']), 'auth', wrong, ca_path=servers['ca_path'])
    assert result['failed_step'] == 'auth'
    assert "AUTH PLAIN rejected for user 'mailer': 535 5.7.8 Authentication credentials invalid" in result['message']
    assert wrong not in repr(result)


def test_connect_level_does_not_log_in(servers):
    result = run_on_loopback(settings_of(servers['implicit']), 'connect', ca_path=servers['ca_path'])
    assert result['passed'], result['message']
    assert 'auth' not in [step['step'] for step in result['steps']]


def test_smtp_port_without_starttls_fails_at_tls(servers):
    result = run_on_loopback(settings_of(servers['plain_smtp_port']), 'connect', ca_path=servers['ca_path'])
    assert result['failed_step'] == 'tls'
    assert 'STARTTLS not offered: PingOne requires STARTTLS on port %d' % servers['plain_smtp_port'].port in result['message']


def test_smtps_port_on_a_plain_server_fails_at_tls_with_a_hint(servers):
    result = run_on_loopback(settings_of(servers['plain']), 'connect', ca_path=servers['ca_path'])
    assert result['failed_step'] == 'tls'
    assert 'TLS handshake failed' in result['message'] and 'if the server expects STARTTLS there' in result['message']


def test_untrusted_certificate_fails_at_certificate(servers):
    result = run_on_loopback(settings_of(servers['untrusted']), 'auth', PASSWORD, ca_path=servers['ca_path'])
    assert result['failed_step'] == 'certificate'
    assert 'untrusted issuer' in result['message'] and servers['ca_path'] in result['message']
    system = run_on_loopback(settings_of(servers['implicit']), 'auth', PASSWORD)
    assert system['failed_step'] == 'certificate'
    assert 'checked against the system trust store of the controller' in system['message']
    assert 'auth' not in [step['step'] for step in system['steps']], 'no password is sent to an unverified server'


def test_certificate_for_another_name_fails_at_certificate(servers):
    result = run_on_loopback(settings_of(servers['other_name']), 'auth', PASSWORD, ca_path=servers['ca_path'])
    assert result['failed_step'] == 'certificate'
    assert ("not valid for '127.0.0.1': name mismatch (it is issued for DNS:other.example.com)"
            in result['message'])


def test_a_hostname_is_checked_against_the_certificate(servers):
    result = run_on_loopback(settings_of(servers['implicit'], host='localhost'), 'auth', PASSWORD, ca_path=servers['ca_path'])
    assert result['passed'], result['message']
    assert '127.0.0.1' in result['steps'][0]['detail'].split(', ')


def test_closed_port_fails_at_connect():
    result = run_on_loopback(dict(host='127.0.0.1', port=smtp_server.free_port()), 'connect')
    assert result['failed_step'] == 'connect'
    assert 'connection refused: nothing listens on port' in result['message']


def test_unresolvable_host_fails_at_dns():
    result = preflight_session.run(dict(host='smtp.nonexistent.invalid', port=465), 'connect')
    assert steps(result) == [('dns', False)]
    assert 'cannot resolve smtp.nonexistent.invalid' in result['message']


def test_silent_server_times_out_at_the_greeting(servers):
    # A server that accepts the connection and never greets (as an SMTPS-only server on an SMTP port may do).
    address = servers['plain_smtp_port'].address
    with socket.socket() as silent:
        silent.bind((address, 2525))
        silent.listen(1)
        result = run_on_loopback(dict(host=address, port=2525), 'connect', timeout=1)
    assert result['failed_step'] == 'greeting'
    assert 'no answer within 1 s' in result['message']
    assert 900 <= result['steps'][-1]['ms'] < 3000


def test_smtps_server_on_an_smtp_port_fails_at_the_greeting(servers):
    result = run_on_loopback(settings_of(servers['implicit_on_smtp_port']), 'connect', timeout=2)
    assert result['failed_step'] == 'greeting'


def test_test_message_arrives_from_the_sender(servers):
    server = servers['implicit']
    before = len(server.mailbox)
    result = run_on_loopback(settings_of(server), 'auth', PASSWORD, send_to='ops@example.com', ca_path=servers['ca_path'])
    assert result['passed'], result['message']
    assert [step['step'] for step in result['steps']][-2:] == ['send', 'quit']
    received = server.mailbox[before:]
    assert len(received) == 1
    assert received[0]['mail_from'] == 'noreply@example.com' and received[0]['rcpt_tos'] == ['ops@example.com']
    assert received[0]['authenticated'] and 'Subject: PingOne SMTP preflight test' in received[0]['content']


def test_send_without_auth_is_refused_at_send(servers):
    result = run_on_loopback(settings_of(servers['implicit']), 'connect', send_to='ops@example.com', ca_path=servers['ca_path'])
    assert result['failed_step'] == 'send'
    assert 'the server refused mail from noreply@example.com: 530' in result['message']


def test_the_test_message_says_where_it_comes_from():
    message = preflight.preflight_message('noreply@example.com', 'ops@example.com', 'smtp.example.com', 587)
    assert (message['From'], message['To'], message['Subject']) == (
        'noreply@example.com', 'ops@example.com', 'PingOne SMTP preflight test')
    assert 'through smtp.example.com:587, from the Ansible controller' in message.get_content()


# ---- the address step: PingOne connects from the internet (pingone-api.md section 0) ----

@pytest.mark.parametrize('address', ['10.1.2.3', '172.16.0.9', '192.168.1.1', '127.0.0.1', '169.254.1.1',
                                     '100.64.0.1', '0.0.0.0', '224.0.0.1', '240.0.0.1', '::1', 'fe80::1%eth0',
                                     'fc00::1', 'ff02::1'])
def test_an_address_pingone_cannot_reach_is_refused_naming_host_and_address(address):
    problem = reachability.address_problem('smtp.example.com', [address], allow_private=False)
    assert problem.startswith('smtp.example.com resolves to %s, which PingOne cannot reach' % address)
    assert 'preflight_allow_private' in problem


@pytest.mark.parametrize('addresses', [['8.8.8.8'], ['2001:4860:4860::8888', '1.1.1.1']])
def test_a_globally_routable_address_passes(addresses):
    assert reachability.address_problem('smtp.example.com', addresses, allow_private=False) is None


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    assert '10.0.0.5' in reachability.address_problem('smtp.example.com', ['8.8.8.8', '10.0.0.5'], allow_private=False)


def test_allow_private_lets_any_address_through():
    assert reachability.address_problem('smtp.example.com', ['10.0.0.5', '127.0.0.1'], allow_private=True) is None


@pytest.mark.parametrize('host', ['127.0.0.1', '10.20.30.40', '169.254.169.254'])
def test_private_host_fails_at_address_fast_before_any_connection(host):
    result = preflight_session.run(dict(host=host, port=465), 'connect', timeout=10)
    assert steps(result) == [('dns', True), ('address', False)]
    assert result['failed_step'] == 'address' and host in result['message']
    assert result['ms'] < 1000


def test_a_name_resolving_to_loopback_fails_at_address():
    result = preflight_session.run(dict(host='localhost', port=465), 'connect', timeout=10)
    assert result['failed_step'] == 'address' and 'localhost resolves to' in result['message']


def test_allowed_private_address_goes_on_to_connect():
    result = preflight_session.run(dict(host='127.0.0.1', port=smtp_server.free_port()), 'connect', allow_private=True)
    assert steps(result)[:3] == [('dns', True), ('address', True), ('connect', False)]
    assert 'allowed by preflight_allow_private' in result['steps'][1]['detail']
