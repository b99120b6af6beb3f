# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who sends an environment's email (pure logic, no I/O).

SMTP settings can exist while PingOne sends through its own service: the environment's notificationsSettings
decide, through emailProviderFallbackChain (pingone-api.md section 0): ["PINGONE_EMAIL"] = PingOne's email service
sends, [] = the configured provider (SMTP server or custom HTTP provider) sends.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.module_utils.pingone.smtp import PINGONE, SMTP

CHAIN = 'emailProviderFallbackChain'
PINGONE_EMAIL = 'PINGONE_EMAIL'
# The PUT of notificationsSettings is a full replace: every field read goes back, but these, which PingOne owns.
READ_ONLY_FIELDS = ('environment', 'createdAt', 'updatedAt', '_links')


class NotificationsReadError(Exception):
    """A notificationsSettings answer no plan can be made from."""


def fallback_chain(notifications):
    """The chain as PingOne holds it; [] when the field is absent (no fallback: the configured provider sends).

    Raises NotificationsReadError for an answer that is not an object or a chain that is not a list of strings:
    a plan made from it could switch the sender or wipe fields.
    """
    if not isinstance(notifications, dict):
        raise NotificationsReadError('notificationsSettings is not a JSON object')
    chain = notifications.get(CHAIN, [])
    if not isinstance(chain, list) or not all(isinstance(entry, str) for entry in chain):
        raise NotificationsReadError('%s is %r, not a list of provider names' % (CHAIN, chain))
    return chain


def delivery_of(provider, chain):
    """'pingone', 'smtp' or 'custom_http': who really sends, from the configured provider and the chain."""
    if provider == PINGONE or (chain and chain[0] == PINGONE_EMAIL):
        return PINGONE
    return provider


class Activation:
    """What pingone_smtp does to notificationsSettings: `body` is the PUT to send, or None; `error` stops the task."""

    def __init__(self, chain_before, chain_after, body=None, error=None):
        self.chain_before = chain_before
        self.chain_after = chain_after
        self.body = body
        self.error = error


def plan_activation(notifications, activate, state):
    """The read-modify-write that makes the configured provider the sender: only the chain changes, to [].

    Only with state=present and activate; never when the chain is already []. Every other field goes back as read
    (a field left out returns to its default); deliveryMode is required, so the value read is sent back, never a
    constant (PingOne's docs name ALL and, for sandboxes, WHITELIST).
    """
    chain = fallback_chain(notifications)
    if state != 'present' or not activate or chain == []:
        return Activation(chain, chain)
    if not notifications.get('deliveryMode'):
        return Activation(chain, chain, error='notificationsSettings read from PingOne has no deliveryMode to send back: '
                                              'nothing was changed in it; set activate=false to leave it alone')
    body = dict((key, value) for key, value in notifications.items() if key not in READ_ONLY_FIELDS)
    body[CHAIN] = []
    return Activation(chain, [], body=body)


def activation_warning(delivery, environment_id):
    """With activate=false: the warning that the SMTP server set is not the one that sends."""
    if delivery == SMTP:
        return None
    return ('environment %s sends its email through %s, not through the SMTP server: activate=false leaves its '
            'notificationsSettings (%s) alone' % (
                environment_id, "PingOne's email service" if delivery == PINGONE else 'a custom HTTP provider', CHAIN))
