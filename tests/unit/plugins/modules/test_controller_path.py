# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole result of a module run as the action plugins run it (controller_action.run_main): the real
AnsibleModule's exit_json/fail_json, so invocation, warnings, deprecations and no_log masking are AnsibleModule's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import parameters

from ansible_collections.pingone.platform.plugins.modules import pingone_smtp, pingone_smtp_info
from ansible_collections.pingone.platform.plugins.plugin_utils.controller_action import run_main
from ansible_collections.pingone.platform.tests.unit.module_args import REAL_EXIT_JSON, REAL_FAIL_JSON
# isolated_module and pingone are fixtures: pytest finds them by name in this module.
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import (  # pylint: disable=unused-import
    CLIENT_SECRET, CONNECTION, ENVIRONMENT_ID, SMTP_OPTIONS, SMTP_PASSWORD, isolated_module, make_response, pingone)

MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


@pytest.fixture(autouse=True)
def real_exit(monkeypatch, isolated_module):
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', REAL_EXIT_JSON)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', REAL_FAIL_JSON)


# ansible-core 2.21 adds `invocation` only when the action asks for it (INJECT_INVOCATION), as it does here.
INJECT_INVOCATION = dict(_ansible_inject_invocation=True) if 'inject_invocation' in parameters.PASS_VARS else {}


def in_controller(module, args):
    return json.loads(run_main(module.main, dict(CONNECTION, **dict(args, **INJECT_INVOCATION))).strip().splitlines()[-1])


@pytest.mark.parametrize('execution_path', ['controller'])  # one path here: the conftest's both-path fixture
def test_invocation_is_masked_and_complete(pingone, execution_path):
    result = in_controller(pingone_smtp, SMTP_OPTIONS)
    assert result['changed'] is True
    assert result['invocation']['module_args']['password'] == MASK
    assert result['invocation']['module_args']['client_secret'] == MASK
    assert result['invocation']['module_args']['client_id'] == CONNECTION['client_id']
    assert SMTP_PASSWORD not in json.dumps(result) and CLIENT_SECRET not in json.dumps(result)


@pytest.mark.parametrize('execution_path', ['controller'])
def test_unknown_option_fails_with_ansible_modules_message(pingone, execution_path):
    result = in_controller(pingone_smtp, dict(SMTP_OPTIONS, bogus=1))
    assert result['failed'] is True and result['msg'].startswith('Unsupported parameters for (')
    assert pingone.calls == []


@pytest.mark.parametrize('execution_path', ['controller'])
def test_warnings_and_alias_warning_are_in_the_result(pingone, execution_path):
    result = in_controller(pingone_smtp_info, dict(environment_id=ENVIRONMENT_ID, environment_ids=[ENVIRONMENT_ID],
                                                   validate_certs=False, ca_path=None))
    # Before 2.19 a list of strings; from 2.19 the JSON form of WarningSummary objects, which the action decodes.
    warnings = json.dumps(result['warnings'])
    assert 'Both option environment_ids and its alias environment_id are set.' in warnings
    assert 'validate_certs=false: the TLS certificate' in warnings


@pytest.mark.parametrize('execution_path', ['controller'])
def test_warnings_of_one_run_do_not_leak_into_the_next(pingone, execution_path):
    in_controller(pingone_smtp_info, dict(environment_id=ENVIRONMENT_ID, validate_certs=False))
    assert 'warnings' not in in_controller(pingone_smtp_info, dict(environment_id=ENVIRONMENT_ID))


@pytest.mark.parametrize('execution_path', ['controller'])
def test_a_failure_inside_an_operation_after_the_token_is_fetched_shows_no_token(pingone, execution_path):
    # A WAF's answer that echoes the request, Authorization header included, after the token was fetched.
    pingone.put_answer = make_response(400, {'code': 'INVALID_DATA', 'message': 'rejected: Authorization: Bearer issued-token'})
    result = in_controller(pingone_smtp, SMTP_OPTIONS)
    assert result['failed'] is True and 'rejected' in result['msg']
    assert 'issued-token' not in json.dumps(result)
