# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.pingone.platform.plugins.filter.smtp_rollout_module_args import smtp_rollout_module_args

SETTINGS = {'host': 'smtp.example.com', 'port': 587, 'username': 'mailer', 'password': 'S3cret',
            'from_address': 'noreply@example.com', 'from_name': 'Example'}
# The role's defaults (defaults/main.yml), as the role passes them.
ROLE = dict(overrides={}, connection={}, state='present', read_only=False, update_password='on_change',
            password_updated_at='', verify=True, replace_custom_provider=False, activate=True, preflight='auth',
            preflight_ca_path='', preflight_timeout=10, preflight_send_to='', preflight_always=False,
            preflight_allow_private=False)


def args(settings=None, **role):
    return smtp_rollout_module_args(SETTINGS if settings is None else settings, **dict(ROLE, **role))


def test_the_defaults_give_the_settings_and_the_options_the_module_needs():
    assert args() == dict(SETTINGS, state='present', update_password='on_change', verify=True,
                          replace_custom_provider=False, activate=True, preflight='auth', preflight_timeout=10,
                          preflight_always=False, preflight_allow_private=False)


def test_overrides_are_laid_over_the_shared_settings_key_by_key():
    given = args(overrides={'from_name': 'Production', 'port': 465})
    assert (given['from_name'], given['port'], given['host']) == ('Production', 465, 'smtp.example.com')


def test_only_the_settings_options_are_passed():
    # An unknown key is refused by the role's argument spec before this runs; here it is simply not an argument.
    assert 'protocol' not in args(dict(SETTINGS, protocol='SMTP'))


def test_the_connection_comes_first_and_the_role_options_after_it():
    given = args(connection={'region_code': 'EU', 'retries': 1})
    assert (given['region_code'], given['retries']) == ('EU', 1)


def test_a_reset_takes_no_settings_and_tests_no_server():
    assert args(state='absent', preflight='auth', preflight_ca_path='/ca.pem', password_updated_at='2026-01-01') == dict(
        state='absent', verify=True, replace_custom_provider=False, activate=True, preflight='none', preflight_timeout=10)


@pytest.mark.parametrize('password', ['', None])
def test_an_empty_password_is_left_out_only_when_read_only(password):
    assert 'password' not in args(dict(SETTINGS, password=password), read_only=True)
    # Not read only: given, so that pingone_smtp refuses an empty password by name.
    assert args(dict(SETTINGS, password=password))['password'] == password


def test_a_password_is_kept_when_read_only():
    assert args(read_only=True)['password'] == 'S3cret'


def test_a_missing_password_stays_missing():
    settings = dict(SETTINGS)
    del settings['password']
    assert 'password' not in args(settings)


def test_rotation_date_only_when_given():
    assert 'password_updated_at' not in args()
    assert args(password_updated_at='2026-11-30T12:00:00Z')['password_updated_at'] == '2026-11-30T12:00:00Z'


def test_preflight_options_only_when_a_preflight_runs():
    given = args(preflight='connect', preflight_ca_path='/ca.pem', preflight_send_to='ops@example.com',
                 preflight_always=True, preflight_allow_private=True)
    assert (given['preflight'], given['preflight_ca_path'], given['preflight_send_to'], given['preflight_always'],
            given['preflight_allow_private']) == ('connect', '/ca.pem', 'ops@example.com', True, True)
    none = args(preflight='none', preflight_ca_path='/ca.pem', preflight_send_to='ops@example.com', preflight_always=True)
    assert none['preflight'] == 'none'
    assert not set(none) & {'preflight_ca_path', 'preflight_send_to', 'preflight_always', 'preflight_allow_private'}


def test_empty_ca_path_and_send_to_are_left_out():
    assert not set(args()) & {'preflight_ca_path', 'preflight_send_to'}


@pytest.mark.parametrize('name, role', [
    ('smtp_rollout_settings', dict(settings='y')),
    ('smtp_rollout_overrides', dict(overrides=[1])),
    ('smtp_rollout_connection', dict(connection='x')),
])
def test_a_variable_that_is_not_a_mapping_is_refused_by_name(name, role):
    settings = role.pop('settings', None)
    with pytest.raises(AnsibleFilterError, match='%s must be a mapping' % name):
        args(settings, **role)
