# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PingOne API client: connection options, authentication, retries and errors.

It knows nothing of SMTP; see smtp.py for that. API facts are in shared/pingone-api.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import time
import traceback

try:
    from urllib.parse import quote, quote_plus
except ImportError:  # Python 2
    from urllib import quote, quote_plus

from ansible.module_utils.basic import env_fallback

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'

# Region code -> top-level domain of auth.pingone.<tld> and api.pingone.<tld> (pingone-api.md section 3).
REGION_DOMAINS = {'NA': 'com', 'EU': 'eu', 'CA': 'ca', 'AP': 'asia', 'AU': 'com.au', 'SG': 'sg'}

# The PingOne Terraform provider's variable names, so one set of credentials serves both tools.
ENV_VARS = {
    'client_id': 'PINGONE_CLIENT_ID',
    'client_secret': 'PINGONE_CLIENT_SECRET',
    'auth_environment_id': 'PINGONE_ENVIRONMENT_ID',
    'region_code': 'PINGONE_REGION_CODE',
    'access_token': 'PINGONE_API_ACCESS_TOKEN',
    'api_hostname': 'PINGONE_API_SERVICE_HOSTNAME',
    'auth_hostname': 'PINGONE_AUTH_SERVICE_HOSTNAME',
    # Not a Terraform provider variable: lets playbooks, the inventory and the demo trust a private CA alike.
    'ca_path': 'PINGONE_CA_PATH',
}

SECRET_OPTIONS = ('client_secret', 'access_token')

# PingOne's retry guidance: 408, 429 and 5xx are transient; Retry-After is honoured (pingone-api.md section 4).
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)
RETRY_TOTAL = 3
RETRY_BACKOFF_SECONDS = 0.5

# Tokens live an hour (pingone-api.md section 3); one is reused by every task of a run until shortly before expiry:
# a minute before, or a tenth of its life for short-lived tokens.
TOKEN_CACHE_DIR = '~/.ansible/pingone_tokens'
TOKEN_RENEW_MARGIN_SECONDS = 60

# \Z, not $: `$` also matches before a final newline, which would then reach a URL.
UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
HOSTNAME_WITH_PORT_PATTERN = re.compile(r'^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?\Z')


def connection_argument_spec():
    """The connection options of every module (documented in doc_fragments/pingone.py)."""
    def env(option):
        return dict(fallback=(env_fallback, [ENV_VARS[option]]))
    return dict(
        client_id=dict(type='str', **env('client_id')),
        client_secret=dict(type='str', no_log=True, **env('client_secret')),
        auth_environment_id=dict(type='str', **env('auth_environment_id')),
        region_code=dict(type='str', choices=sorted(REGION_DOMAINS), **env('region_code')),
        access_token=dict(type='str', no_log=True, **env('access_token')),
        api_hostname=dict(type='str', **env('api_hostname')),
        auth_hostname=dict(type='str', **env('auth_hostname')),
        validate_certs=dict(type='bool', default=True),
        token_cache=dict(type='bool', default=True),
        ca_path=dict(type='path', **env('ca_path')),
        timeout=dict(type='int', default=30),
        role_propagation_timeout=dict(type='int', default=30),
    )


def connection_problems(options):
    """Messages for connection options that cannot work, found before any request is sent."""
    problems = []
    token, client_id, secret = options.get('access_token'), options.get('client_id'), options.get('client_secret')
    if token and (client_id or secret):
        problems.append('access_token (%s) and client_id/client_secret (%s/%s) are mutually exclusive: give one way to authenticate'
                        % (ENV_VARS['access_token'], ENV_VARS['client_id'], ENV_VARS['client_secret']))
    elif not token:
        missing = [name for name in ('client_id', 'client_secret', 'auth_environment_id') if not options.get(name)]
        if missing:
            problems.append('missing connection option(s) %s (or %s), or give access_token'
                            % (', '.join(missing), ', '.join(ENV_VARS[name] for name in missing)))
    region = options.get('region_code')
    if region and region not in REGION_DOMAINS:
        problems.append('region_code must be one of %s, got %r' % (', '.join(sorted(REGION_DOMAINS)), region))
    for name in ('client_id', 'auth_environment_id'):
        if options.get(name) and not UUID_PATTERN.match(options[name]):
            problems.append('%s must be a PingOne id (a UUID), got %r' % (name, options[name]))
    for name in ('api_hostname', 'auth_hostname'):
        if options.get(name) and not HOSTNAME_WITH_PORT_PATTERN.match(options[name]):
            problems.append('%s must be host[:port] without a scheme or path, got %r' % (name, options[name]))
        elif options.get(name) and ':' in options[name] and not 1 <= int(options[name].rsplit(':', 1)[1]) <= 65535:
            problems.append('%s must have a port from 1 to 65535, got %r' % (name, options[name]))
    timeout = options.get('timeout')
    if isinstance(timeout, bool):
        problems.append('timeout must be a number of seconds, got the boolean %r' % timeout)
    elif timeout is not None and timeout < 1:
        problems.append('timeout must be at least 1 second, got %r' % timeout)
    if options.get('ca_path') and options.get('validate_certs') is False:
        problems.append('ca_path (%s) and validate_certs=false contradict each other: give one, not both'
                        % ENV_VARS['ca_path'])
    elif options.get('ca_path'):
        problems.extend(ca_path_problems(options['ca_path']))
    return problems


