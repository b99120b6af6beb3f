# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who sends: the pure logic over notificationsSettings (pingone-api.md section 0)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.pingone.platform.plugins.module_utils.pingone import delivery

READ = {
    'deliveryMode': 'WHITELIST', 'from': {'name': 'Example', 'address': 'identity@example.com'},
    'replyTo': {'address': 'help@example.com'}, 'whitelist': [{'user': {'id': 'u1'}}],
    'smsProvidersFallbackChain': ['custom-sms', 'PINGONE_TWILIO'], 'restrictions': {'smsVoiceQuota': {'daily': 9}},
    'emailProviderFallbackChain': ['PINGONE_EMAIL'], 'someFutureField': {'kept': True},
    'environment': {'id': 'e'}, 'createdAt': 'c', 'updatedAt': 'u', '_links': {'self': {'href': 'h'}},
}


@pytest.mark.parametrize('provider, chain, expected', [
    ('smtp', [], 'smtp'), ('smtp', ['PINGONE_EMAIL'], 'pingone'), ('custom_http', [], 'custom_http'),
    ('custom_http', ['PINGONE_EMAIL'], 'pingone'), ('pingone', [], 'pingone'), ('pingone', ['PINGONE_EMAIL'], 'pingone')])
def test_delivery_is_the_provider_unless_the_chain_puts_pingone_first(provider, chain, expected):
    assert delivery.delivery_of(provider, chain) == expected


def test_an_absent_chain_reads_as_empty():
    assert delivery.fallback_chain({'deliveryMode': 'ALL'}) == []


@pytest.mark.parametrize('answer', [None, [], 'PINGONE_EMAIL', {'emailProviderFallbackChain': 'PINGONE_EMAIL'},
                                    {'emailProviderFallbackChain': [None]}, {'emailProviderFallbackChain': {}}])
def test_an_answer_that_does_not_say_who_sends_is_a_failed_read(answer):
    with pytest.raises(delivery.NotificationsReadError):
        delivery.fallback_chain(answer)


def test_activation_sends_back_every_field_as_read_but_the_read_only_ones_with_only_the_chain_changed():
    activation = delivery.plan_activation(dict(READ), activate=True, state='present')
    expected = dict((key, value) for key, value in READ.items()
                    if key not in ('environment', 'createdAt', 'updatedAt', '_links'))
    expected['emailProviderFallbackChain'] = []
    assert activation.body == expected
    assert activation.body['deliveryMode'] == 'WHITELIST'  # the value read, never a constant
    assert (activation.chain_before, activation.chain_after, activation.error) == (['PINGONE_EMAIL'], [], None)


@pytest.mark.parametrize('notifications, activate, state', [
    (dict(READ, emailProviderFallbackChain=[]), True, 'present'),
    (dict(READ), False, 'present'),
    (dict(READ), True, 'absent')])
def test_no_write_when_the_chain_is_empty_activate_is_false_or_state_is_absent(notifications, activate, state):
    activation = delivery.plan_activation(notifications, activate, state)
    assert activation.body is None and activation.chain_after == activation.chain_before


def test_no_delivery_mode_read_means_no_write_and_a_clear_error():
    notifications = dict(READ)
    del notifications['deliveryMode']
    activation = delivery.plan_activation(notifications, True, 'present')
    assert activation.body is None and 'deliveryMode' in activation.error and 'activate=false' in activation.error


def test_activate_false_warns_only_when_the_smtp_server_does_not_send():
    assert delivery.activation_warning('smtp', 'env') is None
    assert "PingOne's email service" in delivery.activation_warning('pingone', 'env')
    assert 'custom HTTP provider' in delivery.activation_warning('custom_http', 'env')
