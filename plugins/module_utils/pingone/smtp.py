# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the SMTP settings (emailDeliverySettings): compare, plan, diff. No I/O. Input checks: smtp_input.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.module_utils.pingone import rotation

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
# The sender options, the part of the settings that a custom HTTP provider has too.
SENDER_OPTIONS = ('from_address', 'from_name', 'reply_to_address', 'reply_to_name')
# Who sends an environment's email: PingOne's own service, an SMTP server, or a custom HTTP provider. The
# emailDeliverySettings endpoint holds either of the last two (pingone-api.md section 2).
PINGONE, SMTP, CUSTOM_HTTP = 'pingone', 'smtp', 'custom_http'
# Options that may be cleared with an empty string.
CLEARABLE = ('from_name', 'reply_to_address', 'reply_to_name')
DEFAULT_PORT = 465
# Diff marker: the password is never shown, only whether it is sent.
PASSWORD_SENT = '(hidden: will be sent)'
PASSWORD_MISSING = '(hidden: needed, not given)'


class Plan:
    """What pingone_smtp will do: `action` is 'put', 'delete' or None; `error` stops it before any write."""

    def __init__(self, action=None, body=None, before=None, after=None, error=None, warning=None, provider_before=None,
                 rotates=False):
        self.action = action
        self.rotates = rotates  # the password is sent because password_updated_at is later than PingOne's updatedAt
        self.warning = warning
        self.body = body
        self.before = before or {}
        self.after = after or {}
        self.error = error
        self.provider_before = provider_before or (SMTP if self.before else PINGONE)

    @property
    def provider_after(self):
        """The provider once the plan is carried out."""
        return {'put': SMTP, 'delete': PINGONE}.get(self.action, self.provider_before)

    @property
    def replaces_custom_provider(self):
        return self.provider_before == CUSTOM_HTTP and self.provider_after != CUSTOM_HTTP

    @property
    def changed(self):
        return self.action is not None

    @property
    def diff(self):
        if self.replaces_custom_provider:
            # The custom provider's name goes with it; `provider: custom_http -> smtp` says what is replaced.
            return dict(before=dict(self.before, provider=self.provider_before),
                        after=dict(self.after, provider=self.provider_after))
        return dict(before=self.before, after=self.after)

    @property
    def changed_options(self):
        """The options whose value changes, `provider`, and `password` only when rotated (it is write-only)."""
        return sorted(changed_options(self.before, self.after) + (['provider'] if self.replaces_custom_provider else [])
                      + (['password'] if self.rotates else []))


def provider_of(api_settings):
    """Who sends the environment's email, from the settings PingOne returned.

    PingOne answers 200 with little more than _links while neither is set (pingone-api.md section 1); its SDK
    tells the two variants apart by protocol, HTTP being the custom provider (section 2).
    """
    if not api_settings:
        return PINGONE
    if api_settings.get('protocol') == 'HTTP' or api_settings.get('provider') == 'CUSTOM_PROVIDER':
        return CUSTOM_HTTP
    if 'host' in api_settings or 'protocol' in api_settings:
        return SMTP
    return PINGONE


def is_configured(api_settings):
    """Whether the environment sends through its own SMTP server."""
    return provider_of(api_settings) == SMTP


def _options_from_api(api_settings, options):
    settings = {}
    for option in options:
        value = api_settings
        for key in FIELDS[option]:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            settings[option] = value
    return settings


def settings_from_api(api_settings):
    """Flat, option-named SMTP settings from an API body; {} unless the environment has an SMTP server."""
    if not is_configured(api_settings):
        return {}
    return _options_from_api(api_settings, FIELDS)


def custom_provider_from_api(api_settings):
    """The name and sender of a custom HTTP provider; {} for the other providers.

    Never its authentication, headers or request bodies: they hold its secrets.
    """
    if provider_of(api_settings) != CUSTOM_HTTP:
        return {}
    return dict(_options_from_api(api_settings, SENDER_OPTIONS), name=api_settings.get('name'))


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
    settings.pop('provider', None)
    if settings:
        settings['protocol'] = api_settings.get('protocol') if settings['port'] == api_settings.get('port') else None
    return settings


