#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: pingone_environment_info
short_description: List PingOne environments
version_added: 0.1.0
description:
  - Lists the PingOne environments the worker application can see, following every page of the API's answer.
    Never changes anything.
  - Selects them by name prefix (filtered by PingOne), and by type, region, status and ID (filtered by the module,
    because the API has no filter on the environment type).
  - Environments being deleted (status C(DELETE_PENDING)) are left out unless O(include_delete_pending=true),
    so that a rollout never touches them.
  - To use the environments as inventory hosts instead, see the P(pingone.platform.environments#inventory) inventory plugin.
author:
  - pingone.platform developers (@pingone-platform)
extends_documentation_fragment:
  - pingone.platform.pingone
  - pingone.platform.pingone.action_group
  - pingone.platform.environment_filters
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
options:
  environment_ids:
    description:
      - Only the environments with these IDs. IDs that match no environment are not reported.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: List every live sandbox environment in Europe
  pingone.platform.pingone_environment_info:
    types: [SANDBOX]
    regions: [EU]
  register: sandboxes

- name: Configure SMTP on each of them
  pingone.platform.pingone_smtp:
    environment_id: "{{ item.id }}"
    host: smtp.example.com
    username: pingone-mailer
    password: "{{ smtp_password }}"
    from_address: noreply@example.com
  loop: "{{ sandboxes.environments }}"
  loop_control:
    label: "{{ item.name }}"

- name: The environments of one team, connection set once for the collection
  module_defaults:
    group/pingone.platform.pingone:
      client_id: "{{ pingone_client_id }}"
      client_secret: "{{ pingone_client_secret }}"
      auth_environment_id: "{{ pingone_auth_environment_id }}"
      region_code: EU
  block:
    - name: List the environments named payments-*
      pingone.platform.pingone_environment_info:
        name_prefix: payments-
      register: payments
'''

RETURN = r'''
rate_wait_seconds:
  description: Seconds the task waited for O(requests_per_minute) before sending (shown with C(-v)).
  returned: when O(requests_per_minute) is not V(0)
  type: float
  sample: 2.5
environments:
  description: The selected environments, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The environment ID.
      type: str
      returned: always
      sample: 11111111-2222-3333-4444-555555555555
    name:
      description: The environment name (unique in the organization).
      type: str
      returned: always
      sample: payments-sandbox
    type:
      description: The environment type, V(PRODUCTION) or V(SANDBOX).
      type: str
      returned: always
      sample: SANDBOX
    region:
      description: The PingOne region of the environment.
      type: str
      returned: always
      sample: EU
    status:
      description: V(ACTIVE), or V(DELETE_PENDING) for a deleted environment (only with O(include_delete_pending=true)).
      type: str
      returned: always
      sample: ACTIVE
    description:
      description: The environment description.
      type: str
      returned: when the environment has one
      sample: Payments team sandbox
'''

from ansible_collections.pingone.platform.plugins.module_utils.pingone import environments, smtp_input
from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import REGION_DOMAINS, uuid_problems
from ansible_collections.pingone.platform.plugins.module_utils.pingone.module import pingone_module, run


def validate(params):
    problems = uuid_problems('environment_ids', params['environment_ids'] or [])
    name_prefix_problem = smtp_input.text_problem('name_prefix', params['name_prefix'], max_length=environments.MAX_NAME_PREFIX_LENGTH)
    return problems + ([name_prefix_problem] if name_prefix_problem else [])


def list_selected(client, params):
    api_environments = environments.list_environments(client, params['name_prefix'])
    selected = environments.select(api_environments, types=params['types'], regions=params['regions'],
                                   include_delete_pending=params['include_delete_pending'],
                                   environment_ids=params['environment_ids'])
    return dict(changed=False, environments=selected)


def main():
    module = pingone_module(
        dict(
            name_prefix=dict(type='str'),
            types=dict(type='list', elements='str', choices=list(environments.ENVIRONMENT_TYPES)),
            regions=dict(type='list', elements='str', choices=sorted(REGION_DOMAINS)),
            include_delete_pending=dict(type='bool', default=False),
            environment_ids=dict(type='list', elements='str'),
        ),
        validate=validate,
        supports_check_mode=True,
    )
    run(module, lambda client: list_selected(client, module.params))


if __name__ == '__main__':
    main()
