#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: pingone_smtp_info
short_description: Read the SMTP settings of PingOne environments
version_added: 0.1.0
description:
  - Reads the SMTP server settings of one or several PingOne environments. Never changes anything.
  - An environment that uses PingOne's built-in email service is reported with RV(environments[].configured=false).
  - RV(environments[].provider) tells PingOne's built-in service, an SMTP server and a custom HTTP email provider apart.
  - RV(environments[].delivery) tells who really sends. An environment can hold SMTP settings while PingOne sends
    through its own service (the C(emailProviderFallbackChain) of its notifications settings is V(["PINGONE_EMAIL"])).
  - Reads two objects per environment (its SMTP settings and its notifications settings), so two GETs each.
    Of a custom HTTP provider only the name and the sender are returned, never its authentication, headers or
    request bodies, which hold its secrets.
  - The password is write-only in PingOne and is never returned.
author:
  - pingone.platform developers (@pingone-platform)
extends_documentation_fragment:
  - pingone.platform.pingone
  - pingone.platform.pingone.action_group
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
    description: The module changes nothing, so it has no diff.
options:
  environment_ids:
    description:
      - IDs of the PingOne environments to read, in the order to report them.
    type: list
    elements: str
    required: true
    aliases: [environment_id]
  preflight:
    description:
      - V(connect) also tests the SMTP server each configured environment holds today, the way PingOne talks to it
        (resolve the host, check PingOne can reach its address, open TCP to the port, TLS as PingOne does for that port
        (STARTTLS on 587 and 2525, SMTPS elsewhere, 25 included), verify the certificate, EHLO); see
        O(pingone.platform.pingone_smtp#module:preflight).
        No password is needed (PingOne never returns it), so there is no V(auth) here.
      - A failing preflight does not fail the task; it is reported in RV(environments[].preflight).
      - It runs from the Ansible controller, not from PingOne's network, and a firewall can treat the two differently.
    type: str
    choices: [none, connect]
    default: none
  preflight_ca_path:
    description:
      - PEM file of the CA(s) to trust for the SMTP servers' certificates in the preflight, instead of the system
        trust store. Never the O(ca_path) of the PingOne API connection.
    type: path
  preflight_timeout:
    description:
      - Seconds each network step of the preflight may take.
    type: float
    default: 10
  preflight_allow_private:
    description:
      - Let the preflight go on when the host resolves to an address PingOne cannot reach from the internet
        (private, loopback, link-local, shared, reserved, multicast); see
        O(pingone.platform.pingone_smtp#module:preflight_allow_private).
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Read the SMTP settings of one environment
  pingone.platform.pingone_smtp_info:
    environment_id: "{{ pingone_environment_id }}"
  register: smtp

- name: Show the SMTP host, or that the built-in service is used
  ansible.builtin.debug:
    msg: "{{ smtp.environments[0].settings.host if smtp.environments[0].configured else 'PingOne email service' }}"

- name: List the environments that send through a custom HTTP provider
  ansible.builtin.debug:
    msg: "{{ smtp.environments | selectattr('provider', 'equalto', 'custom_http') | map(attribute='custom_provider.name') | list }}"

- name: List the environments whose SMTP server does not answer as PingOne needs
  pingone.platform.pingone_smtp_info:
    environment_ids: "{{ all_environment_ids }}"
    preflight: connect
  register: smtp
- name: Show them
  ansible.builtin.debug:
    msg: "{{ smtp.environments | rejectattr('preflight', 'none') | rejectattr('preflight.passed') | map(attribute='preflight.message') }}"

- name: Read several environments at once
  pingone.platform.pingone_smtp_info:
    environment_ids:
      - 11111111-2222-3333-4444-555555555555
      - 66666666-7777-8888-9999-000000000000
'''

RETURN = r'''
rate_wait_seconds:
  description: Seconds the task waited for O(requests_per_minute) before sending (shown with C(-v)).
  returned: when O(requests_per_minute) is not V(0)
  type: float
  sample: 2.5
environments:
  description: One entry per environment, in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    environment_id:
      description: The environment ID.
      type: str
      returned: always
      sample: 11111111-2222-3333-4444-555555555555
    provider:
      description:
        - The email provider the environment has configured. C(pingone) is PingOne's built-in email service, C(smtp)
          an SMTP server (see RV(environments[].settings)), C(custom_http) a custom HTTP provider (see
          RV(environments[].custom_provider)). Whether it sends is RV(environments[].delivery).
      type: str
      returned: always
      choices: [pingone, smtp, custom_http]
      sample: smtp
    delivery:
      description:
        - Who really sends the environment's email. C(pingone) when no provider is configured, or when
          RV(environments[].email_provider_fallback_chain) is V(["PINGONE_EMAIL"]) (PingOne's service sends although
          a provider is configured); otherwise RV(environments[].provider).
      type: str
      returned: always
      choices: [pingone, smtp, custom_http]
      sample: smtp
    email_provider_fallback_chain:
      description:
        - The C(emailProviderFallbackChain) of the environment's notifications settings, as PingOne holds it
          (V([]) when PingOne does not return it). V([]) lets the configured provider send.
      type: list
      elements: str
      returned: always
      sample: []
    configured:
      description:
        - Whether the environment has its own SMTP server (RV(environments[].provider=smtp)).
        - False for PingOne's built-in email service and for a custom HTTP provider.
      type: bool
      returned: always
      sample: true
    custom_provider:
      description:
        - The custom HTTP provider, named as in PingOne, and its sender. Never its authentication, headers or request bodies.
      type: dict
      returned: when RV(environments[].provider=custom_http)
      contains:
        name:
          description: The provider's name.
          type: str
          sample: Acme Mail API
        from_address:
          description: Sender email address.
          type: str
          sample: noreply@example.com
        from_name:
          description: Sender display name, when set.
          type: str
        reply_to_address:
          description: Reply-to email address, when set.
          type: str
        reply_to_name:
          description: Reply-to display name, when set.
          type: str
    settings:
      description:
        - The SMTP settings, named like the options of M(pingone.platform.pingone_smtp), plus C(protocol). Never the password.
        - Empty unless RV(environments[].provider=smtp).
      type: dict
      returned: always
      sample:
        host: smtp.example.com
        port: 465
        protocol: SMTPS
        username: pingone-mailer
        from_address: noreply@example.com
    preflight:
      description:
        - With O(preflight=connect), the preflight of the SMTP server the environment holds, as
          RV(pingone.platform.pingone_smtp#module:preflight) describes it (C(passed), C(failed_step), C(message),
          C(steps), C(banner), C(tls_version), C(certificate_subject)); null when the environment has no SMTP server.
      type: dict
      returned: with O(preflight=connect)
      sample:
        passed: false
        failed_step: connect
        message: "SMTP preflight failed at step connect (smtp.example.com:587, SMTP with STARTTLS): no answer within 10 s. ..."
    updated_at:
      description: When the settings were last written, as PingOne reports it.
      type: str
      returned: when the environment has an SMTP server or a custom HTTP provider
      sample: "2026-11-25T10:00:00.000Z"
'''

from ansible_collections.pingone.platform.plugins.module_utils.pingone import (
    delivery, preflight, preflight_session, smtp, smtp_api, smtp_input)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import PingOneError
from ansible_collections.pingone.platform.plugins.module_utils.pingone.module import pingone_module, run
from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import uuid_problems


def validate(params):
    if not params['environment_ids']:
        return ['environment_ids must name at least one environment']
    return uuid_problems('environment_ids', params['environment_ids']) + smtp_input.role_propagation_timeout_problems(params)


def read_all(client, environment_ids, params=None):
    params = params or {}
    environments = []
    for environment_id in environment_ids:
        api_settings = smtp_api.read_settings(client, environment_id)
        provider = smtp.provider_of(api_settings)
        chain = read_chain(client, environment_id)
        entry = dict(environment_id=environment_id, provider=provider, configured=provider == smtp.SMTP,
                     delivery=delivery.delivery_of(provider, chain), email_provider_fallback_chain=chain,
                     settings=smtp.result_settings(api_settings))
        if provider == smtp.CUSTOM_HTTP:
            entry['custom_provider'] = smtp.custom_provider_from_api(api_settings)
        if params.get('preflight') == 'connect':
            # What the environment holds today: the read-only path of the audit (no password, nothing written).
            entry['preflight'] = preflight_session.run(
                entry['settings'], 'connect', ca_path=params.get('preflight_ca_path'),
                timeout=params.get('preflight_timeout') or preflight.DEFAULT_TIMEOUT,
                allow_private=params.get('preflight_allow_private')) if entry['configured'] else None
        if provider != smtp.PINGONE and api_settings.get('updatedAt'):
            entry['updated_at'] = api_settings['updatedAt']
        environments.append(entry)
    return dict(changed=False, environments=environments)


def read_chain(client, environment_id):
    """emailProviderFallbackChain as PingOne holds it; an answer that does not say fails the task."""
    notifications = smtp_api.read_notifications(client, environment_id)
    try:
        return delivery.fallback_chain(notifications)
    except delivery.NotificationsReadError as error:
        raise PingOneError('Reading the notifications settings of environment %s failed: PingOne answered with %s'
                           % (environment_id, error))


def main():
    module = pingone_module(
        dict(environment_ids=dict(type='list', elements='str', required=True, aliases=['environment_id']),
             preflight=dict(type='str', choices=['none', 'connect'], default='none'),
             preflight_ca_path=dict(type='path'),
             preflight_timeout=dict(type='float', default=preflight.DEFAULT_TIMEOUT),
             preflight_allow_private=dict(type='bool', default=False)),
        validate=lambda params: validate(params) + preflight.validate(params),
        supports_check_mode=True,
    )
    run(module, lambda client: read_all(client, module.params['environment_ids'], module.params))


if __name__ == '__main__':
    main()
