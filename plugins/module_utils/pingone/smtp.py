# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the SMTP settings (emailDeliverySettings): validate, compare, plan, diff. No I/O."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.pingone.platform.plugins.module_utils.pingone.client import UUID_PATTERN

# Module option -> path in the API's JSON. `password` is write-only and `protocol` read-only: neither is here.
FIELDS = {
    'host': ('host',),
    'port': ('port',),
    'username': ('username',),
    'from_address': ('from', 'address'),
    'from_name': ('from', 'name'),
    'reply_to_address': ('replyTo', 'address'),
    'reply_to_name': ('replyTo', 'name'),
}
# Options that may be cleared with an empty string.
CLEARABLE = ('from_name', 'reply_to_address', 'reply_to_name')
DEFAULT_PORT = 465
# Diff marker: the password is never shown, only whether it is sent.
PASSWORD_SENT = '(hidden: will be sent)'
PASSWORD_MISSING = '(hidden: needed, not given)'

EMAIL_PATTERN = re.compile(r'^[^@\s]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$')
HOSTNAME_PATTERN = re.compile(r'^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$')


class Plan:
    """What pingone_smtp will do: `action` is 'put', 'delete' or None; `error` stops it before any write."""

    def __init__(self, action=None, body=None, before=None, after=None, error=None, warning=None):
        self.action = action
        self.warning = warning
        self.body = body
        self.before = before or {}
        self.after = after or {}
        self.error = error

    @property
    def changed(self):
        return self.action is not None

    @property
    def diff(self):
        return dict(before=self.before, after=self.after)

    @property
    def changed_options(self):
        """The options whose value changes (the password is write-only and never listed)."""
        return changed_options(self.before, self.after)


def is_configured(api_settings):
    """PingOne answers 200 with little more than _links while no SMTP server is set (pingone-api.md section 1)."""
    return bool(api_settings) and ('host' in api_settings or 'protocol' in api_settings)


def settings_from_api(api_settings):
    """Flat, option-named settings from an API body; {} when the environment uses PingOne's own email service."""
    if not is_configured(api_settings):
        return {}
    settings = {}
    for option, path in FIELDS.items():
        value = api_settings
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            settings[option] = value
    return settings


def result_settings(api_settings):
    """What the modules return: the flat settings plus the read-only protocol; never a password."""
    settings = settings_from_api(api_settings)
    if settings:
        settings['protocol'] = api_settings.get('protocol')
    return settings


def predicted_settings(plan, api_settings):
    """What check mode reports: the settings after the plan; the protocol only where the port keeps it.

    PingOne derives the protocol from the port and has been seen to break its own documented rule for port 25.
    """
    settings = dict(plan.after)
    settings.pop('password', None)
    if settings:
        settings['protocol'] = api_settings.get('protocol') if settings['port'] == api_settings.get('port') else None
    return settings


def validate(params):
    """Messages for invalid module options, each naming its option; found before any request."""
    problems = []
    if not UUID_PATTERN.match(params.get('environment_id') or ''):
        problems.append('environment_id must be a PingOne environment id (a UUID), got %r' % params.get('environment_id'))
    given = dict((option, params.get(option)) for option in FIELDS if params.get(option) is not None)
    if params.get('state') == 'absent':
        extra = sorted(given) + (['password'] if params.get('password') is not None else [])
        if extra:
            problems.append('%s cannot be used with state=absent, which resets the environment to PingOne\'s built-in email service'
                            % ', '.join(extra))
        return problems
    port = given.get('port')
    if port is not None and not 1 <= port <= 65535:
        problems.append('port must be between 1 and 65535, got %r' % port)
    host = given.get('host')
    if host and not HOSTNAME_PATTERN.match(host):
        problems.append('host must be a hostname such as smtp.example.com, got %r' % host)
    for option in ('from_address', 'reply_to_address'):
        address = given.get(option)
        if address and not EMAIL_PATTERN.match(address):
            problems.append('%s must be an email address such as noreply@example.com, got %r' % (option, address))
    for option in ('host', 'username', 'from_address'):
        if given.get(option) == '':
            problems.append('%s cannot be empty' % option)
    if params.get('password') == '':
        problems.append('password cannot be empty')
    if params.get('update_password') == 'always' and not params.get('password'):
        problems.append('update_password=always needs password')
    return problems


def desired_settings(params, current):
    """The settings after the change: the current ones with the given options laid over; '' clears an option."""
    desired = dict(current)
    for option in FIELDS:
        value = params.get(option)
        if value == '' and option in CLEARABLE:
            desired.pop(option, None)
        elif value is not None:
            desired[option] = value
    if 'port' not in desired:
        desired['port'] = DEFAULT_PORT
    return desired


def request_body(settings, password):
    """The PUT body: a full replace, so every kept setting is sent again, with the password the user gave."""
    body = {}
    for option, value in settings.items():
        path = FIELDS[option]
        target = body
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
    body['password'] = password
    return body


def plan(params, api_settings, check_mode=False):
    """Decide what pingone_smtp does to reach params from the settings PingOne returned."""
    current = settings_from_api(api_settings)
    if params['state'] == 'absent':
        if not current:
            return Plan(before={}, after={})
        return Plan(action='delete', before=current, after={})

    desired = desired_settings(params, current)
    password = params.get('password')
    # The password is write-only: it cannot be compared, so it only forces a write when asked to.
    needs_write = desired != current or params.get('update_password') == 'always'
    if not needs_write:
        return Plan(before=current, after=current)

    missing = [option for option in ('host', 'username', 'from_address') if option not in desired]
    if missing:
        return Plan(error='%s needed: the environment has no SMTP server yet, or has none of these set'
                    % ', '.join(missing))
    if 'reply_to_name' in desired and 'reply_to_address' not in desired:
        # PingOne requires replyTo.address whenever replyTo is sent.
        return Plan(error='reply_to_name needs reply_to_address (clear both with empty strings to remove the reply-to)')
    if password is None:
        message = ('password is needed to change the SMTP settings (%s): PingOne replaces the whole object '
                   'on every write and never returns the stored password'
                   % ', '.join(changed_options(current, desired)))
        if not check_mode:
            # Never send a placeholder or a read-back value in its place.
            return Plan(error=message)
        # A dry run (a pull-request audit) still reports the drift; the real run will ask for the password.
        return Plan(action='put', before=current, after=dict(desired, password=PASSWORD_MISSING), warning=message)
    return Plan(action='put', body=request_body(desired, password), before=current,
                after=dict(desired, password=PASSWORD_SENT))


def readback_mismatches(plan, api_settings):
    """What the settings read back after a write lack of the plan: one message per option; [] when they match."""
    held = settings_from_api(api_settings)
    if plan.action == 'delete':
        return ['the SMTP server is still set (host %r)' % held.get('host')] if held else []
    # changed_options never lists the password, so the marker in plan.after is never compared.
    return ['%s is %r, expected %r' % (option, held.get(option), plan.after.get(option))
            for option in changed_options(held, plan.after)]


def changed_options(current, desired):
    return sorted(option for option in set(current) | set(desired)
                  if option != 'password' and current.get(option) != desired.get(option))
