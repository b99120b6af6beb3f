# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outcome of one environment in a rollout, read from its registered pingone_smtp result."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def rollout_outcome(result):
    """`skipped` (never reached), `failed`, `changed` (written), `differs` (check mode: would change) or `unchanged`."""
    if not result or result.get('skipped'):
        return 'skipped'
    if result.get('failed'):
        return 'failed'
    if result.get('written'):
        return 'changed'
    return 'differs' if result.get('changed') else 'unchanged'


class FilterModule:
    def filters(self):
        return {'rollout_outcome': rollout_outcome}
