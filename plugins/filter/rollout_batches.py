# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch sizes for a play's `serial` that run the same waves over each group in turn."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError


def wave_size(wave, group_size):
    """A wave as Ansible's `serial` reads it: a count, or a percentage of the group (at least one host)."""
    if isinstance(wave, str) and wave.endswith('%'):
        return int(float(wave[:-1]) / 100.0 * group_size) or 1
    size = int(wave)
    if size < 1:
        raise AnsibleFilterError('rollout_batches: a wave must be a positive count or a percentage, got %r' % wave)
    return size


def rollout_batches(group_sizes, waves):
    """Batch sizes that run `waves` over each group in order, so no batch mixes two groups.

    With the hosts ordered group by group, `serial: [1, '25%', '100%']` alone would put the last sandboxes and the
    first production environments in one batch; these sizes end every group's last wave at the group's end.
    """
    if not waves:
        raise AnsibleFilterError('rollout_batches: give at least one wave, such as [1, "25%", "100%"]')
    batches = []
    for group_size in group_sizes:
        remaining = int(group_size)
        index = 0
        while remaining > 0:
            size = min(remaining, wave_size(waves[min(index, len(waves) - 1)], int(group_size)))
            batches.append(size)
            remaining -= size
            index += 1
    return batches or [1]


class FilterModule:
    def filters(self):
        return {'rollout_batches': rollout_batches}
