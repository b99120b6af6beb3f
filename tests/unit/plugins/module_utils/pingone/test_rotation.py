# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rotation by date: parsing password_updated_at and comparing it with PingOne's updatedAt, without a server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

import pytest

from ansible_collections.pingone.platform.plugins.module_utils.pingone import rotation, smtp

UTC = datetime.timezone.utc
ENVIRONMENT_ID = 'a3b1c2d4-0000-4000-8000-000000000001'
WRITTEN_AT = '2026-11-25T10:00:00.000Z'  # PingOne's updatedAt: RFC 3339, milliseconds, Z
STORED_BODY = {'host': 'smtp.example.com', 'port': 587, 'protocol': 'SMTP', 'username': 'pingone-mailer',
               'from': {'address': 'noreply@example.com'}, 'environment': {'id': ENVIRONMENT_ID}, 'updatedAt': WRITTEN_AT}


@pytest.mark.parametrize('text, instant', [
    ('2026-11-25T10:00:00.000Z', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25T10:00:00Z', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25t10:00z', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    # No zone means UTC, whatever the controller's zone.
    ('2026-11-25T10:00:00', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25 10:00', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25T11:30:00+01:30', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25T05:00:00-0500', datetime.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ('2026-11-25T10:00:00.123456789Z', datetime.datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=UTC)),
    ('2026-11-25T10:00:00,5Z', datetime.datetime(2026, 11, 25, 10, 0, 0, 500000, tzinfo=UTC)),
])
def test_parse_gives_the_utc_instant(text, instant):
    assert rotation.parse(text) == instant


@pytest.mark.parametrize('text', [
    '2026-11-25',             # a date alone: midnight is earlier than a write made later that day
    'yesterday', '', '2026-13-01T00:00:00Z', '2026-11-31T00:00:00Z', '2026-11-25T25:00:00Z',
    '2026-11-25T10:00:00+24:00', '2026-11-25T10:00:00 UTC', '20261125T100000Z', None, 20261125,
])
def test_parse_refuses_what_is_not_a_date_and_time(text):
    assert rotation.parse(text) is None


@pytest.mark.parametrize('password_updated_at, due', [
    ('2026-11-25T10:00:00.001Z', True),    # a millisecond after the last write
    ('2026-11-25T10:00:00.000Z', False),   # the same instant is not later
    ('2026-11-25T09:59:59Z', False),
    ('2026-11-25T11:00:00+01:00', False),  # the same instant in another zone
    ('2026-11-25T11:00:01+01:00', True),
    ('2026-11-25T10:00:01', True),         # no zone: UTC
    (None, False),
])
def test_due_only_when_the_password_is_dated_after_the_last_write(password_updated_at, due):
    assert rotation.is_due(password_updated_at, WRITTEN_AT) is due


def test_settings_without_updated_at_are_due():
    assert rotation.is_due('2020-01-01T00:00:00Z', None) is True


@pytest.mark.parametrize('value', ['2026-11-25', 'next tuesday', '2026-02-30T00:00:00Z'])
def test_validate_names_the_option(value):
    problems = rotation.validate({'state': 'present', 'password_updated_at': value})
    assert len(problems) == 1 and problems[0].startswith('password_updated_at must be an ISO 8601 date and time')
    assert repr(value) in problems[0]


def test_validate_refuses_the_date_with_state_absent():
    assert rotation.validate({'state': 'absent', 'password_updated_at': '2026-11-25T10:00:00Z'}) == [
        'password_updated_at cannot be used with state=absent, which sends no password']


def test_validate_accepts_a_date_and_no_date():
    assert rotation.validate({'state': 'present', 'password_updated_at': '2026-11-25T10:00:00Z'}) == []
    assert rotation.validate({'state': 'present', 'password_updated_at': None}) == []


def params(**options):
    result = dict(environment_id=ENVIRONMENT_ID, state='present', host='smtp.example.com', port=587, username='pingone-mailer',
                  password='new-secret', update_password='on_change', from_address='noreply@example.com', from_name=None,
                  reply_to_address=None, reply_to_name=None)
    result.update(options)
    return result


def test_plan_sends_the_password_when_its_date_is_later_than_the_last_write():
    plan = smtp.plan(params(password_updated_at='2026-11-26T08:00:00Z'), STORED_BODY)
    assert plan.action == 'put' and plan.body['password'] == 'new-secret'
    assert plan.changed_options == ['password']
    assert plan.diff['after']['password'] == rotation.PASSWORD_ROTATED
    assert 'password' not in plan.diff['before']


def test_plan_sends_nothing_when_the_date_is_older_than_the_last_write():
    plan = smtp.plan(params(password_updated_at='2026-11-24T08:00:00Z'), STORED_BODY)
    assert plan.action is None and plan.changed_options == []


def test_plan_of_a_rotation_without_password_fails_naming_it_and_reports_it_in_check_mode():
    dated = params(password=None, password_updated_at='2026-11-26T08:00:00Z')
    assert 'password is needed to change the SMTP settings (password)' in smtp.plan(dated, STORED_BODY).error
    dry = smtp.plan(dated, STORED_BODY, check_mode=True)
    assert dry.action == 'put' and dry.body is None and dry.changed_options == ['password']


def test_first_configuration_is_not_called_a_rotation():
    plan = smtp.plan(params(password_updated_at='2026-11-26T08:00:00Z'), {})
    assert plan.action == 'put' and 'password' not in plan.changed_options
