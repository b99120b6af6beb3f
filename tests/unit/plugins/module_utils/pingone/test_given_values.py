# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option values checked as the task gave them, before Ansible's argument spec turns them into strings."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.pingone.platform.plugins.module_utils.pingone import given_values

SPEC = dict(password=dict(type='str', no_log=True), client_secret=dict(type='str', no_log=True),
            from_name=dict(type='str'), port=dict(type='int'), environment_ids=dict(type='list', elements='str'),
            environment_id=dict(type='str', aliases=['env']), verify=dict(type='bool'))


@pytest.mark.parametrize('given, problem', [
    (dict(password=['a', 'b']), 'password must be a string, got a list'),
    (dict(password={'value': 'a'}), 'password must be a string, got a mapping'),
    (dict(client_secret=12345), 'client_secret must be a string, got a number (quote it in YAML)'),
    (dict(password=True), 'password must be a string, got a boolean (quote it in YAML)'),
    (dict(from_name=['Example']), 'from_name must be a string, got a list'),
    (dict(env={'id': 'x'}), 'environment_id must be a string, got a mapping'),
])
def test_a_string_option_given_a_list_or_mapping_or_a_secret_given_no_string_is_refused(given, problem):
    assert given_values.shape_problems(SPEC, given) == [problem]


def test_the_value_of_a_secret_never_appears_in_the_problem():
    assert 'Secret-Part-9' not in repr(given_values.shape_problems(SPEC, dict(password=['Secret-Part-9'])))


@pytest.mark.parametrize('given', [dict(password='a'), dict(from_name=42), dict(port=25), dict(port='25'),
                                   dict(environment_ids=['x']), dict(verify=True), dict(password=None), dict(other=[1])])
def test_strings_numbers_for_plain_text_and_other_types_pass(given):
    assert given_values.shape_problems(SPEC, given) == []


@pytest.mark.parametrize('value', ['   ', '\t', ' \n ', u'\u00a0'])
def test_whitespace_only_strings_are_refused_naming_the_option(value):
    assert given_values.whitespace_problems(SPEC, dict(password=value, from_name=value)) == [
        'from_name must not be only whitespace', 'password must not be only whitespace']


@pytest.mark.parametrize('value', ['', ' a ', 'a'])
def test_empty_or_real_strings_are_left_to_the_other_checks(value):
    assert given_values.whitespace_problems(SPEC, dict(password=value, port=3, verify=None)) == []
