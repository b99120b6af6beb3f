# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PingOne API client: one requests.Session, the access token, and the one place every request is sent and
retried (PingOneClient._send, under the policy of retry.py). It knows nothing of SMTP."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import traceback
from urllib.parse import quote, quote_plus

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.pingone.platform.plugins.module_utils.pingone import retry
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import (
    PingOneError, answer_problem, error_from_response, unexpected_answer)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import (
    DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_RETRIES, DEFAULT_TIMEOUT, ENV_VARS, base_urls)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.pacing import PacingStateError, SharedRate
from ansible_collections.pingone.platform.plugins.module_utils.pingone.token_cache import TokenCache

COLLECTION_VERSION = '0.1.0'

AUTO_TOKEN_AUTH_ORDER = ('client_secret_basic', 'client_secret_post')  # the console's default first, as the Go SDK does
UNSUPPORTED_AUTH_METHOD = 'unsupported authentication method'

# GET /environments pages are followed up to this many (100 000 environments at PingOne's default page size).
MAX_PAGES = 1000


class PingOneClient:
    """One requests.Session per module run; a token fetched once and renewed if the API rejects it."""

    def __init__(self, options, on_secret=None):
        """options: the connection options (module params). on_secret(values) is called with every secret the
        moment the client reads or fetches it (each form it takes on the wire), to be masked from then on."""
        self.api_url, self.token_url = base_urls(options)
        self.client_id = options.get('client_id')  # None with an access token
        self._options = options
        self._on_secret = on_secret or (lambda values: None)
        self._token_cache = TokenCache(options if options.get('token_cache', True) else None, self.token_url)
        self._token = options.get('access_token')
        self._auth_method = None  # the token endpoint auth method that worked in this run
        # An explicit verify= per request: a Session.verify path is overridden by REQUESTS_CA_BUNDLE.
        self._verify = options.get('ca_path') or options.get('validate_certs', True)
        self._timeout = options.get('timeout') or DEFAULT_TIMEOUT
        retries = options.get('retries')
        self.retry_policy = retry.RetryPolicy(DEFAULT_RETRIES if retries is None else retries,
                                              options.get('role_propagation_timeout'))
        per_minute = options.get('requests_per_minute')
        per_minute = DEFAULT_REQUESTS_PER_MINUTE if per_minute is None else int(per_minute)
        self._rate = SharedRate(per_minute, self.api_url) if per_minute and self.api_url else None
        self._session = requests.Session()
        self._session.headers['User-Agent'] = 'pingone.platform/%s (Ansible collection)' % COLLECTION_VERSION
        self._on_secret(self.secrets())

    def _send(self, method, url, action, also_retry=(), **kwargs):
        """Send one request and return its answer: the one place every request to PingOne is sent and retried."""
        retries_done = 0
        while True:
            response = failure = error = None
            # Every attempt at an API request holds a slot of the shared rate from before it is sent until its
            # answer; token requests have a limit of their own.
            paced = self._rate is not None and url.startswith(self.api_url + '/')
            try:
                if paced:
                    self._rate.start()
                response = self._session.request(method, url, verify=self._verify, timeout=self._timeout, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise PingOneError('%s failed: the TLS certificate of %s was not accepted (%s). If a proxy or a private CA signs it, '
                                   'give that CA bundle in ca_path or %s' % (action, url.split('/')[2], exc, ENV_VARS['ca_path']))
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                failure, error = retry.CONNECTION_FAILED, exc  # refused, reset, a connect timeout, a body cut off
            except requests.exceptions.Timeout as exc:
                failure, error = retry.READ_TIMED_OUT, exc
            except requests.exceptions.RequestException as exc:
                raise PingOneError('%s failed: %s: %s' % (action, type(exc).__name__, exc))
            except PacingStateError as exc:
                raise PingOneError('%s failed: %s' % (action, exc))
            finally:
                if paced:
                    self._rate.finish(_hold_seconds(response))
            status = response.status_code if response is not None else None
            if method == 'GET' and status is not None and 200 <= status < 300 and answer_problem(response):
                failure = retry.GARBLED  # a read that did not succeed: never planned from
            wait = self.retry_policy.wait(retries_done, status=status, failure=failure, also=also_retry,
                                          retry_after=response.headers.get('Retry-After') if response is not None else None)
            if wait is None:
                if response is None:
                    raise PingOneError('%s failed: %s: %s' % (action, type(error).__name__, error))
                return response
            retry.sleep(wait)
            retries_done += 1

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
        problem = answer_problem(response)
        token = {} if problem else response.json()
        access_token, expires_in = token.get('access_token'), token.get('expires_in') or 3600
        if problem or not access_token or not isinstance(access_token, str):
            raise PingOneError('%s failed: PingOne answered 200 with %s' % (action, problem or 'no access_token in the body'))
        if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in < 1:
            raise PingOneError('%s failed: PingOne answered 200 with expires_in %r, not a number of seconds' % (action, expires_in))
        self._auth_method = tried[-1]
        return access_token, expires_in, tried[-1]

    def _use_token(self, token):
        self._on_secret([token])  # masked before it is sent: an error body may echo it
        self._token = token

    def request(self, method, path_or_url, action, json=None, params=None, also_retry=()):
        """Send one API call; return the decoded JSON object (None for a DELETE).

        A 2xx answer other than a JSON object (a proxy's HTML page, a body cut off, null) fails: an empty
        answer must never read as "nothing configured".
        """
        url = path_or_url if path_or_url.startswith('https://') else self.api_url + path_or_url
        if not self._token:
            self._use_token(self._token_cache.token(self._fetch_token))
        headers = {'Authorization': 'Bearer %s' % self._token}
        response = self._send(method, url, action, also_retry, json=json, params=params, headers=headers)
        if response.status_code == 401 and not self._options.get('access_token'):
            # The token expired during a long run (or was revoked): renew it once, with the client credentials.
            self._use_token(self._token_cache.token(self._fetch_token, rejected=self._token))
            headers = {'Authorization': 'Bearer %s' % self._token}
            response = self._send(method, url, action, also_retry, json=json, params=params, headers=headers)
        if response.status_code >= 400:
            raise error_from_response(response, action)
        if method == 'DELETE':
            return None  # 204, no body (pingone-api.md section 1)
        if answer_problem(response):
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

    @property
    def rate_wait_seconds(self):
        """Seconds this client waited for the shared rate (requests_per_minute); None when unpaced."""
        return round(self._rate.waited_seconds, 1) if self._rate else None

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


def _hold_seconds(response):
    """What a 429's Retry-After asks of every process on the controller (pacing.SharedRate.finish)."""
    if response is None or response.status_code != 429 or not response.headers.get('Retry-After'):
        return None
    return retry.retry_after_seconds(response.headers['Retry-After'])
