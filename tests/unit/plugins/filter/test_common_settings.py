# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.pingone.platform.plugins.filter.common_settings import common_settings, most_common

ALIKE = {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer', 'from_address': 'noreply@example.com',
         'from_name': 'Example', 'reply_to_address': 'help@example.com'}


def test_most_environments_alike_give_the_shared_settings_and_no_override():
    exported = common_settings({'a': dict(ALIKE), 'b': dict(ALIKE), 'c': dict(ALIKE)})
    assert exported == {'settings': ALIKE, 'overrides': {}}


def test_an_environment_that_differs_in_one_field_gets_only_that_field():
    exported = common_settings({'a': dict(ALIKE), 'b': dict(ALIKE, port=465), 'c': dict(ALIKE),
                                'd': dict(ALIKE, from_name='Prod')})
    assert exported['settings'] == ALIKE
    assert exported['overrides'] == {'b': {'port': 465}, 'd': {'from_name': 'Prod'}}


def test_a_missing_clearable_field_is_cleared_with_an_empty_string():
    without_reply_to = dict(ALIKE)
    del without_reply_to['reply_to_address']
    exported = common_settings({'a': dict(ALIKE), 'b': without_reply_to, 'c': dict(ALIKE)})
    assert exported['overrides'] == {'b': {'reply_to_address': ''}}


def test_a_field_most_leave_unset_is_not_shared_and_the_one_setting_it_overrides():
    exported = common_settings({'a': dict(ALIKE), 'b': dict(ALIKE), 'c': dict(ALIKE, reply_to_name='Help')})
    assert 'reply_to_name' not in exported['settings']
    assert exported['overrides'] == {'c': {'reply_to_name': 'Help'}}


def test_a_tie_goes_to_the_value_seen_first():
    exported = common_settings({'a': dict(ALIKE, port=25), 'b': dict(ALIKE, port=465)})
    assert exported['settings']['port'] == 25
    assert exported['overrides'] == {'b': {'port': 465}}


def test_fields_that_are_not_options_are_ignored():
    exported = common_settings({'a': dict(ALIKE, protocol='SMTP', password='never-here')})
    assert exported == {'settings': ALIKE, 'overrides': {}}


def test_no_environment_gives_nothing():
    assert common_settings({}) == {'settings': {}, 'overrides': {}}


@pytest.mark.parametrize('values, value', [
    ([1, 2, 2], 2), ([None, None, 'x'], None), (['x', None, None, 'x'], 'x'), ([], None),
    ([True, 1, 1], 1),  # a boolean is not the number 1
])
def test_most_common(values, value):
    assert most_common(values) == value and type(most_common(values)) is type(value)


@pytest.mark.parametrize('bad', [None, ['a'], {'a': 'not settings'}])
def test_input_that_is_not_settings_by_host_fails(bad):
    with pytest.raises(AnsibleFilterError, match='common_settings'):
        common_settings(bad)
