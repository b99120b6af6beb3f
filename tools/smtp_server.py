#!/usr/bin/env python
"""A local SMTP server for the SMTP preflight's tests and the demo (aiosmtpd, certificates from trustme).

Shapes: implicit TLS (SMTPS), STARTTLS, or plain without STARTTLS; optionally AUTH that accepts one user.
Messages received are kept in `server.mailbox` and written to <directory>/mailbox/<n>.eml.

As a library (the tests):
    ca = TestCA(directory)                       # writes <directory>/ca.pem
    server = SmtpServer(directory, ca, tls='starttls', port=2525, users={'mailer': 'secret'}).start()
    ... server.port, server.mailbox ...
    server.stop()
As a script (the demo): writes <directory>/smtp.json (host, port, tls, ca_path, mailbox) and serves until stopped:
    python tools/smtp_server.py DIRECTORY --tls starttls --port 2525 --user mailer --password-env SMTP_PASSWORD
"""

import argparse
import json
import logging
import os
import signal
import socket
import ssl
import threading
import warnings

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

# aiosmtpd logs every session at INFO and warns on each implicit-TLS server with AUTH; keep test output readable.
logging.getLogger('mail.log').setLevel(logging.ERROR)
# Its warning about AUTH without STARTTLS does not apply to implicit TLS (see SmtpServer).
warnings.filterwarnings('ignore', 'Requiring AUTH while not requiring TLS')

TLS_SHAPES = ('implicit', 'starttls', 'none')


class TestCA:
    """A throwaway certificate authority; its certificate is written to <directory>/ca.pem."""

    def __init__(self, directory, name='ca.pem'):
        self.authority = trustme.CA(organization_name='pingone.platform SMTP test CA')
        self.ca_path = os.path.join(directory, name)
        os.makedirs(directory, exist_ok=True)
        self.authority.cert_pem.write_to_path(self.ca_path)

    def server_context(self, *names):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.authority.issue_cert(*names).configure_cert(context)
        return context


class _Mailbox:
    def __init__(self, directory):
        self.directory = directory
        self.messages = []
        os.makedirs(directory, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(dict(mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
                                  content=envelope.content.decode('utf-8', 'replace'),
                                  authenticated=bool(session.authenticated)))
        with open(os.path.join(self.directory, '%d.eml' % len(self.messages)), 'wb') as message:
            message.write(envelope.content)
        return '250 OK queued'


def _authenticator(users):
    def authenticate(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
        password = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
        return AuthResult(success=users.get(login) == password and login in users, handled=False)
    return authenticate


class SmtpServer:
    """One aiosmtpd server on address:port in a background thread.

    tls: 'implicit' (SMTPS), 'starttls' (STARTTLS offered and required before AUTH) or 'none' (no STARTTLS).
    cert_names: the names the server's certificate is issued for (default: the address and localhost).
    users: {login: password} accepted by AUTH (PLAIN and LOGIN); None for a server without AUTH.
    """

    def __init__(self, directory, ca, tls='implicit', address='127.0.0.1', port=None, cert_names=None, users=None):
        if tls not in TLS_SHAPES:
            raise ValueError('tls must be one of %s' % ', '.join(TLS_SHAPES))
        self.address = address
        self.port = port or free_port(address)
        self.tls = tls
        self.ca_path = ca.ca_path
        self.mailbox_dir = os.path.join(directory, 'mailbox')
        self._mailbox = _Mailbox(self.mailbox_dir)
        options = dict(hostname=address, port=self.port, server_hostname='smtp.test', ready_timeout=10)
        context = ca.server_context(*(cert_names or (address, 'localhost'))) if tls != 'none' else None
        if tls == 'implicit':
            # aiosmtpd counts only STARTTLS as TLS for AUTH; on an SMTPS port the whole session is TLS already.
            options.update(ssl_context=context, auth_require_tls=False)
        elif tls == 'starttls':
            options.update(tls_context=context, require_starttls=True)
        if users is not None:
            options.update(authenticator=_authenticator(users), auth_required=True)
        self._controller = Controller(self._mailbox, **options)

    @property
    def mailbox(self):
        return self._mailbox.messages

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def info(self):
        return dict(host=self.address, port=self.port, tls=self.tls, ca_path=self.ca_path, mailbox=self.mailbox_dir)


def free_port(address='127.0.0.1'):
    """A port nobody listens on now (aiosmtpd cannot bind port 0: its readiness probe connects to the port)."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('directory', help='where smtp.json, ca.pem and the mailbox are written')
    parser.add_argument('--tls', choices=TLS_SHAPES, default='starttls')
    parser.add_argument('--address', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument('--user', help='the one login AUTH accepts (no AUTH without it)')
    parser.add_argument('--password-env', default='SMTP_PASSWORD', help='environment variable that holds its password')
    args = parser.parse_args()
    users = {args.user: os.environ[args.password_env]} if args.user else None
    server = SmtpServer(args.directory, TestCA(args.directory), tls=args.tls, address=args.address,
                        port=args.port or None, users=users).start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    with open(os.path.join(args.directory, 'smtp.json.tmp'), 'w') as info:
        json.dump(server.info(), info)
    os.replace(os.path.join(args.directory, 'smtp.json.tmp'), os.path.join(args.directory, 'smtp.json'))
    stopped.wait()
    server.stop()


if __name__ == '__main__':
    main()
