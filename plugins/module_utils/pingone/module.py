# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module of the collection shares: options, input checks, client, one error path."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.pingone.platform.plugins.module_utils.pingone.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, PingOneClient, PingOneError, connection_argument_spec, connection_problems)


def pingone_module(argument_spec, validate=None, **kwargs):
    """An AnsibleModule with the connection options, failed before any request if the input cannot work."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    problems = connection_problems(module.params) + (validate(module.params) if validate else [])
    if problems:
        module.fail_json(msg='Invalid input: ' + '; '.join(problems))
    return module


def run(module, operation):
    """Call operation(client) and exit with its result; an API error fails the task with PingOne's code and id."""
    try:
        result = operation(PingOneClient(module.params))
    except PingOneError as error:
        module.fail_json(msg=str(error), **error.as_result())
    module.exit_json(**result)
