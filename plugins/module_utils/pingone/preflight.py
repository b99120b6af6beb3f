# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SMTP preflight: talk to the SMTP server the way PingOne will, before PingOne is pointed at it.

PingOne stores SMTP settings without testing them (pingone-api.md section 0: "Saving does not test anything"), so a
wrong host, port, TLS mode or password silently breaks every email of the environment. The preflight proves, from
the Ansible controller, that the server answers, speaks TLS the way PingOne will for that port, has a certificate
PingOne can trust, and (level auth) accepts the credentials.

This file holds the pure parts (which TLS mode for which port, when to run, the wording), unit-tested without a
server; preflight_session.py holds the I/O (Python's smtplib, ssl and socket) and run().
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage

from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import masked

LEVELS = ('none', 'connect', 'auth')
DEFAULT_TIMEOUT = 10
# The port rule, the one place the collection states it (pingone-api.md section 0). PingOne's console docs say SMTP
# with STARTTLS on 25, 587 and 2525 and SMTPS (implicit TLS) on every other port; the Terraform provider's acceptance
# tests, run against live PingOne (last in May 2026), assert protocol SMTPS for port 25. What the live API reports
# wins over the docs: 587 and 2525 are STARTTLS, 25 is SMTPS like every other port. The emulator's default
# (port25_protocol SMTPS) follows the same choice and has a switch for the documented one.
STARTTLS_PORTS = (587, 2525)
PORT_25_WARNING = ('port 25: many networks block outbound connections to it, and PingOne\'s docs (STARTTLS) and its '
                   'live API (SMTPS) disagree on how it talks TLS there; prefer 587 (STARTTLS) or 465 (SMTPS)')
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
                    '587 or 2525' % port)
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
        return masked(result, secrets)  # the one masker of every path
