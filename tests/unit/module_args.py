# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module tests over both execution paths.

patch_module_args(args) for every supported ansible-core (the official helper from 2.19, an equivalent before),
and call_main(main): a module's main() in the module process's way (AnsibleModule.exit_json/fail_json patched to
raise AnsibleExitJson/AnsibleFailJson), or in the controller's (the action plugins' run_main: the real
exit_json/fail_json, their printed JSON parsed), as `execution_path` (conftest.py) says. Either way the test
sees AnsibleExitJson or AnsibleFailJson carrying the result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args as _official_patch  # ansible-core >= 2.19
except ImportError:  # ansible-core < 2.19: AnsibleModule reads its arguments from basic._ANSIBLE_ARGS
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def _official_patch(args=None):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

PATHS = ('module', 'controller')
REAL_EXIT_JSON = basic.AnsibleModule.exit_json
REAL_FAIL_JSON = basic.AnsibleModule.fail_json
state = dict(path='module', args=None)


class AnsibleExitJson(Exception):
    pass


class AnsibleFailJson(Exception):
    pass


def exit_json(self, **result):
    raise AnsibleExitJson(result)


def fail_json(self, **result):
    raise AnsibleFailJson(result)


@contextlib.contextmanager
def patch_module_args(args=None):
    state['args'] = dict(args or {})
    try:
        with _official_patch(args):
            yield
    finally:
        state['args'] = None


def call_main(main):
    """main() on the current execution path, inside patch_module_args()."""
    if state['path'] == 'module':
        return main()
    from ansible_collections.pingone.platform.plugins.plugin_utils import controller_action
    patched = basic.AnsibleModule.exit_json, basic.AnsibleModule.fail_json
    basic.AnsibleModule.exit_json, basic.AnsibleModule.fail_json = REAL_EXIT_JSON, REAL_FAIL_JSON
    try:
        output = controller_action.run_main(main, state['args'])
    finally:
        basic.AnsibleModule.exit_json, basic.AnsibleModule.fail_json = patched
    result = json.loads(output.strip().splitlines()[-1])
    for internal in ('invocation', 'warnings', 'deprecations'):
        result.pop(internal, None)  # what the patched exit_json of the module path never sees
    raise (AnsibleFailJson if result.get('failed') else AnsibleExitJson)(result)
