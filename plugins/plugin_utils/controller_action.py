# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins of the API modules: run the module's own main() in the controller's worker process.

A module task costs a new Python process, AnsiballZ and a TLS handshake per environment; the API work is a few
HTTPS calls, so running it where the task already is (every rollout host is `connection: local`) is most of the
saving. The module's main() runs unchanged with the real AnsibleModule, fed the arguments a module process would
get (ActionBase._update_module_args), and its printed result is parsed as a module process's output is
(ActionBase._parse_returned_data): one decision path, one result shape, the same warnings, deprecations,
invocation and no_log masking. When the task is not local, the module runs where it was sent.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import io
import json
import os

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import filter_loader
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.pingone.platform.plugins.module_utils.pingone.transport import HAS_REQUESTS

try:  # ansible-core >= 2.19: module_utils know whether they run in the controller
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:
    module_utils_internal = None

try:  # ansible-core >= 2.19: module arguments travel with a serialization profile
    from ansible.module_utils.common.json import Direction, get_module_encoder
    PROFILE = 'legacy'  # what ansible.module_utils.testing.patch_module_args uses, and a module without one gets
except ImportError:
    Direction = get_module_encoder = PROFILE = None

display = Display()

# The first Jinja filter a process resolves makes it load every filter plugin of ansible-core; the smtp_rollout role's
# task resolves filters in each host's worker. The controller imports this module before it forks the workers of
# a task of these actions (its strategy looks the action up), so they are loaded once here, not once per host.
filter_loader.get_with_context('ansible.builtin.bool')


class PingOneModuleAction(ActionBase):
    """Subclasses set `module` to the module file's Python module (its main() is what runs)."""

    module = None
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(PingOneModuleAction, self).run(tmp, task_vars)
        reason = self._handover_reason()
        if reason:
            display.vvv('%s runs as a module: %s' % (self._task.action, reason), host=self._play_context.remote_addr)
            result = merge_hash(result, self._run_module(task_vars))
        else:
            result = merge_hash(result, self._run_in_controller(task_vars))
        if result.get('rate_wait_seconds'):
            display.v('waited %.1f s for the rate of requests (requests_per_minute)' % result['rate_wait_seconds'],
                      host=self._play_context.remote_addr)
        return result

    def _handover_reason(self):
        """Why the module must run as a module process, or None when the controller can do its work."""
        if self._connection.transport != 'local':
            return 'the connection is %s, not local' % self._connection.transport
        if self._play_context.become:
            return 'become is set: the module runs as another user'
        if self._task.async_val:
            return 'the task is async'
        if not HAS_REQUESTS:
            return "the controller's Python cannot import requests"
        return None

    def _run_module(self, task_vars):
        """What ansible.builtin.normal does: execute the module on the task's host."""
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        result = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_in_controller(self, task_vars):
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars)
        # The module's own invocation log goes to the syslog of the host a module process runs on; in the worker it
        # would be the controller's, once per task (and Python 3.13's syslog refuses an argument holding NUL, which
        # failed the task before the module's own input checks). _ansible_no_log only stops that log: the result,
        # its masking and its invocation are unchanged.
        module_args['_ansible_no_log'] = True
        environment = {}
        self._compute_environment_string(environment)  # the task's `environment:`, as a module process gets it
        with _environ_updated(environment):
            output = run_main(self.module.main, module_args)
        if PROFILE:
            parsed = self._parse_returned_data(dict(stdout=output, stderr='', rc=0), PROFILE)
        else:
            parsed = self._parse_returned_data(dict(stdout=output, stderr='', rc=0))
        if hasattr(parsed, 'as_result_dict'):  # ansible-core >= 2.21: a UnifiedTaskResult, made a dict as _execute_module does
            parsed.remove_internal_keys()
            parsed = parsed.as_result_dict(for_round_trip=True)
        return parsed


def encoded_args(module_args):
    """The module arguments as a module process reads them (JSON, as AnsiballZ carries them)."""
    args = dict(ANSIBLE_MODULE_ARGS=module_args)
    if PROFILE:
        return json.dumps(args, cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)).encode()
    from ansible.parsing.ajson import AnsibleJSONEncoder  # before 2.19 (deprecated after): what modify_module uses
    return json.dumps(args, cls=AnsibleJSONEncoder, vault_to_text=True).encode()


def run_main(main, module_args):
    """Run a module's main() with the real AnsibleModule in this process; return what it printed (its result).

    AnsibleModule reads its arguments from basic._ANSIBLE_ARGS (and _ANSIBLE_PROFILE from 2.19), prints the
    result and exits: the arguments are set for the call, the output captured and the exit caught. Warnings and
    deprecations are process-wide lists in module_utils: emptied before and after, as a new process has them.
    From 2.19, module_utils in the controller's process send warnings to the display instead of the result:
    is_controller is off while main() runs, as it is in a module process.
    """
    saved = dict((name, getattr(basic, name)) for name in ('_ANSIBLE_ARGS', '_ANSIBLE_PROFILE') if hasattr(basic, name))
    saved_is_controller = getattr(module_utils_internal, 'is_controller', None)
    basic._ANSIBLE_ARGS = encoded_args(module_args)
    if PROFILE:
        basic._ANSIBLE_PROFILE = PROFILE
    if saved_is_controller is not None:
        module_utils_internal.is_controller = False
    _clear_module_warnings()
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            main()
    except SystemExit:
        pass  # exit_json() and fail_json() exit; the result is what they printed
    finally:
        for name, value in saved.items():
            setattr(basic, name, value)
        if saved_is_controller is not None:
            module_utils_internal.is_controller = saved_is_controller
        _clear_module_warnings()
    return output.getvalue()


def _clear_module_warnings():
    module_warnings._global_warnings.clear()
    module_warnings._global_deprecations.clear()


@contextlib.contextmanager
def _environ_updated(environment):
    """os.environ with the task's environment variables, restored afterwards (env fallbacks, proxies, CA bundles)."""
    saved = dict(os.environ)
    os.environ.update(dict((str(name), str(value)) for name, value in environment.items()))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
