# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' main() run in the controller (ControllerModule, as the action plugins run it) against AnsibleModule."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.pingone.platform.tests.unit.module_args import patch_module_args

from ansible_collections.pingone.platform.plugins.module_utils.pingone import options as opts
from ansible_collections.pingone.platform.plugins.module_utils.pingone.module import (
    ControllerModule, ControllerTask, TaskExit, controller_task)
from ansible_collections.pingone.platform.plugins.modules import pingone_smtp, pingone_smtp_info
# isolated_module and pingone are fixtures: pytest finds them by name in this module.
from ansible_collections.pingone.platform.tests.unit.plugins.modules.test_pingone_smtp import (  # pylint: disable=unused-import
    AnsibleExitJson, AnsibleFailJson, CLIENT_SECRET, CONNECTION, ENVIRONMENT_ID, SMTP_OPTIONS, SMTP_PASSWORD,
    isolated_module, pingone)

NAME = 'pingone.platform.pingone_smtp'
MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def in_controller(module, args, check_mode=False, diff=False):
    """Run module.main() as the action plugin does; return its result."""
    with controller_task(ControllerTask(NAME, dict(args), check_mode=check_mode, diff=diff)):
        with pytest.raises(TaskExit) as task_exit:
            module.main()
    return task_exit.value.result


def in_module_process(module, args):
    """Run module.main() with AnsibleModule; return the failure's message."""
    with patch_module_args(dict(args, _ansible_module_name=NAME)):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as outcome:
            module.main()
    return outcome.value.args[0]


@pytest.mark.parametrize('args', [
    dict(SMTP_OPTIONS, bogus=1),                       # unknown option
    dict(SMTP_OPTIONS, port='many'),                   # wrong type
    dict(SMTP_OPTIONS, state='gone'),                  # not a choice
    dict(host='smtp.example.com'),                     # environment_id missing
    dict(SMTP_OPTIONS, environment_id='production'),   # our own validation (not a UUID)
    dict(SMTP_OPTIONS, port=70000),
])
def test_validation_messages_are_those_of_ansible_module(pingone, args):
    args = dict(CONNECTION, **args)
    controller = in_controller(pingone_smtp, args)
    assert controller['failed'] is True
    assert controller['msg'] == in_module_process(pingone_smtp, args)['msg']
    assert pingone.calls == []  # bad input fails before any request


def test_connection_comes_from_pingone_environment_variables(pingone, monkeypatch):
    for option, value in CONNECTION.items():
        monkeypatch.setenv(opts.ENV_VARS[option], value)
    result = in_controller(pingone_smtp_info, dict(environment_id=ENVIRONMENT_ID))
    assert 'failed' not in result, result
    assert result['invocation']['module_args']['client_id'] == CONNECTION['client_id']
    assert result['invocation']['module_args']['client_secret'] == MASK


def test_first_apply_in_controller_puts_and_reads_back_with_secrets_masked(pingone):
    result = in_controller(pingone_smtp, dict(CONNECTION, **SMTP_OPTIONS), diff=True)
    assert result['changed'] is True and result['written'] is True and result['verified'] is True
    assert pingone.methods() == ['GET', 'PUT', 'GET']
    assert pingone.sent_bodies()[0]['password'] == SMTP_PASSWORD
    assert result['invocation']['module_args']['password'] == MASK
    assert result['invocation']['module_args']['client_secret'] == MASK
    assert result['diff']['after']['host'] == 'smtp.example.com'
    assert SMTP_PASSWORD not in repr(result) and CLIENT_SECRET not in repr(result)


def test_check_mode_in_controller_sends_no_write(pingone):
    result = in_controller(pingone_smtp, dict(CONNECTION, **SMTP_OPTIONS), check_mode=True)
    assert result['changed'] is True and result['written'] is False
    assert pingone.methods() == ['GET']


def test_values_added_to_no_log_values_later_are_masked_everywhere():
    module = ControllerModule(ControllerTask(NAME, dict(secret='s3cret-given')), dict(secret=dict(type='str', no_log=True)))
    module.no_log_values.add('fetched-t0ken')  # as the shared run path adds an access token it fetched
    module.warn('the token fetched-t0ken was refused')
    with pytest.raises(TaskExit) as task_exit:
        module.fail_json(msg='answer echoed fetched-t0ken and s3cret-given', changed=False)
    result = task_exit.value.result
    assert 'fetched-t0ken' not in repr(result) and 's3cret-given' not in repr(result)
    assert result['failed'] is True and result['changed'] is False
    assert result['warnings'] == ['the token ******** was refused']


def test_alias_and_option_both_set_warns_like_ansible_module(pingone):
    result = in_controller(pingone_smtp_info, dict(CONNECTION, environment_id=ENVIRONMENT_ID, environment_ids=[ENVIRONMENT_ID]))
    assert result['warnings'] == ['Both option environment_ids and its alias environment_id are set.']


def test_requests_missing_fails_with_the_modules_message(pingone, monkeypatch):
    from ansible_collections.pingone.platform.plugins.module_utils.pingone import module as shared
    monkeypatch.setattr(shared, 'HAS_REQUESTS', False)
    result = in_controller(pingone_smtp_info, dict(CONNECTION, environment_id=ENVIRONMENT_ID))
    assert result['failed'] is True
    assert result['msg'].startswith('Failed to import the required Python library (requests)')