def ca_path_problems(ca_path):
    """ca_path must be a readable PEM bundle: requests would otherwise fail on the first call with a traceback."""
    try:
        with open(ca_path, 'rb') as bundle:
            is_pem = b'-----BEGIN CERTIFICATE-----' in bundle.read(1024 * 1024)
    except (IOError, OSError) as error:
        return ['ca_path (%s) cannot be read: %s' % (ENV_VARS['ca_path'], getattr(error, 'strerror', None) or error)]
    if not is_pem:
        return ['ca_path (%s) must be a PEM file of CA certificates (-----BEGIN CERTIFICATE-----), got %r'
                % (ENV_VARS['ca_path'], ca_path)]
    return []


def tls_warnings(options):
    """A warning for every run that does not check PingOne's certificate: the secret then goes to whoever answers."""
    if options.get('validate_certs') is False:
        return ['validate_certs=false: the TLS certificate of PingOne is not checked, so the client secret and access '
                'tokens are sent to whichever server answers. Trust a private CA with ca_path (%s) instead.'
                % ENV_VARS['ca_path']]
    return []


def base_urls(options):
    """(API base URL ending in /v1, token URL) for the region or the hostname overrides."""
    domain = REGION_DOMAINS[options.get('region_code') or 'NA']
    api_host = options.get('api_hostname') or 'api.pingone.%s' % domain
    auth_host = options.get('auth_hostname') or 'auth.pingone.%s' % domain
    token_url = 'https://%s/%s/as/token' % (auth_host, options.get('auth_environment_id'))
    return 'https://%s/v1' % api_host, token_url


class PingOneError(Exception):
    """Any failed call: HTTP status plus PingOne's error code, id and details when the body had them."""

    def __init__(self, message, status=None, code=None, error_id=None, details=None):
        super(PingOneError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.error_id = error_id
        self.details = details or []

    def __str__(self):
        text = self.message
        if self.status:
            text = 'PingOne API answered %s%s: %s' % (self.status, ' ' + self.code if self.code else '', self.message)
        for detail in self.details:
            text += '; %s: %s' % (detail.get('target') or detail.get('code'), detail.get('message'))
        if self.error_id:
            text += ' (PingOne error id %s)' % self.error_id
        return text

    def as_result(self):
        """Fields for fail_json: the API's own words, never a request body."""
        return dict(status=self.status, code=self.code, error_id=self.error_id, details=self.details)


def error_from_response(response, action):
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    # P1Error bodies carry id/code/message/details; the token endpoint answers OAuth's error/error_description.
    message = body.get('message') or body.get('error_description') or response.reason or 'no message'
    return PingOneError('%s failed: %s' % (action, message), status=response.status_code,
                        code=body.get('code') or body.get('error'), error_id=body.get('id'),
                        details=body.get('details'))


class TokenCache:
    """An access token shared by the module runs of one set of client credentials, in a file only its owner reads.

    Every task of a rollout runs in a new process; without this each would ask PingOne for a new token.
    The file name is a hash of the token URL and the credentials, so a changed secret never reuses a token.
    """

    def __init__(self, options, token_url):
        self.path = None
        if options and options.get('client_id') and options.get('client_secret'):
            key = '\n'.join((token_url, options['client_id'], options['client_secret']))
            self.path = os.path.join(os.path.expanduser(TOKEN_CACHE_DIR), hashlib.sha256(key.encode('utf-8')).hexdigest() + '.json')

    def token(self, fetch, rejected=None):
        """A valid token other than `rejected`: the cached one, or one from fetch() -> (token, expires_in seconds)."""
        if not self.path:
            return fetch()[0]
        cached = self._load()
        if cached and cached != rejected:
            return cached
        # Forks that start together wait for one token request instead of each making their own.
        with self._lock():
            cached = self._load()
            if cached and cached != rejected:
                return cached
            access_token, expires_in = fetch()
            self._store(access_token, expires_in)
            return access_token

    @contextlib.contextmanager
    def _lock(self):
        try:
            os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
            lock_file = os.fdopen(os.open(self.path + '.lock', os.O_WRONLY | os.O_CREAT, 0o600), 'w')
        except OSError:
            yield  # a read-only home only costs a token request per task
            return
        with lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            yield

    def _load(self):
        try:
            with open(self.path) as cache_file:
                cached = json.load(cache_file)
            if cached['renew_at'] > time.time():
                return cached['access_token']
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache, or an unreadable one: fetch a new token
        return None

    def _store(self, access_token, expires_in):
        try:
            temporary = '%s.%d' % (self.path, os.getpid())
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, 'w') as cache_file:
                renew_at = time.time() + expires_in - min(TOKEN_RENEW_MARGIN_SECONDS, expires_in / 10.0)
                json.dump(dict(access_token=access_token, renew_at=renew_at), cache_file)
            os.replace(temporary, self.path)
        except OSError:
            pass


