# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emailDeliverySettings and notificationsSettings calls: the only I/O of the SMTP modules. Each takes a client and
explicit values."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.module_utils.pingone import retry, smtp
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import PingOneError

SETTINGS_PATH = '/environments/%s/notificationsSettings/emailDeliverySettings'
NOTIFICATIONS_PATH = '/environments/%s/notificationsSettings'
ENVIRONMENT_PATH = '/environments/%s'
# PingOne answers an unconfigured environment with 200 (pingone-api.md section 1), and its SDK retries a 404 as
# eventual consistency: a 404 on the read is retried, then a failed read, never "nothing configured".
READ_RETRY_STATUSES = (404,)


def read_settings(client, environment_id):
    """The API body; {} for an environment on PingOne's built-in email service (200 with only _links)."""
    body = _settings_call(client, 'GET', environment_id, 'Reading the SMTP settings of environment %s' % environment_id,
                          also_retry=READ_RETRY_STATUSES)
    return body or {}


def write_settings(client, environment_id, body):
    try:
        return _settings_call(client, 'PUT', environment_id, 'Writing the SMTP settings of environment %s' % environment_id,
                              json=body)
    except PingOneError as error:
        # What only PingOne can judge (a host that does not resolve, pingone-api.md section 0) comes back as
        # details[].target in API terms (from.address): name the module's option (from_address) instead.
        for detail in error.details:
            if isinstance(detail, dict) and detail.get('target'):
                detail['target'] = smtp.option_for_target(detail['target'])
        raise


def reset_settings(client, environment_id):
    _settings_call(client, 'DELETE', environment_id, 'Resetting the SMTP settings of environment %s' % environment_id)


def read_notifications(client, environment_id):
    """notificationsSettings as PingOne holds it. As for the SMTP settings, a 404 is retried, then an error, never
    a default: a plan made from a read that did not succeed would switch the sender or wipe the fields a PUT replaces."""
    return _settings_call(client, 'GET', environment_id, 'Reading the notifications settings of environment %s'
                          % environment_id, also_retry=READ_RETRY_STATUSES, path=NOTIFICATIONS_PATH)


def write_notifications(client, environment_id, body):
    """The full-replace PUT of notificationsSettings; the object PingOne now holds."""
    return _settings_call(client, 'PUT', environment_id, 'Writing the notifications settings of environment %s'
                          % environment_id, json=body, path=NOTIFICATIONS_PATH)


def _settings_call(client, method, environment_id, action, json=None, also_retry=(), path=SETTINGS_PATH):
    """One settings call; a 403 is told apart as a missing environment, or a role still propagating.

    PingOne answers 403, not 404, for the settings of an environment that does not exist, and a role granted
    a moment ago answers 403 for a while (pingone-api.md sections 0 and 4). Like the Terraform provider, read
    the environment: gone -> say so; there -> try again as the client's retry policy says (retry.py).
    """
    role_waits = None
    while True:
        try:
            return client.request(method, path % environment_id, action, json=json, also_retry=also_retry)
        except PingOneError as error:
            if error.status != 403:
                raise
            if role_waits is None:
                if not environment_exists(client, environment_id):
                    raise PingOneError('%s failed: environment %s not found (deleted, or a typo?)' % (action, environment_id),
                                       status=error.status, code=error.code, error_id=error.error_id)
                role_waits = client.retry_policy.role_waits()
            wait = next(role_waits, None)
            if wait is None:
                raise PingOneError(no_role_message(environment_id, action, client.retry_policy.role_propagation_timeout,
                                                   client.client_id),
                                   status=error.status, code=error.code, error_id=error.error_id, details=error.details)
            retry.sleep(wait)


def environment_exists(client, environment_id):
    """False only when PingOne says the environment is not there (404); a 403 here still means it exists."""
    try:
        client.request('GET', ENVIRONMENT_PATH % environment_id, 'Reading environment %s' % environment_id)
    except PingOneError as error:
        if error.status == 404:
            return False
        if error.status != 403:
            raise
    return True


def no_role_message(environment_id, action, role_propagation_timeout, client_id):
    waited = ('still denied after %s seconds of retries (role_propagation_timeout)' % role_propagation_timeout
              if role_propagation_timeout else 'denied (not retried: role_propagation_timeout=0)')
    worker = 'the worker application (client id %s)' % client_id if client_id else 'the worker application of the access token'
    return ('%s failed: access %s. Grant %s the Environment Admin role on environment %s; '
            'a role granted just now can take a while to apply.' % (action, waited, worker, environment_id))
