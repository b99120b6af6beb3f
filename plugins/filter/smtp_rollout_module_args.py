# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The arguments of the smtp_rollout role's pingone_smtp task, from the role's variables, in one template.

Ansible compiles a template anew each time it renders one, in each host's worker: the task's arguments as one
template each (and the shared settings re-rendered for each) were about half of what the task cost per
environment.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.pingone.platform.plugins.module_utils.pingone.smtp import FIELDS

SETTINGS = tuple(FIELDS) + ('password',)


def smtp_rollout_module_args(settings, overrides, connection, state, read_only, update_password, password_updated_at,
                             verify, replace_custom_provider, activate, preflight, preflight_ca_path, preflight_timeout,
                             preflight_send_to, preflight_always, preflight_allow_private):
    """pingone_smtp's arguments (but environment_id): the connection, then what the state needs.

    The settings are the shared ones with the environment's overrides laid over them key by key. A reset
    (state absent) takes no settings and tests no SMTP server. An empty password is left out when read_only (check
    mode, or the audit): a pull-request pipeline holds none; otherwise it is given, and the module refuses it.
    """
    for name, value in (('smtp_rollout_settings', settings), ('smtp_rollout_overrides', overrides),
                        ('smtp_rollout_connection', connection)):
        if not isinstance(value, Mapping):
            raise AnsibleFilterError('%s must be a mapping (a dict of option: value), got %r' % (name, value))
    args = dict(connection)
    args.update(state=state, verify=verify, replace_custom_provider=replace_custom_provider, activate=activate,
                preflight_timeout=preflight_timeout, preflight='none')
    if state != 'present':
        return args
    desired = dict(settings)
    desired.update(overrides)
    args.update((name, desired[name]) for name in SETTINGS if name in desired)
    if read_only and not args.get('password', True):
        del args['password']
    args['update_password'] = update_password
    if password_updated_at:
        args['password_updated_at'] = password_updated_at
    args['preflight'] = preflight
    if preflight != 'none':
        args.update(preflight_always=preflight_always, preflight_allow_private=preflight_allow_private)
        args.update((name, value) for name, value in (('preflight_ca_path', preflight_ca_path),
                                                      ('preflight_send_to', preflight_send_to)) if value)
    return args


class FilterModule:
    def filters(self):
        return {'smtp_rollout_module_args': smtp_rollout_module_args}
