# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token cache: one access token shared by every task of a run, in the controller state folder."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import glob
import hashlib
import hmac
import json
import os
import time

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state

# Tokens live an hour (pingone-api.md section 3); one is reused by every task of a run until shortly before expiry:
# a minute before, or a tenth of its life for short-lived tokens.
TOKEN_CACHE_KEY_FILE = 'cache.key'
TOKEN_RENEW_MARGIN_SECONDS = 60


class TokenCache:
    """An access token shared by the module runs of one set of client credentials, in a file only its owner reads.

    Every task of a rollout runs in a new process; without this each would ask PingOne for a new token.
    The file is named by the client id and token URL only, so its name says nothing of the secret; inside, a
    keyed hash of the secret (the key in a 0600 file of the cache directory) tells a changed secret apart
    without being open to a dictionary attack on a copied file. It also remembers which token endpoint auth
    method worked, so later tasks go straight to it.
    """

    def __init__(self, options, token_url):
        self.path = None
        self._secret = None
        if options and options.get('client_id') and options.get('client_secret'):
            self._secret = options['client_secret']
            name = hashlib.sha256('\n'.join((token_url, options['client_id'])).encode('utf-8')).hexdigest()
            try:
                self.path = controller_state.state_path(name + '.json')
            except OSError:  # no folder (a read-only home): a token request per task, no cache
                self.path = None

    def token(self, fetch, rejected=None):
        """A valid token other than `rejected`: the cached one, or one from fetch() -> (token, expires_in, auth method)."""
        if not self.path:
            return fetch()[0]
        cached = self._load_token()
        if cached and cached != rejected:
            return cached
        # Forks that start together wait for one token request instead of each making their own.
        with self._lock():
            cached = self._load_token()
            if cached and cached != rejected:
                return cached
            access_token, expires_in, auth_method = fetch()
            self._store(access_token, expires_in, auth_method)
            self._remove_expired_files()
            return access_token

    def auth_method(self):
        """The token endpoint auth method that worked last for these credentials (even if the token expired), or None."""
        record = self._record()
        return record.get('auth_method') if record else None

    @contextlib.contextmanager
    def _lock(self):
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(controller_state.locked(self.path + '.lock'))
            except OSError:
                pass  # an unwritable folder only costs a token request per task
            yield

    def _secret_digest(self, create):
        """HMAC-SHA256 of the secret under this user's cache key; None without a key (and create=False)."""
        key_path = os.path.join(os.path.dirname(self.path), TOKEN_CACHE_KEY_FILE)
        try:
            with open(key_path, 'rb') as key_file:
                key = key_file.read()
        except OSError:
            if not create:
                return None
            key = os.urandom(32)
            try:
                descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, 'wb') as key_file:
                    key_file.write(key)
            except OSError:  # another run made the key first: use its key
                with open(key_path, 'rb') as key_file:
                    key = key_file.read()
        if len(key) < 32:
            return None
        return hmac.new(key, self._secret.encode('utf-8'), hashlib.sha256).hexdigest()

    def _record(self):
        """The cache file's content when it belongs to this secret, else None."""
        if not self.path:
            return None
        try:
            with open(self.path) as cache_file:
                record = json.load(cache_file)
            digest = self._secret_digest(create=False)
            if isinstance(record, dict) and digest and hmac.compare_digest(str(record.get('secret_hmac')), digest):
                return record
        except (OSError, ValueError, TypeError):
            pass  # no cache, or an unreadable one: fetch a new token
        return None

    def _load_token(self):
        record = self._record()
        try:
            if record and record['renew_at'] > time.time():
                return record['access_token']
        except (KeyError, TypeError):
            pass
        return None

    def _store(self, access_token, expires_in, auth_method):
        try:
            digest = self._secret_digest(create=True)
            temporary = '%s.%d' % (self.path, os.getpid())
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, 'w') as cache_file:
                now = time.time()
                json.dump(dict(access_token=access_token, renew_at=now + expires_in - min(TOKEN_RENEW_MARGIN_SECONDS, expires_in / 10.0),
                               expires_at=now + expires_in, auth_method=auth_method, secret_hmac=digest), cache_file)
            os.replace(temporary, self.path)
        except OSError:
            pass

    def _remove_expired_files(self):
        """Remove the cache files of other credentials whose token has expired: a token is no use after that."""
        now = time.time()
        for path in glob.glob(os.path.join(os.path.dirname(self.path), '*.json')):
            if path == self.path:
                continue
            try:
                with open(path) as cache_file:
                    record = json.load(cache_file)
                expired = record.get('expires_at', record.get('renew_at', 0)) < now
            except (OSError, ValueError, AttributeError, TypeError):
                expired = True  # unreadable: of no use to anyone
            if expired:
                self._remove_unless_busy(path)

    @staticmethod
    def _remove_unless_busy(path):
        """Remove a cache file and its lock, unless a run of those credentials holds the lock (it is renewing the token)."""
        try:
            with controller_state.locked(path + '.lock', blocking=False):
                os.remove(path)
                os.remove(path + '.lock')
        except OSError:
            pass  # busy, or already gone
