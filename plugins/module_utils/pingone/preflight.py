# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SMTP preflight: talk to the SMTP server the way PingOne will, before PingOne is pointed at it.

PingOne stores SMTP settings without testing them (pingone-api.md section 0: "Saving does not test anything"), so a
wrong host, port, TLS mode or password silently breaks every email of the environment. The preflight proves, from
the Ansible controller, that the server answers, speaks TLS the way PingOne will for that port, has a certificate
PingOne can trust, and (level auth) accepts the credentials.

The pure parts (which TLS mode for which port, when to run, the wording) come first and are unit-tested without a
server; run() is the only I/O (Python's smtplib, ssl and socket).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import ipaddress
import smtplib
import socket
import ssl
import threading
import time
from email.message import EmailMessage

from ansible.module_utils.common.parameters import remove_values

LEVELS = ('none', 'connect', 'auth')
DEFAULT_TIMEOUT = 10
# pingone-api.md section 0: PingOne speaks SMTP with STARTTLS on ports 25, 587 and 2525, and SMTPS (implicit TLS)
# on every other port.
STARTTLS_PORTS = (25, 587, 2525)
# What PingOne logs in with, as far as the console docs say: a user name and password (AUTH PLAIN or LOGIN).
AUTH_MECHANISMS = ('PLAIN', 'LOGIN')
MASK = '********'
CONTROLLER_NOTE = ('The preflight ran from the Ansible controller, not from PingOne\'s network: '
                   'a firewall can treat the two differently.')


def tls_mode(port):
    """'starttls' or 'implicit': how PingOne talks TLS to an SMTP server on this port."""
    return 'starttls' if port in STARTTLS_PORTS else 'implicit'


def describe_mode(port):
    return 'SMTP with STARTTLS' if tls_mode(port) == 'starttls' else 'SMTPS (implicit TLS)'


def should_run(level, will_write, always):
    """Run only when the task writes (check mode: would write), or when asked to run every time."""
    return level not in (None, 'none') and (will_write or always)


def validate(params):
    """Messages for invalid preflight options, each naming its option; found before any request."""
    problems = []
    level = params.get('preflight') or 'none'
    timeout = params.get('preflight_timeout')
    if timeout is not None and not 0 < timeout <= 300:
        problems.append('preflight_timeout must be more than 0 and at most 300 seconds, got %r' % timeout)
    send_to = params.get('preflight_send_to')
    if send_to is not None and ('@' not in send_to or any(char.isspace() for char in send_to)):
        problems.append('preflight_send_to must be an email address, got %r' % send_to)
    if level == 'none':
        if send_to is not None:
            problems.append('preflight_send_to needs preflight=connect or preflight=auth')
        if params.get('preflight_always'):
            problems.append('preflight_always needs preflight=connect or preflight=auth')
    elif params.get('state') == 'absent':
        problems.append('preflight=%s cannot be used with state=absent: there is no SMTP server to test' % level)
    return problems


def settings_problems(level, settings, password, send_to):
    """What the settings lack for this preflight level: the preflight needs what the task will write."""
    problems = []
    if not settings.get('host'):
        problems.append('no SMTP host is set or given')
    if level == 'auth':
        if not settings.get('username'):
            problems.append('preflight=auth needs username')
        if not password:
            problems.append('preflight=auth needs password (use preflight=connect to test without logging in)')
    if send_to and not settings.get('from_address'):
        problems.append('preflight_send_to needs from_address (the test message is sent from it)')
    return problems


def certificate_subject(peer_certificate):
    """'CN=smtp.example.com, O=Example' from ssl's getpeercert() dict."""
    parts = []
    for rdn in peer_certificate.get('subject', ()):
        for name, value in rdn:
            parts.append('%s=%s' % ({'commonName': 'CN', 'organizationName': 'O', 'organizationalUnitName': 'OU',
                                     'countryName': 'C'}.get(name, name), value))
    return ', '.join(parts)


def certificate_names(peer_certificate):
    return ['%s:%s' % ('IP' if kind == 'IP Address' else kind, value)
            for kind, value in peer_certificate.get('subjectAltName', ())]


def describe_certificate_error(error, host, ca_path, names=None):
    """Why the server's certificate fails: the name mismatch (with the names it holds) or the untrusted issuer."""
    reason = getattr(error, 'verify_message', None) or str(error)
    if 'mismatch' in reason.lower():
        held = ' (it is issued for %s)' % ', '.join(names) if names else ''
        return ('the server\'s certificate is not valid for %r: name mismatch%s; set host to a name the certificate '
                'holds, since PingOne checks the name as well' % (host, held))
    trusted = 'the CA in preflight_ca_path (%s)' % ca_path if ca_path else 'the system trust store of the controller'
    return ('the server\'s certificate is not trusted: untrusted issuer (%s), checked against %s; PingOne trusts '
            'public CAs only, so the server needs a certificate from one (test a private CA with preflight_ca_path)'
            % (reason, trusted))


def describe_error(step, error, port, timeout):
    """A readable reason for an exception of a step; the SMTP reply code and text where the server sent one."""
    if isinstance(error, socket.timeout):
        return 'no answer within %s s' % timeout
    if isinstance(error, ConnectionRefusedError):
        return 'connection refused: nothing listens on port %d, or a firewall rejects the connection' % port
    if isinstance(error, smtplib.SMTPServerDisconnected):
        if str(error).endswith('timed out'):  # smtplib turns a read timeout into a disconnect
            return 'no answer within %s s' % timeout
        return 'the server closed the connection (%s)' % (error or 'no reason given')
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode('utf-8', 'replace') if isinstance(error.smtp_error, bytes) else error.smtp_error
        return 'the server answered %d %s' % (error.smtp_code, text)
    if isinstance(error, ssl.SSLError):
        hint = ''
        if step == 'tls' and tls_mode(port) == 'implicit':
            hint = ('; PingOne talks implicit TLS (SMTPS) on port %d: if the server expects STARTTLS there, use port '
                    '587 (or 25, 2525)' % port)
        return 'TLS handshake failed: %s%s' % (error.reason or error, hint)
    return '%s: %s' % (type(error).__name__, error)


def failure_message(result):
    step = result['failed_step']
    detail = result['steps'][-1]['detail'] if result['steps'] else ''
    return ('SMTP preflight failed at step %s (%s:%s, %s): %s. %s'
            % (step, result['host'], result['port'], describe_mode(result['port']), detail, CONTROLLER_NOTE))


def preflight_message(from_address, send_to, host, port):
    message = EmailMessage()
    message['From'] = from_address
    message['To'] = send_to
    message['Subject'] = 'PingOne SMTP preflight test'
    message['Date'] = email.utils.formatdate()
    message['Message-ID'] = email.utils.make_msgid(domain='pingone-preflight.invalid')
    message.set_content('The SMTP preflight of the pingone.platform Ansible collection sent this message through '
                        '%s:%s, from the Ansible controller, to prove that the server accepts mail from %s.\n'
                        'PingOne itself sent nothing.\n' % (host, port, from_address))
    return message


class StepFailed(Exception):
    """A step failed; its reason is already recorded."""


class CertificateRejected(Exception):
    """The TLS handshake stopped at the server's certificate: a failure of the step `certificate`, not `tls`."""

    def __init__(self, error):
        Exception.__init__(self, str(error))
        self.error = error


class Report:
    """The steps of one preflight, in order, each with its outcome and duration; the server's banner and TLS facts."""

    def __init__(self, level, host, port, timeout):
        self.level = level
        self.host = host
        self.port = port
        self.timeout = timeout
        self.steps = []
        self.facts = dict(banner=None, tls_version=None, certificate_subject=None)

    def step(self, name, action):
        """Run action() as step `name`; it returns (value, detail) or raises. Returns value."""
        started = time.monotonic()
        try:
            value, detail = action()
        except StepFailed as failure:
            self.record(name, started, False, str(failure))
            raise
        except (OSError, smtplib.SMTPException) as error:  # socket and ssl errors are OSErrors
            self.record(name, started, False, describe_error(name, error, self.port, self.timeout))
            raise StepFailed(self.steps[-1]['detail'])
        self.record(name, started, True, detail)
        return value

    def record(self, name, started, ok, detail):
        self.steps.append(dict(step=name, ok=ok, ms=int(round((time.monotonic() - started) * 1000)), detail=detail))

    def result(self, secrets):
        failed = [step['step'] for step in self.steps if not step['ok']]
        result = dict(level=self.level, host=self.host, port=self.port, tls_mode=tls_mode(self.port),
                      passed=not failed, failed_step=failed[0] if failed else None, steps=self.steps,
                      ms=sum(step['ms'] for step in self.steps), **self.facts)
        result['message'] = failure_message(result) if failed else (
            'SMTP preflight (%s) passed: %s:%s, %s, in %d ms' % (self.level, self.host, self.port,
                                                                 describe_mode(self.port), result['ms']))
        return remove_values(result, set(secret for secret in secrets if secret))  # the one masker of every path


# ---- I/O below ----

class _Session(smtplib.SMTP):
    """smtplib over a socket this module already connected (and, for SMTPS, wrapped in TLS)."""

    def __init__(self, connected_socket, host, timeout):
        self._connected_socket = connected_socket
        # An explicit EHLO name: smtplib's default (socket.getfqdn) can wait on a reverse DNS lookup.
        smtplib.SMTP.__init__(self, local_hostname=socket.gethostname() or 'localhost', timeout=timeout)
        # starttls() checks the certificate against _host, which only the constructor sets (when it connects).
        self._host = host

    def _get_socket(self, host, port, timeout):
        return self._connected_socket


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


def run(settings, level, password=None, send_to=None, ca_path=None, timeout=DEFAULT_TIMEOUT):
    """Preflight the SMTP server of settings (host, port, username, from_address); the result as a dict.

    Never raises for a failing server: the result says which step failed and why. The password is never in it.
    """
    host, port = settings['host'], settings['port']
    report = Report(level, host, port, timeout)
    sessions = []
    try:
        _converse(report, sessions, settings, level, password, send_to, ca_path, timeout)
    except StepFailed:
        pass
    finally:
        for session in sessions:
            session.close()
    return report.result([password])


def _converse(report, sessions, settings, level, password, send_to, ca_path, timeout):
    host, port = settings['host'], settings['port']
    addresses = report.step('dns', lambda: _resolved(host, port, timeout))
    session = _open(report, host, addresses, port, tls_context(ca_path), ca_path, timeout, sessions)
    report.step('ehlo', lambda: _ehlo(session))
    if level == 'auth':
        report.step('auth', lambda: _login(session, settings['username'], password))
    if send_to:
        report.step('send', lambda: _send(session, settings['from_address'], send_to, host, port))
    report.step('quit', lambda: _quit(session))


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
        session = _Session(connected, host, timeout)
        sessions.append(session)
        code, banner = session.connect(host, port)
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
        handshake(lambda: _starttls(session, context, port))
        _certificate_ok(report, session.sock)
    return session


def _wrap(context, connected, host):
    try:
        wrapped = context.wrap_socket(connected, server_hostname=host)
    except ssl.SSLCertVerificationError as error:
        raise CertificateRejected(error)
    return wrapped, 'implicit TLS: %s, %s' % (wrapped.version(), wrapped.cipher()[0])


def _starttls(session, context, port):
    code, reply = session.ehlo()
    if code != 250:
        raise StepFailed('EHLO answered %d %s' % (code, reply.decode('utf-8', 'replace')))
    if not session.has_extn('starttls'):
        offered = ', '.join(sorted(name.upper() for name in session.esmtp_features)) or 'nothing'
        raise StepFailed('STARTTLS not offered: PingOne requires STARTTLS on port %d (an SMTP port) and the server '
                         'offers %s; use a port where the server speaks TLS' % (port, offered))
    try:
        session.starttls(context=context)
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
            session = _Session(connected, host, timeout)
            sessions.append(session)
            session.connect(host, port)
            session.ehlo()
            session.starttls(context=context)
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
