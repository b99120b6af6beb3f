# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of every module and the inventory plugin: their spec, environment variables, defaults
and the checks made before any request. API facts are in shared/pingone-api.md."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible.module_utils.basic import env_fallback

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
    'requests_per_minute': 'PINGONE_REQUESTS_PER_MINUTE',
}

SECRET_OPTIONS = ('client_secret', 'access_token')

DEFAULT_RETRIES = 9  # PingOne's SDK: 10 attempts (see retry.py)
DEFAULT_TIMEOUT = 30
DEFAULT_ROLE_PROPAGATION_TIMEOUT = 30
DEFAULT_REQUESTS_PER_MINUTE = 180  # under one IP's share (35 %) of a licence's 600 a minute (pingone-api.md section 4)

# Token endpoint client authentication (pingone-api.md sections 0 and 3). PingOne accepts only the worker app's
# configured method and answers the other with 401 invalid_client "Unsupported authentication method".
TOKEN_AUTH_METHODS = ('auto', 'client_secret_basic', 'client_secret_post')

# \Z, not $: `$` also matches before a final newline, which would then reach a URL.
UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
HOSTNAME_WITH_PORT_PATTERN = re.compile(r'^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?\Z')


def is_uuid(value):
    """Whether value is a PingOne id (a UUID): the one check of every id the collection puts in a URL."""
    return isinstance(value, str) and bool(UUID_PATTERN.match(value))


def uuid_problems(name, values, what='PingOne environment ids (UUIDs)'):
    """A message for each of `values` (the option `name`) that is not a UUID."""
    return ['%s must be %s, got %r' % (name, what, value) for value in values if not is_uuid(value)]


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
        role_propagation_timeout=dict(type='int', default=DEFAULT_ROLE_PROPAGATION_TIMEOUT),
        retries=dict(type='int', default=DEFAULT_RETRIES),
        token_auth_method=dict(type='str', default='auto', choices=list(TOKEN_AUTH_METHODS)),
        requests_per_minute=dict(type='int', default=DEFAULT_REQUESTS_PER_MINUTE, **env('requests_per_minute')),
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
        if options.get(name):
            problems.extend(uuid_problems(name, [options[name]], 'a PingOne id (a UUID)'))
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
    problems.extend(requests_per_minute_problems(options.get('requests_per_minute')))
    method = options.get('token_auth_method')
    if method is not None and method not in TOKEN_AUTH_METHODS:
        problems.append('token_auth_method must be one of %s, got %r' % (', '.join(TOKEN_AUTH_METHODS), method))
    if options.get('ca_path') and options.get('validate_certs') is False:
        problems.append('ca_path (%s) and validate_certs=false contradict each other: give one, not both'
                        % ENV_VARS['ca_path'])
    elif options.get('ca_path'):
        problems.extend(ca_path_problems(options['ca_path']))
    return problems


def requests_per_minute_problems(value):
    if value is None:
        return []
    try:
        per_minute = int(value)  # the inventory plugin reads the variable as text
    except (TypeError, ValueError):
        per_minute = -1
    if isinstance(value, bool) or per_minute < 0:
        return ['requests_per_minute (%s) must be 0 (no pacing) or a number of requests, got %r'
                % (ENV_VARS['requests_per_minute'], value)]
    return []


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
