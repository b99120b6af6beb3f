# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch sizes for a play's `serial` that run the same waves over each group in turn."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

# A count ("3" as Ansible's serial reads it too) or a percentage ("25%", "12.5%").
COUNT = re.compile(r'^\s*[0-9]+\s*$')
PERCENTAGE = re.compile(r'^\s*([0-9]+(\.[0-9]+)?)\s*%\s*$')
EXAMPLE = "such as [1, '25%', '100%']"


def kind_of(value):
    """The name a user knows for a value's type (Ansible 2.19 tags its values: not `_AnsibleTaggedStr`)."""
    for kind, name in ((bool, 'bool'), (str, 'string'), (int, 'int'), (float, 'float'), (Mapping, 'mapping')):
        if isinstance(value, kind):
            return name
    return 'list' if is_sequence(value) else type(value).__name__


def wave_error(wave, why):
    return AnsibleFilterError('rollout_waves: the wave %r is %s; a wave is a positive count of environments or a '
                              'percentage in (0, 100], %s' % (wave, why, EXAMPLE))


def checked_wave(wave):
    """A wave as Ansible's `serial` reads it, checked: ('count', n >= 1) or ('percent', 0 < p <= 100)."""
    if isinstance(wave, bool) or not isinstance(wave, (int, str)):
        raise wave_error(wave, 'a %s' % kind_of(wave))
    if isinstance(wave, int) or COUNT.match(wave):
        if int(wave) < 1:
            raise wave_error(wave, 'not positive')
        return 'count', int(wave)
    match = PERCENTAGE.match(wave)
    if not match:
        raise wave_error(wave, 'neither a count nor a percentage')
    percent = float(match.group(1))
    if not 0 < percent <= 100:
        raise wave_error(wave, 'outside (0, 100]')
    return 'percent', percent


def checked_waves(waves):
    """`rollout_waves`, checked before any host runs: a non-empty list of waves. A string ('25%' would be read as
    the waves '2', '5', '%') or a mapping is refused, naming the variable."""
    if isinstance(waves, (str, bytes)) or not is_sequence(waves):
        raise AnsibleFilterError('rollout_waves must be a list of waves %s, got a %s: %r'
                                 % (EXAMPLE, kind_of(waves), waves))
    if not waves:
        raise AnsibleFilterError('rollout_waves: give at least one wave, %s' % EXAMPLE)
    return [checked_wave(wave) for wave in waves]


def wave_size(wave, group_size):
    """The hosts of a checked wave in a group: a count, or a percentage of the group (at least one host)."""
    kind, value = wave
    if kind == 'count':
        return value
    return int(value / 100.0 * group_size) or 1


def rollout_batches(group_sizes, waves):
    """Batch sizes that run `waves` over each group in order, so no batch mixes two groups.

    With the hosts ordered group by group, `serial: [1, '25%', '100%']` alone would put the last sandboxes and the
    first production environments in one batch; these sizes end every group's last wave at the group's end.
    """
    checked = checked_waves(waves)
    batches = []
    for group_size in group_sizes:
        remaining = int(group_size)
        index = 0
        while remaining > 0:
            # Every checked wave is at least one host, so each pass takes at least one: the loop ends.
            size = min(remaining, wave_size(checked[min(index, len(checked) - 1)], int(group_size)))
            batches.append(size)
            remaining -= size
            index += 1
    return batches or [1]


class FilterModule:
    def filters(self):
        return {'rollout_batches': rollout_batches}