def option_for_target(target):
    """The module option a PingOne error detail's target names (`from.address` -> from_address), else the target."""
    path = tuple((target or '').split('.'))
    for option, option_path in FIELDS.items():
        if option_path == path:
            return option
    return target


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


def custom_provider_error(params, api_settings):
    """Why pingone_smtp stops before writing over a custom HTTP provider; None when it may go on."""
    if provider_of(api_settings) != CUSTOM_HTTP or params.get('replace_custom_provider'):
        return None
    instead = ('replace it with this SMTP server' if params['state'] == 'present'
               else "reset the environment to PingOne's built-in email service")
    return ("environment %s sends its email through the custom HTTP provider %r: nothing was written; "
            "set replace_custom_provider=true to %s" % (params['environment_id'], api_settings.get('name'), instead))


def plan(params, api_settings, check_mode=False):
    """Decide what pingone_smtp does to reach params from the settings PingOne returned."""
    provider = provider_of(api_settings)
    error = custom_provider_error(params, api_settings)
    if error:
        return Plan(error=error, provider_before=provider)
    current = settings_from_api(api_settings)
    # What a write would keep: the SMTP settings, or, replacing a custom provider, its sender.
    kept = current
    if provider == CUSTOM_HTTP:
        kept = _options_from_api(api_settings, SENDER_OPTIONS)
        current = dict(kept, custom_provider_name=api_settings.get('name'))
    if params['state'] == 'absent':
        if provider == PINGONE:
            return Plan(before={}, after={})
        return Plan(action='delete', before=current, after={}, provider_before=provider)

    desired = desired_settings(params, kept)
    password = params.get('password')
    # The password is write-only: it cannot be compared, so it only forces a write when asked to, or when the
    # date it was changed is later than PingOne's last write of these settings (rotation.py).
    rotates = provider == SMTP and rotation.is_due(params.get('password_updated_at'), api_settings.get('updatedAt'))
    needs_write = desired != current or params.get('update_password') == 'always' or rotates
    if not needs_write:
        return Plan(before=current, after=current, provider_before=provider)

    missing = [option for option in ('host', 'username', 'from_address') if option not in desired]
    if missing:
        return Plan(error='%s needed: the environment has no SMTP server yet, or has none of these set'
                    % ', '.join(missing), provider_before=provider)
    if 'reply_to_name' in desired and 'reply_to_address' not in desired:
        # PingOne requires replyTo.address whenever replyTo is sent.
        return Plan(error='reply_to_name needs reply_to_address (clear both with empty strings to remove the reply-to)',
                    provider_before=provider)
    if password is None:
        message = ('password is needed to change the SMTP settings (%s): PingOne replaces the whole object '
                   'on every write and never returns the stored password'
                   % ', '.join(changed_options(current, desired) + (['password'] if rotates else [])))
        if not check_mode:
            # Never send a placeholder or a read-back value in its place.
            return Plan(error=message, provider_before=provider)
        # A dry run (a pull-request audit) still reports the drift; the real run will ask for the password.
        return Plan(action='put', before=current, after=dict(desired, password=PASSWORD_MISSING), warning=message,
                    provider_before=provider, rotates=rotates)
    return Plan(action='put', body=request_body(desired, password), before=current,
                after=dict(desired, password=rotation.PASSWORD_ROTATED if rotates else PASSWORD_SENT),
                provider_before=provider, rotates=rotates)


def readback_mismatches(plan, api_settings):
    """What the settings read back after a write lack of the plan: one message per option; [] when they match."""
    if provider_of(api_settings) == CUSTOM_HTTP:
        return ['the custom HTTP provider %r is still set' % api_settings.get('name')]
    held = settings_from_api(api_settings)
    if plan.action == 'delete':
        return ['the SMTP server is still set (host %r)' % held.get('host')] if held else []
    # changed_options never lists the password, so the marker in plan.after is never compared.
    return ['%s is %r, expected %r' % (option, held.get(option), plan.after.get(option))
            for option in changed_options(held, plan.after)]


def changed_options(current, desired):
    """The module options (never the password) whose value differs."""
    return sorted(option for option in set(current) | set(desired)
                  if option in FIELDS and current.get(option) != desired.get(option))
