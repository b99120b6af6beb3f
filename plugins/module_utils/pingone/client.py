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
import glob
import hashlib
import hmac
import json
import os
import random
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
    Retry = object  # only so that this file imports; pingone_module() fails first, naming requests
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

# PingOne's retry budget, as its Go SDK applies it (pingone-api.md section 0): these statuses and connection
# failures are retried up to 9 times (10 attempts), waiting 1 s, 2 s, 4 s ... plus up to 1 s of jitter, each wait
# at most 30 s; a Retry-After (seconds or an HTTP date) is honoured but capped at 30 s too (urllib3 would
# otherwise wait up to six hours). A server that took the request and never answered is tried once more only.
RETRY_STATUSES = (408, 429, 500, 501, 502, 503, 504)
DEFAULT_RETRIES = 9
RETRY_FIRST_WAIT_SECONDS = 1.0
RETRY_JITTER_SECONDS = 1.0
RETRY_MAX_WAIT_SECONDS = 30
READ_TIMEOUT_RETRIES = 1
DEFAULT_TIMEOUT = 30
URLLIB3_MINIMUM = '2.6.3'  # the first urllib3 whose Retry takes retry_after_max (requirements.txt)
URLLIB3_MINIMUM_SPEC = '>=' + URLLIB3_MINIMUM

# Token endpoint client authentication (pingone-api.md sections 0 and 3). PingOne accepts only the worker app's
# configured method and answers the other with 401 invalid_client "Unsupported authentication method".
TOKEN_AUTH_METHODS = ('auto', 'client_secret_basic', 'client_secret_post')
AUTO_TOKEN_AUTH_ORDER = ('client_secret_basic', 'client_secret_post')  # the console's default first, as the Go SDK does
UNSUPPORTED_AUTH_METHOD = 'unsupported authentication method'

# GET /environments pages are followed up to this many (100 000 environments at PingOne's default page size).
MAX_PAGES = 1000

# Tokens live an hour (pingone-api.md section 3); one is reused by every task of a run until shortly before expiry:
# a minute before, or a tenth of its life for short-lived tokens.
TOKEN_CACHE_DIR = '~/.ansible/pingone_tokens'
TOKEN_CACHE_KEY_FILE = 'cache.key'
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
        timeout=dict(type='int', default=DEFAULT_TIMEOUT),
        role_propagation_timeout=dict(type='int', default=30),
        retries=dict(type='int', default=DEFAULT_RETRIES),
        token_auth_method=dict(type='str', default='auto', choices=list(TOKEN_AUTH_METHODS)),
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
    elif not region and not hostnames_cover_region(options):
        # No default region: an organization lives in one, and NA's token error would mislead everyone else.
        problems.append('give region_code (or %s: one of %s), or api_hostname (%s)%s'
                        % (ENV_VARS['region_code'], ', '.join(sorted(REGION_DOMAINS)), ENV_VARS['api_hostname'],
                           '' if token else ' and auth_hostname (%s)' % ENV_VARS['auth_hostname']))
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
    retries = options.get('retries')
    if isinstance(retries, bool):
        problems.append('retries must be a number, got the boolean %r' % retries)
    elif retries is not None and retries < 0:
        problems.append('retries must be 0 (no retry) or more, got %r' % retries)
    method = options.get('token_auth_method')
    if method is not None and method not in TOKEN_AUTH_METHODS:
        problems.append('token_auth_method must be one of %s, got %r' % (', '.join(TOKEN_AUTH_METHODS), method))
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


def hostnames_cover_region(options):
    """Whether the hostname overrides name every host the client calls, so that no region is needed."""
    return bool(options.get('api_hostname') and (options.get('access_token') or options.get('auth_hostname')))


def base_urls(options):
    """(API base URL ending in /v1, token URL) for the region or the hostname overrides; None where neither says."""
    domain = REGION_DOMAINS.get(options.get('region_code') or '')
    api_host = options.get('api_hostname') or (domain and 'api.pingone.%s' % domain)
    auth_host = options.get('auth_hostname') or (domain and 'auth.pingone.%s' % domain)
    api_url = 'https://%s/v1' % api_host if api_host else None
    token_url = 'https://%s/%s/as/token' % (auth_host, options.get('auth_environment_id')) if auth_host else None
    return api_url, token_url


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


