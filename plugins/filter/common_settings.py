# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared settings and per-environment overrides from the SMTP settings environments hold (the export playbook)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.pingone.platform.plugins.module_utils.pingone.smtp import CLEARABLE, FIELDS


def most_common(values):
    """The value given most often; of equally common ones, the one seen first. None counts as a value (not set)."""
    counts = []  # [value, count] in the order first seen; values may be unhashable
    for value in values:
        for entry in counts:
            if entry[0] == value and type(entry[0]) is type(value):  # 1 and True, 465 and '465' stay apart
                entry[1] += 1
                break
        else:
            counts.append([value, 1])
    best = None
    for value, count in counts:
        if best is None or count > best[1]:
            best = (value, count)
    return best[0] if best else None


def common_settings(settings_by_host):
    """{'settings': the most common value of each field, 'overrides': {host: only the fields that differ}}.

    A field most environments leave unset is left out of the shared settings; an environment that lacks a field
    the others share gets '' for it, which pingone_smtp reads as "clear it" (the clearable fields). Fields that
    are not SMTP options (protocol, ...) are ignored.
    """
    if not isinstance(settings_by_host, dict) or not all(isinstance(value, dict) for value in settings_by_host.values()):
        raise AnsibleFilterError('common_settings: give a dictionary of host -> SMTP settings, got %r' % (settings_by_host,))
    shared = {}
    for option in FIELDS:
        value = most_common([settings.get(option) for settings in settings_by_host.values()])
        if value is not None:
            shared[option] = value
    overrides = {}
    for host, settings in settings_by_host.items():
        differs = {}
        for option in FIELDS:
            value = settings.get(option)
            if value == shared.get(option) and type(value) is type(shared.get(option)):
                continue
            if value is not None:
                differs[option] = value
            elif option in CLEARABLE:
                differs[option] = ''
        if differs:
            overrides[host] = differs
    return {'settings': shared, 'overrides': overrides}


class FilterModule:
    def filters(self):
        return {'common_settings': common_settings}
