# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SMTP preflight's I/O: resolve, connect, TLS, EHLO, AUTH, an optional test message (see preflight.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import smtplib
import socket
import ssl
import threading
import time

from ansible_collections.pingone.platform.plugins.module_utils.pingone import reachability
from ansible_collections.pingone.platform.plugins.module_utils.pingone.preflight import (
    AUTH_MECHANISMS, DEFAULT_TIMEOUT, CertificateRejected, Report, StepFailed, certificate_names, certificate_subject,
    describe_certificate_error, preflight_message, tls_mode)


def _session_over(connected_socket, timeout):
    """smtplib over a socket this module already connected (and, for SMTPS, wrapped in TLS): an SMTP() made without
    a host connects nothing, and its commands talk over its `sock`."""
    # An explicit EHLO name: smtplib's default (socket.getfqdn) can wait on a reverse DNS lookup.
    session = smtplib.SMTP(local_hostname=socket.gethostname() or 'localhost', timeout=timeout)
    session.sock = connected_socket
    return session


def _start_tls(session, context, host):
    """STARTTLS as smtplib's starttls() does it, with the certificate checked against host (starttls() takes the
    name from connect(), which this module does not call: it connects itself, to each address in turn)."""
    code, reply = session.docmd('STARTTLS')
    if code != 220:
        raise smtplib.SMTPResponseException(code, reply)
    session.sock = context.wrap_socket(session.sock, server_hostname=host)
    # What starttls() forgets too: the reader of the plain socket and what EHLO offered before TLS.
    session.file = None
    session.helo_resp = session.ehlo_resp = None
    session.esmtp_features = {}
    session.does_esmtp = False


def resolve(host, port, timeout):
    """The addresses of host, in the resolver's order (an IP address is taken as is); bounded by timeout."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    answer = {}

    def lookup():
        try:
            answer['addresses'] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except OSError as error:
            answer['error'] = error

    resolver = threading.Thread(target=lookup)
    resolver.daemon = True
    resolver.start()
    resolver.join(timeout)
    if resolver.is_alive():
        raise StepFailed('cannot resolve %s: no answer within %s s' % (host, timeout))
    if 'error' in answer:
        error = answer['error']
        raise StepFailed('cannot resolve %s: %s' % (host, getattr(error, 'strerror', None) or error))
    addresses = []
    for entry in answer['addresses']:
        if entry[4][0] not in addresses:
            addresses.append(entry[4][0])
    return addresses


def tls_context(ca_path):
    """Verifies the chain and the name; trusts only preflight_ca_path when given, else the system store."""
    context = ssl.create_default_context(cafile=ca_path) if ca_path else ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def run(settings, level, password=None, send_to=None, ca_path=None, timeout=DEFAULT_TIMEOUT, allow_private=False):
    """Preflight the SMTP server of settings (host, port, username, from_address); the result as a dict.

    Never raises for a failing server: the result says which step failed and why. The password is never in it.
    """
    host, port = settings['host'], settings['port']
    report = Report(level, host, port, timeout)
    sessions = []
    try:
        addresses = report.step('dns', lambda: _resolved(settings['host'], settings['port'], timeout))
        report.step('address', lambda: _checked_address(settings['host'], addresses, allow_private))
        _converse(report, sessions, settings, addresses, level, password, send_to, ca_path, timeout)
    except StepFailed:
        pass
    finally:
        for session in sessions:
            session.close()
    return report.result([password])


def _converse(report, sessions, settings, addresses, level, password, send_to, ca_path, timeout):
    host, port = settings['host'], settings['port']
    session = _open(report, host, addresses, port, tls_context(ca_path), ca_path, timeout, sessions)
    report.step('ehlo', lambda: _ehlo(session))
    if level == 'auth':
        report.step('auth', lambda: _login(session, settings['username'], password))
    if send_to:
        report.step('send', lambda: _send(session, settings['from_address'], send_to, host, port))
    report.step('quit', lambda: _quit(session))


def _checked_address(host, addresses, allow_private):
    problem = reachability.address_problem(host, addresses, allow_private)
    if problem:
        raise StepFailed(problem)
    if all(reachability.is_internet_address(address) for address in addresses):
        return None, 'globally routable'
    return None, 'not globally routable, allowed by preflight_allow_private'


def _resolved(host, port, timeout):
    addresses = resolve(host, port, timeout)
    return addresses, ', '.join(addresses)


def _open(report, host, addresses, port, context, ca_path, timeout, sessions):
    """Connect, talk TLS the way PingOne does for this port, verify the certificate; the smtplib session."""
    peer = {}

    def connect():
        errors = []
        for address in addresses:  # in the resolver's order, as a mail client does; the last error tells why not
            try:
                connected = socket.create_connection((address, port), timeout)
            except OSError as error:
                errors.append(error)
                continue
            peer['address'] = address
            return connected, 'connected to %s:%d' % (address, port)
        raise errors[-1]

    def greeting(connected):
        session = _session_over(connected, timeout)
        sessions.append(session)
        code, banner = session.getreply()
        banner = banner.decode('utf-8', 'replace')
        report.facts['banner'] = '%d %s' % (code, banner)
        if code != 220:
            raise StepFailed('the server greeted with %d %s instead of 220' % (code, banner))
        return session, '%d %s' % (code, banner)

    def handshake(action):
        started = time.monotonic()
        try:
            return report.step('tls', action)
        except CertificateRejected as rejected:
            names = _certificate_names(host, peer['address'], port, ca_path, timeout)
            report.record('certificate', started, False, describe_certificate_error(rejected.error, host, ca_path, names))
            raise StepFailed(report.steps[-1]['detail'])

    connected = report.step('connect', connect)
    sessions.append(connected)
    if tls_mode(port) == 'implicit':
        wrapped = handshake(lambda: _wrap(context, connected, host))
        _certificate_ok(report, wrapped)
        session = report.step('greeting', lambda: greeting(wrapped))
    else:
        session = report.step('greeting', lambda: greeting(connected))
        handshake(lambda: _starttls(session, context, host, port))
        _certificate_ok(report, session.sock)
    return session


def _wrap(context, connected, host):
    try:
        wrapped = context.wrap_socket(connected, server_hostname=host)
    except ssl.SSLCertVerificationError as error:
        raise CertificateRejected(error)
    return wrapped, 'implicit TLS: %s, %s' % (wrapped.version(), wrapped.cipher()[0])


def _starttls(session, context, host, port):
    code, reply = session.ehlo()
    if code != 250:
        raise StepFailed('EHLO answered %d %s' % (code, reply.decode('utf-8', 'replace')))
    if not session.has_extn('starttls'):
        offered = ', '.join(sorted(name.upper() for name in session.esmtp_features)) or 'nothing'
        raise StepFailed('STARTTLS not offered: PingOne requires STARTTLS on port %d (an SMTP port) and the server '
                         'offers %s; use a port where the server speaks TLS' % (port, offered))
    try:
        _start_tls(session, context, host)
    except ssl.SSLCertVerificationError as error:
        raise CertificateRejected(error)
    return None, 'STARTTLS: %s, %s' % (session.sock.version(), session.sock.cipher()[0])


def _certificate_ok(report, tls_socket):
    peer = tls_socket.getpeercert() or {}
    report.facts['tls_version'] = tls_socket.version()
    report.facts['certificate_subject'] = certificate_subject(peer)
    report.steps.append(dict(step='certificate', ok=True, ms=0,
                             detail='trusted, valid for %s (%s; expires %s)'
                             % (report.host, ', '.join(certificate_names(peer)) or report.facts['certificate_subject'],
                                peer.get('notAfter'))))


def _certificate_names(host, address, port, ca_path, timeout):
    """The names the server's certificate holds: a second connection that checks the chain but not the name."""
    context = tls_context(ca_path)
    context.check_hostname = False
    sessions = []
    try:
        connected = socket.create_connection((address, port), timeout)
        sessions.append(connected)
        if tls_mode(port) == 'implicit':
            wrapped = context.wrap_socket(connected, server_hostname=host)
            peer = wrapped.getpeercert()
            wrapped.close()
        else:
            session = _session_over(connected, timeout)
            sessions.append(session)
            session.getreply()
            session.ehlo()
            _start_tls(session, context, host)
            peer = session.sock.getpeercert()
        return certificate_names(peer) or [certificate_subject(peer)]
    except (OSError, smtplib.SMTPException):
        return None  # the chain is untrusted too, or the server is gone: the first error says enough
    finally:
        for session in sessions:
            session.close()