def _answer_problem(response):
    """What is wrong with a 2xx answer that should carry a JSON object, or None."""
    if not response.content:
        return 'an empty body'
    try:
        body = response.json()
    except ValueError:
        # Typically an HTML page of a proxy or gateway, or a body cut off mid-way; its text may echo the request.
        return 'a body that is not JSON (%d bytes of %s)' % (len(response.content), response.headers.get('Content-Type') or 'no Content-Type')
    if not isinstance(body, dict):
        return 'JSON %s where an object was expected' % ('null' if body is None else type(body).__name__)
    return None


def unexpected_answer(response, action, method):
    message = '%s failed: PingOne answered %s with %s' % (action, response.status_code, _answer_problem(response))
    if method == 'PUT':
        message += '; the write may have been applied: rerunning the task is safe, it reads before it writes'
    return PingOneError(message)


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
            self.path = os.path.join(os.path.expanduser(TOKEN_CACHE_DIR), name + '.json')

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
        try:
            os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
            lock_file = os.fdopen(os.open(self.path + '.lock', os.O_WRONLY | os.O_CREAT, 0o600), 'w')
        except OSError:
            yield  # a read-only home only costs a token request per task
            return
        with lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
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
            with open(path + '.lock', 'a') as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.remove(path)
                os.remove(path + '.lock')
        except OSError:
            pass  # busy, or already gone


class _PingOneRetry(Retry):
    """urllib3's Retry, except that the first retry waits too: urllib3 2 sends it at once, PingOne's SDK after 1 s."""

    def get_backoff_time(self):
        if len(self.history) == 1:
            return min(self.backoff_max, self.backoff_factor + random.random() * self.backoff_jitter)
        return super(_PingOneRetry, self).get_backoff_time()


def retry_policy(retries):
    """PingOne's retry budget (see RETRY_STATUSES) for one session."""
    arguments = dict(
        total=retries, connect=retries, status=retries,
        read=min(retries, READ_TIMEOUT_RETRIES),
        other=0,  # e.g. a certificate that does not verify: retrying cannot help
        status_forcelist=RETRY_STATUSES, allowed_methods=frozenset(['GET', 'PUT', 'DELETE', 'POST']),
        backoff_factor=RETRY_FIRST_WAIT_SECONDS, backoff_jitter=RETRY_JITTER_SECONDS, backoff_max=RETRY_MAX_WAIT_SECONDS,
        respect_retry_after_header=True, retry_after_max=RETRY_MAX_WAIT_SECONDS, raise_on_status=False)
    try:
        return _PingOneRetry(**arguments)
    except TypeError:  # retry_after_max came with urllib3 2.6.3; without it a Retry-After could hold a task six hours
        raise PingOneError('The PingOne client needs the Python library urllib3 %s or later on the controller '
                           '(pip install "urllib3%s")' % (URLLIB3_MINIMUM, URLLIB3_MINIMUM_SPEC))


