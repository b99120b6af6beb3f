# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's own checks: unknown config keys, scrubbed messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.pingone.platform.plugins.inventory.environments import unknown_option_problems

OPTIONS = ('plugin', 'types', 'regions', 'name_prefix', 'hostname', 'filters', 'client_secret', 'cache')


def test_a_typo_names_the_closest_option():
    assert unknown_option_problems({'plugin': 'x', 'type': ['SANDBOX']}, OPTIONS) == ["unknown option 'type' (did you mean 'types'?)"]


def test_an_unrelated_key_is_named_alone():
    assert unknown_option_problems({'plugin': 'x', 'zzz': 1}, OPTIONS) == ["unknown option 'zzz'"]


def test_known_keys_have_no_problem():
    assert unknown_option_problems({'plugin': 'x', 'types': [], 'name_prefix': 'demo-'}, OPTIONS) == []


def test_the_one_masker_replaces_every_secret_longest_first():
    assert remove_values('a Secret-1 and Secret-1-long', {'Secret-1', 'Secret-1-long'}) == 'a ******** and ********'
