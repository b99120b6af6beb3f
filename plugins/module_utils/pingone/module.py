# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module of the collection shares: options, input checks, client, one error path.

The same flow runs in two places: in the module process (AnsibleModule), and in the controller's worker process
when the module's action plugin runs the module's main() there (ControllerModule, inside controller_task()).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.pingone.platform.plugins.module_utils.pingone import given_values
from ansible_collections.pingone.platform.plugins.module_utils.pingone.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, PingOneClient, PingOneError, connection_argument_spec, connection_problems,
    tls_warnings)

# The task a module's main() runs for in the controller, set by controller_task(); None in a module process.
_controller_task = None


def pingone_module(argument_spec, validate=None, **kwargs):
    """An AnsibleModule (a ControllerModule in the controller) with the connection options, failed before any request
    if the input cannot work."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    if _controller_task is None:
        module = _GivenValuesModule(argument_spec=spec, **kwargs)
    else:
        module = ControllerModule(_controller_task, argument_spec=spec, **kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    problems = (given_values.shape_problems(spec, module.given_params) + given_values.whitespace_problems(spec, module.params)
                + connection_problems(module.params) + (validate(module.params) if validate else []))
    if problems:
        module.fail_json(msg='Invalid input: ' + '; '.join(problems))
    for warning in tls_warnings(module.params):
        module.warn(warning)
    return module


def run(module, operation):
    """Call operation(client) and exit with its result; an API error fails the task with PingOne's code and id."""
    client = PingOneClient(module.params)
    try:
        result = operation(client)
    except PingOneError as error:
        # An error body may echo the request (a proxy, a WAF): mask the token fetched and every form of the secrets.
        module.no_log_values.update(client.secrets())
        module.fail_json(msg=str(error), **error.as_result())
    module.no_log_values.update(client.secrets())
    module.exit_json(**result)


class _GivenValuesModule(AnsibleModule):
    """An AnsibleModule that keeps the options as the task gave them (given_params), before the argument spec
    converts them: a list given to a string option must be refused, not sent as its str()."""

    def _load_params(self):
        super(_GivenValuesModule, self)._load_params()
        self.given_params = dict(self.params)


class ControllerTask:
    """What a module process would learn from its arguments: the task's options, name, check and diff modes."""

    def __init__(self, name, args, check_mode=False, diff=False):
        self.name = name
        self.args = args
        self.check_mode = check_mode
        self.diff = diff
        self.module = None  # the ControllerModule, once main() has made it


class TaskExit(Exception):
    """exit_json() or fail_json() of a module run in the controller: carries the task result, secrets masked."""

    def __init__(self, result):
        super(TaskExit, self).__init__(result.get('msg', ''))
        self.result = result


@contextlib.contextmanager
def controller_task(task):
    """While active, pingone_module() returns a ControllerModule for `task` instead of an AnsibleModule."""
    global _controller_task
    _controller_task = task
    try:
        yield
    finally:
        _controller_task = None


class ControllerModule:
    """The part of AnsibleModule the modules use, for a module's main() run in the controller's worker process.

    The options are validated by the same ArgumentSpecValidator AnsibleModule uses (env fallbacks, defaults,
    types, the same messages). exit_json() and fail_json() raise TaskExit with the result, masked with
    remove_values() over no_log_values like AnsibleModule's, so nothing secret leaves this object unmasked.
    """

    def __init__(self, task, argument_spec, supports_check_mode=False, **validator_options):
        task.module = self
        self.given_params = dict(task.args)
        self._name = task.name
        self.check_mode = task.check_mode
        self._diff = task.diff
        self.no_log_values = set()
        self._warnings = []
        validation = ArgumentSpecValidator(argument_spec, **validator_options).validate(task.args)
        self.params = validation.validated_parameters
        self.no_log_values.update(validation._no_log_values)
        for alias in validation._warnings:
            self.warn('Both option {option} and its alias {alias} are set.'.format(**alias))
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for ({name}) module: {msg}'.format(name=self._name, msg=msg)
            self.fail_json(msg=msg)
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg='remote module (%s) does not support check mode' % self._name)

    def warn(self, warning):
        self._warnings.append(warning)

    def exit_json(self, **result):
        raise TaskExit(self._masked(result))

    def fail_json(self, msg, exception=None, **result):
        # `exception` is a traceback for -vvv of a module process; the controller prints its own.
        result.update(failed=True, msg=str(msg))
        raise TaskExit(self._masked(result))

    def _masked(self, result):
        result.setdefault('invocation', dict(module_args=self.params))
        if self._warnings:
            result['warnings'] = list(self._warnings)
        # Like AnsibleModule: booleans and None are kept as they are, even when a secret happens to be "True".
        preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        result = remove_values(result, self.no_log_values)
        result.update(preserved)
        return result
