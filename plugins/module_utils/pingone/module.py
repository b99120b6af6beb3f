# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module of the collection shares: options, input checks, client, one error path.

It runs the same in a module process and in the controller's worker process (plugin_utils/controller_action.py
runs the module's main() there with the same AnsibleModule).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.pingone.platform.plugins.module_utils.pingone import given_values
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import PingOneError
from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import (
    connection_argument_spec, connection_problems, tls_warnings)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.transport import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, PingOneClient)


def pingone_module(argument_spec, validate=None, **kwargs):
    """An AnsibleModule with the connection options, failed before any request if the input cannot work."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module = _GivenValuesModule(argument_spec=spec, **kwargs)
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
    """Call operation(client) and exit with its result; an API error fails the task with PingOne's code and id.

    The client registers every secret with the module's masking the moment it reads or fetches it: an error body
    may echo the request (a proxy, a WAF), and a failure inside the operation must not show a token.
    """
    client = PingOneClient(module.params, on_secret=module.no_log_values.update)
    try:
        result = operation(client)
    except PingOneError as error:
        module.fail_json(msg=str(error), **dict(error.as_result(), **_pacing(client)))
    module.exit_json(**dict(result, **_pacing(client)))


def _pacing(client):
    """rate_wait_seconds: how long the task waited for requests_per_minute (-v shows it; the rollout sums it)."""
    return {} if client.rate_wait_seconds is None else dict(rate_wait_seconds=client.rate_wait_seconds)


class _GivenValuesModule(AnsibleModule):
    """An AnsibleModule that keeps the options as the task gave them (given_params), before the argument spec
    converts them: a list given to a string option must be refused, not sent as its str()."""

    def _load_params(self):
        super(_GivenValuesModule, self)._load_params()
        self.given_params = dict(self.params)
