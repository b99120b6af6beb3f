# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins of the API modules: run the module's own main() in the controller's worker process.

A module task costs a new Python process, AnsiballZ and a TLS handshake per environment; the API work is a few
HTTPS calls, so running it where the task already is (every rollout host is `connection: local`) is most of the
saving. The module's main() runs unchanged, with a ControllerModule instead of an AnsibleModule: one
implementation of validation, planning and I/O. When the task is not local, the module runs where it was sent.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import os

from collections.abc import Mapping

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.pingone.platform.plugins.module_utils.pingone.client import HAS_REQUESTS
from ansible_collections.pingone.platform.plugins.module_utils.pingone.module import (
    ControllerTask, TaskExit, controller_task)

display = Display()


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
            return merge_hash(result, self._run_module(task_vars))
        return merge_hash(result, self._run_in_controller())

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

    def _run_in_controller(self):
        environment = {}
        self._compute_environment_string(environment)  # the task's `environment:`, as a module process gets it
        task = ControllerTask(self._task.action, _as_module_args(self._task.args), check_mode=self._task.check_mode,
                              diff=self._task.diff)
        with _environ_updated(environment), controller_task(task):
            try:
                self.module.main()
            except TaskExit as task_exit:
                return task_exit.result
            except Exception as error:  # a bug, not an API error: fail the task, masked like any result
                no_log_values = task.module.no_log_values if task.module else set()
                return remove_values(dict(failed=True, msg='%s failed in the controller: %s: %s'
                                          % (self._task.action, type(error).__name__, error)), no_log_values)
        return dict(failed=True, msg='%s ended without a result' % self._task.action)


def _as_module_args(value):
    """The task's arguments with plain str, dict and list, as a module process gets them (from JSON).

    Before ansible-core 2.19 the controller's strings are AnsibleUnicode or AnsibleUnsafeText, whose class names
    would show in the type errors of the argument spec validation (the same error differed between the paths).
    """
    if isinstance(value, Mapping):
        return dict((_as_module_args(key), _as_module_args(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_as_module_args(item) for item in value]
    if isinstance(value, str):
        return str(value)  # a plain str of a subclass; a plain str itself
    return value


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