def _ehlo(session):
    code, reply = session.ehlo()
    if code != 250:
        raise StepFailed('EHLO answered %d %s' % (code, reply.decode('utf-8', 'replace')))
    return None, 'offers %s' % (', '.join(sorted(name.upper() for name in session.esmtp_features)) or 'no extensions')


def _login(session, username, password):
    if not session.has_extn('auth'):
        raise StepFailed('the server does not offer AUTH, so it cannot check the username and password PingOne will '
                         'send')
    offered = session.esmtp_features['auth'].upper().split()
    mechanism = next((name for name in AUTH_MECHANISMS if name in offered), None)
    if mechanism is None:
        raise StepFailed('the server offers AUTH %s, neither PLAIN nor LOGIN' % ' '.join(offered))
    session.user, session.password = username, password
    try:
        code, reply = session.auth(mechanism, getattr(session, 'auth_' + mechanism.lower()))
    except smtplib.SMTPAuthenticationError as error:
        raise StepFailed('AUTH %s rejected for user %r: %d %s' % (
            mechanism, username, error.smtp_code, error.smtp_error.decode('utf-8', 'replace')))
    finally:
        session.password = None
    return None, 'AUTH %s accepted for user %r: %d %s' % (mechanism, username, code, reply.decode('utf-8', 'replace'))


def _send(session, from_address, send_to, host, port):
    message = preflight_message(from_address, send_to, host, port)
    try:
        session.sendmail(from_address, [send_to], message.as_bytes())
    except smtplib.SMTPSenderRefused as error:
        raise StepFailed('the server refused mail from %s: %d %s' % (
            from_address, error.smtp_code, error.smtp_error.decode('utf-8', 'replace')))
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = error.recipients[send_to]
        raise StepFailed('relaying refused: the server will not take mail from %s to %s: %d %s' % (
            from_address, send_to, code, reply.decode('utf-8', 'replace')))
    return None, 'test message from %s to %s accepted' % (from_address, send_to)


def _quit(session):
    try:
        code, reply = session.quit()
    except (OSError, smtplib.SMTPException) as error:
        # Everything that matters has passed; a server that hangs up without answering QUIT is no reason to stop.
        return None, 'no answer to QUIT (%s); ignored' % type(error).__name__
    return None, '%d %s' % (code, reply.decode('utf-8', 'replace'))
