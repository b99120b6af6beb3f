# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emailDeliverySettings calls: the only I/O of the SMTP modules."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.module_utils.pingone.client import PingOneError

SETTINGS_PATH = '/environments/%s/notificationsSettings/emailDeliverySettings'


def read_settings(client, environment_id):
    """The API body; {} for an environment on PingOne's built-in email service."""
    try:
        return client.request('GET', SETTINGS_PATH % environment_id,
                              'Reading the SMTP settings of environment %s' % environment_id) or {}
    except PingOneError as error:
        # The default state answers 200 with only _links; a 404 is tolerated too, as the Terraform provider does.
        if error.status == 404:
            return {}
        raise


def write_settings(client, environment_id, body):
    return client.request('PUT', SETTINGS_PATH % environment_id,
                          'Writing the SMTP settings of environment %s' % environment_id, json=body)


def reset_settings(client, environment_id):
    client.request('DELETE', SETTINGS_PATH % environment_id,
                   'Resetting the SMTP settings of environment %s' % environment_id)
