# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pingone_smtp's password_updated_at end to end, against the fake PingOne of test_pingone_smtp: no network."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible.module_utils import basic

# The fake PingOne and the module runner; isolated_module is autouse there and applies here once imported.
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import (  # noqa: F401 pylint: disable=unused-import
    SMTP_OPTIONS, SMTP_PASSWORD, STORED_BODY, FakePingOne, fail, isolated_module, make_response, succeed)

# PingOne's clock at the writes of these tests: later than STORED_BODY's updatedAt (2026-11-25T10:00:00.000Z).
PINGONE_NOW = '2026-12-04T12:00:00.000Z'
LATER = '2026-12-01T09:30:00Z'
OLDER = '2026-11-20T09:30:00Z'


class StampingPingOne(FakePingOne):
    """Stamps every accepted PUT with updatedAt, as PingOne does."""

    def request(self, method, url, **kwargs):
        response = super(StampingPingOne, self).request(method, url, **kwargs)
        if method == 'PUT' and response.status_code == 200:
            self.stored['updatedAt'] = PINGONE_NOW
            return make_response(200, self.stored)
        return response


@pytest.fixture
def pingone(monkeypatch):
    fake = StampingPingOne(stored=STORED_BODY)

    def session_request(_session, method, url, **kwargs):
        return fake.request(method, url, **kwargs)
    monkeypatch.setattr(requests.Session, 'request', session_request)
    return fake


def test_a_later_date_sends_the_password_once_then_nothing(pingone):
    first = succeed(dict(SMTP_OPTIONS, password_updated_at=LATER), diff=True)
    assert first['changed'] is True and first['password_sent'] is True
    assert first['changed_options'] == ['password']
    assert first['diff']['after']['password'] == '(hidden: rotated, will be sent)'
    assert [body['password'] for body in pingone.sent_bodies()] == [SMTP_PASSWORD]
    second = succeed(dict(SMTP_OPTIONS, password_updated_at=LATER))
    assert second['changed'] is False and second['changed_options'] == []
    assert pingone.methods() == ['GET', 'PUT', 'GET', 'GET']


def test_an_older_date_sends_nothing(pingone):
    result = succeed(dict(SMTP_OPTIONS, password_updated_at=OLDER))
    assert result['changed'] is False and result['password_sent'] is False
    assert pingone.methods() == ['GET']


def test_check_mode_predicts_the_rotation_and_writes_nothing(pingone):
    result = succeed(dict(SMTP_OPTIONS, password_updated_at=LATER), check_mode=True, diff=True)
    assert result['changed'] is True and result['written'] is False
    assert result['changed_options'] == ['password']
    assert result['diff']['after']['password'] == '(hidden: rotated, will be sent)'
    assert pingone.methods() == ['GET']
    assert SMTP_PASSWORD not in repr(result)


@pytest.mark.parametrize('value', ['2026-12-01', 'soon', '2026-12-32T00:00:00Z'])
def test_a_value_that_is_not_a_date_fails_before_any_request_naming_the_option(pingone, value):
    result = fail(dict(SMTP_OPTIONS, password_updated_at=value))
    assert 'password_updated_at must be an ISO 8601 date and time' in result['msg']
    assert pingone.calls == []


def test_a_date_later_than_pingones_write_warns_that_every_run_will_send(pingone, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    result = succeed(dict(SMTP_OPTIONS, password_updated_at='2027-01-01T00:00:00Z'))
    assert result['changed'] is True
    assert len(warnings) == 1 and 'every run will send the password' in warnings[0]
    assert PINGONE_NOW in warnings[0]