class PingOneClient:
    """One requests.Session per module run; a token fetched once and renewed if the API rejects it."""

    def __init__(self, options):
        self.api_url, self.token_url = base_urls(options)
        self._options = options
        self._token_cache = TokenCache(options if options.get('token_cache', True) else None, self.token_url)
        self._token = options.get('access_token')
        self._auth_method = None  # the token endpoint auth method that worked in this run
        # An explicit verify= per request: a Session.verify path is overridden by REQUESTS_CA_BUNDLE.
        self._verify = options.get('ca_path') or options.get('validate_certs', True)
        self._timeout = options.get('timeout') or DEFAULT_TIMEOUT
        retries = options.get('retries')
        self._session = requests.Session()
        self._session.mount('https://', HTTPAdapter(max_retries=retry_policy(DEFAULT_RETRIES if retries is None else retries)))
        self._session.headers['User-Agent'] = 'pingone.platform/%s (Ansible collection)' % COLLECTION_VERSION

    def _send(self, method, url, action, **kwargs):
        try:
            return self._session.request(method, url, verify=self._verify, timeout=self._timeout, **kwargs)
        except requests.exceptions.SSLError as exc:
            raise PingOneError('%s failed: the TLS certificate of %s was not accepted (%s). If a proxy or a private CA signs it, '
                               'give that CA bundle in ca_path or %s' % (action, url.split('/')[2], exc, ENV_VARS['ca_path']))
        except requests.exceptions.RequestException as exc:
            raise PingOneError('%s failed: %s: %s' % (action, type(exc).__name__, exc))

    def _auth_methods(self):
        """The token endpoint auth methods to try, in order."""
        configured = self._options.get('token_auth_method') or 'auto'
        if configured != 'auto':
            return [configured]
        remembered = self._auth_method or self._token_cache.auth_method()
        if remembered in AUTO_TOKEN_AUTH_ORDER:
            return [remembered] + [method for method in AUTO_TOKEN_AUTH_ORDER if method != remembered]
        return list(AUTO_TOKEN_AUTH_ORDER)

    def _token_request(self, auth_method):
        """The keyword arguments of the token POST; the secret travels in a header or the form body, never in a URL."""
        form = {'grant_type': 'client_credentials'}
        if auth_method == 'client_secret_basic':
            return dict(data=form, auth=(self._options['client_id'], self._options['client_secret']))
        form.update(client_id=self._options['client_id'], client_secret=self._options['client_secret'])
        return dict(data=form)

    def _fetch_token(self):
        tried = []
        for auth_method in self._auth_methods():
            tried.append(auth_method)
            response = self._send('POST', self.token_url, 'Getting an access token with %s' % auth_method, **self._token_request(auth_method))
            if not (response.status_code == 401 and UNSUPPORTED_AUTH_METHOD in response.text.lower()):
                break
        action = 'Getting an access token from %s with %s' % (self.token_url, ', then '.join(tried))
        if response.status_code != 200:
            error = error_from_response(response, action)
            if UNSUPPORTED_AUTH_METHOD in error.message.lower():
                error.message += ' (set token_auth_method to the worker application\'s Token Endpoint Authentication Method)'
            raise error
        problem = _answer_problem(response)
        token = {} if problem else response.json()
        access_token, expires_in = token.get('access_token'), token.get('expires_in') or 3600
        if problem or not access_token or not isinstance(access_token, str):
            raise PingOneError('%s failed: PingOne answered 200 with %s' % (action, problem or 'no access_token in the body'))
        if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in < 1:
            raise PingOneError('%s failed: PingOne answered 200 with expires_in %r, not a number of seconds' % (action, expires_in))
        self._auth_method = tried[-1]
        return access_token, expires_in, tried[-1]

    def request(self, method, path_or_url, action, json=None, params=None):
        """Send one API call; return the decoded JSON object (None for a DELETE).

        A 2xx answer other than a JSON object (a proxy's HTML page, a body cut off, null) fails: an empty
        answer must never read as "nothing configured".
        """
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
        if method == 'DELETE':
            return None  # 204, no body (pingone-api.md section 1)
        if _answer_problem(response):
            raise unexpected_answer(response, action, method)
        return response.json()

    def get_all(self, path, collection, action, params=None):
        """Every item of a HAL collection, following _links.next.href until it is absent.

        A next link already followed (a loop) or more than MAX_PAGES pages fail rather than run forever.
        """
        items = []
        page = self.request('GET', path, action, params=params)
        followed = set()
        while True:
            embedded = (page.get('_embedded') or {}).get(collection) or []
            if not isinstance(embedded, list):
                raise PingOneError('%s failed: PingOne answered 200 with _embedded.%s that is not a list' % (action, collection))
            items.extend(embedded)
            next_href = ((page.get('_links') or {}).get('next') or {}).get('href')
            if not next_href:
                return items
            if not next_href.startswith(self.api_url.rsplit('/v1', 1)[0] + '/'):
                # Never send the bearer token to a host other than the API's own.
                raise PingOneError('%s failed: the next page link %r is not on %s' % (action, next_href, self.api_url))
            if next_href in followed:
                raise PingOneError('%s failed: PingOne sent the next page link %s a second time (a loop); %d items read so far'
                                   % (action, next_href, len(items)))
            if len(followed) + 1 >= MAX_PAGES:
                raise PingOneError('%s failed: more than %d pages (%d items so far); stopped rather than page on forever'
                                   % (action, MAX_PAGES, len(items)))
            followed.add(next_href)
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