class PingOneClient:
    """One requests.Session per module run; a token fetched once and renewed if the API rejects it."""

    def __init__(self, options):
        self.api_url, self.token_url = base_urls(options)
        self._options = options
        self._token_cache = TokenCache(options if options.get('token_cache', True) else None, self.token_url)
        self._token = options.get('access_token')
        # An explicit verify= per request: a Session.verify path is overridden by REQUESTS_CA_BUNDLE.
        self._verify = options.get('ca_path') or options.get('validate_certs', True)
        self._timeout = options.get('timeout') or 30
        self._session = requests.Session()
        retry = Retry(total=RETRY_TOTAL, backoff_factor=RETRY_BACKOFF_SECONDS, status_forcelist=RETRY_STATUSES,
                      allowed_methods=frozenset(['GET', 'PUT', 'DELETE', 'POST']),
                      respect_retry_after_header=True, raise_on_status=False)
        self._session.mount('https://', HTTPAdapter(max_retries=retry))
        self._session.headers['User-Agent'] = 'pingone.platform/%s (Ansible collection)' % COLLECTION_VERSION

    def _send(self, method, url, action, **kwargs):
        try:
            return self._session.request(method, url, verify=self._verify, timeout=self._timeout, **kwargs)
        except requests.exceptions.RequestException as exc:
            raise PingOneError('%s failed: %s: %s' % (action, type(exc).__name__, exc))

    def _fetch_token(self):
        # client_secret_post: the secret travels in the form body, never in a URL or a log line.
        response = self._send('POST', self.token_url, 'Getting an access token',
                              data={'grant_type': 'client_credentials',
                                    'client_id': self._options['client_id'],
                                    'client_secret': self._options['client_secret']})
        if response.status_code != 200:
            raise error_from_response(response, 'Getting an access token from %s' % self.token_url)
        token = response.json()
        return token['access_token'], int(token.get('expires_in') or 3600)

    def request(self, method, path_or_url, action, json=None, params=None):
        """Send one API call; return the decoded JSON body (None when there is none)."""
        url = path_or_url if path_or_url.startswith('https://') else self.api_url + path_or_url
        if not self._token:
            self._token = self._token_cache.token(self._fetch_token)
        headers = {'Authorization': 'Bearer %s' % self._token}
        response = self._send(method, url, action, json=json, params=params, headers=headers)
        if response.status_code == 401 and not self._options.get('access_token'):
            # The token expired during a long run (or was revoked): renew it once, with the client credentials.
            self._token = self._token_cache.token(self._fetch_token, rejected=self._token)
            headers = {'Authorization': 'Bearer %s' % self._token}
            response = self._send(method, url, action, json=json, params=params, headers=headers)
        if response.status_code >= 400:
            raise error_from_response(response, action)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def get_all(self, path, collection, action, params=None):
        """Every item of a HAL collection, following _links.next.href until it is absent."""
        items = []
        page = self.request('GET', path, action, params=params)
        while True:
            items.extend((page.get('_embedded') or {}).get(collection) or [])
            next_href = ((page.get('_links') or {}).get('next') or {}).get('href')
            if not next_href:
                return items
            if not next_href.startswith(self.api_url.rsplit('/v1', 1)[0] + '/'):
                # Never send the bearer token to a host other than the API's own.
                raise PingOneError('%s failed: the next page link %r is not on %s' % (action, next_href, self.api_url))
            page = self.request('GET', next_href, action)

    def secrets(self):
        """Every secret this client holds, in each form it goes on the wire, to register as values to mask:
        an echoed request (a proxy's or WAF's error page) must not print them (the fetched token included)."""
        found = set(value for value in (self._options.get('client_secret'), self._options.get('access_token'), self._token) if value)
        secret, client_id = self._options.get('client_secret'), self._options.get('client_id')
        if secret:
            found.update((quote(secret, safe=''), quote_plus(secret)))  # a form body (client_secret_post)
            if client_id:  # an Authorization: Basic header (client_secret_basic)
                found.add(base64.b64encode(('%s:%s' % (client_id, secret)).encode('utf-8')).decode('ascii'))
        return found
