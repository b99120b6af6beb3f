# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure SMTP logic: every decision pingone_smtp makes, without a server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.pingone.platform.plugins.module_utils.pingone import smtp, smtp_input

ENVIRONMENT_ID = 'a3b1c2d4-0000-4000-8000-000000000001'
PASSWORD = 'Sm7p-Pa55word!'

# An emailDeliverySettings body as PingOne returns it (pingone-api.md section 2).
CONFIGURED_BODY = {
    '_links': {'self': {'href': 'https://api.pingone.com/v1/environments/%s/notificationsSettings/emailDeliverySettings' % ENVIRONMENT_ID},
               'environment': {'href': 'https://api.pingone.com/v1/environments/%s' % ENVIRONMENT_ID}},
    'host': 'smtp.example.com',
    'port': 587,
    'protocol': 'SMTP',
    'username': 'pingone-mailer',
    'from': {'name': 'Example Identity', 'address': 'noreply@example.com'},
    'replyTo': {'name': 'Support', 'address': 'support@example.com'},
    'environment': {'id': ENVIRONMENT_ID},
    'updatedAt': '2026-11-25T10:00:00.000Z',
}
CONFIGURED_SETTINGS = {
    'host': 'smtp.example.com',
    'port': 587,
    'username': 'pingone-mailer',
    'from_address': 'noreply@example.com',
    'from_name': 'Example Identity',
    'reply_to_address': 'support@example.com',
    'reply_to_name': 'Support',
}
# A custom HTTP provider at the same endpoint, as PingOne's SDK spec shapes it (pingone-api.md section 2), secrets left out.
CUSTOM_PROVIDER_BODY = {
    'protocol': 'HTTP', 'name': 'Acme Mail API', 'provider': 'CUSTOM_PROVIDER',
    'authentication': {'method': 'BEARER'},
    'requests': [{'deliveryMethod': 'EMAIL', 'method': 'POST', 'url': 'https://mail.acme.example/send',
                  'headers': {'x-api-key': 'header-secret'}, 'body': '{"to": "${to}", "message": "${message}"}'}],
    'from': {'address': 'noreply@example.com', 'name': 'Example'},
    'replyTo': {'address': 'help@example.com'},
    'environment': {'id': ENVIRONMENT_ID}, 'updatedAt': '2026-11-25T10:00:00.000Z',
}
# The environment's default state: PingOne's built-in email service, a 200 with little more than _links.
DEFAULT_BODY = {'_links': {'self': {'href': 'https://api.pingone.com/v1/environments/%s/notificationsSettings/emailDeliverySettings' % ENVIRONMENT_ID}}}


def params(**options):
    """Module parameters as AnsibleModule hands them over: every option present, unset ones None."""
    result = dict(environment_id=ENVIRONMENT_ID, state='present', host=None, port=None, username=None, password=None,
                  update_password='on_change', from_address=None, from_name=None, reply_to_address=None, reply_to_name=None)
    result.update(options)
    return result


def full_params(**options):
    return params(**dict(dict(CONFIGURED_SETTINGS, password=PASSWORD), **options))


# validate

def test_valid_full_configuration_has_no_problems():
    assert smtp_input.validate(full_params()) == []


def test_valid_reset_has_no_problems():
    assert smtp_input.validate(params(state='absent')) == []


@pytest.mark.parametrize('environment_id', [None, '', 'prod', 'a3b1c2d4-0000-4000-8000-00000000000', 'https://api.pingone.com/v1'])
def test_environment_id_must_be_a_uuid(environment_id):
    problems = smtp_input.validate(full_params(environment_id=environment_id))
    assert len(problems) == 1
    assert problems[0].startswith('environment_id ')


@pytest.mark.parametrize('port', [0, -1, 65536, 70000])
def test_port_out_of_range_is_refused(port):
    problems = smtp_input.validate(full_params(port=port))
    assert problems == ['port must be between 1 and 65535, got %r' % port]


@pytest.mark.parametrize('port', [1, 25, 465, 587, 2525, 65535])
def test_port_in_range_is_accepted(port):
    assert smtp_input.validate(full_params(port=port)) == []


@pytest.mark.parametrize('host', ['smtp example.com', 'https://smtp.example.com', 'smtp.example.com:587', '-smtp.example.com', 'smtp.example.com/'])
def test_host_must_be_a_hostname(host):
    problems = smtp_input.validate(full_params(host=host))
    assert len(problems) == 1
    assert problems[0].startswith('host must be a hostname')
    assert repr(host) in problems[0]


@pytest.mark.parametrize('host', ['smtp.example.com', 'email-smtp.us-east-1.amazonaws.com', '192.0.2.25'])
def test_hostnames_are_accepted(host):
    assert smtp_input.validate(full_params(host=host)) == []


@pytest.mark.parametrize('option', ['from_address', 'reply_to_address'])
@pytest.mark.parametrize('address', ['noreply', 'noreply@', '@example.com', 'no reply@example.com', 'noreply@example', 'a@b@example.com'])
def test_email_options_must_be_email_addresses(option, address):
    problems = smtp_input.validate(full_params(**{option: address}))
    assert problems == ['%s must be an email address such as noreply@example.com, got %r' % (option, address)]


@pytest.mark.parametrize('option', ['username', 'from_address'])
def test_required_text_options_cannot_be_emptied(option):
    assert smtp_input.validate(full_params(**{option: ''})) == ['%s cannot be empty' % option]


def test_empty_host_is_refused():
    problems = smtp_input.validate(full_params(host=''))
    assert 'host cannot be empty' in problems
    assert all(problem.startswith('host ') for problem in problems)


@pytest.mark.parametrize('option', ['from_name', 'reply_to_address', 'reply_to_name'])
def test_empty_string_is_accepted_for_clearable_options(option):
    assert smtp_input.validate(full_params(**{option: '', 'reply_to_name': ''})) == []


@pytest.mark.parametrize('reply_to_address', [None, ''])
def test_reply_to_name_without_reply_to_address_is_refused_naming_it(reply_to_address):
    problems = smtp_input.validate(full_params(reply_to_name='Help desk', reply_to_address=reply_to_address))
    assert problems == ['reply_to_name needs reply_to_address: give both (clear both with empty strings to remove the reply-to)']


def test_empty_password_is_refused():
    assert smtp_input.validate(full_params(password='')) == ['password cannot be empty']


def test_update_password_always_needs_password():
    assert smtp_input.validate(full_params(password=None, update_password='always')) == ['update_password=always needs password']


@pytest.mark.parametrize('option, value', [('host', 'smtp.example.com'), ('port', 587), ('password', PASSWORD),
                                           ('reply_to_address', ''), ('from_name', 'Example')])
def test_settings_cannot_be_given_with_state_absent(option, value):
    problems = smtp_input.validate(params(state='absent', **{option: value}))
    assert len(problems) == 1
    assert problems[0].startswith('%s cannot be used with state=absent' % option)


def test_state_absent_names_every_extra_option():
    problems = smtp_input.validate(params(state='absent', host='smtp.example.com', port=25, password=PASSWORD))
    assert problems[0].startswith('host, port, password cannot be used with state=absent')


def test_every_problem_is_reported_at_once():
    problems = smtp_input.validate(full_params(environment_id='prod', port=70000, from_address='nobody', password=''))
    assert len(problems) == 4
    assert [problem.split(' ')[0] for problem in problems] == ['environment_id', 'port', 'from_address', 'password']


def test_problems_never_echo_the_password():
    problems = smtp_input.validate(full_params(port=0, host='bad host', from_address='x', password=PASSWORD))
    assert problems
    assert PASSWORD not in json.dumps(problems)


# is_configured, settings_from_api, result_settings

@pytest.mark.parametrize('api_settings, expected', [
    (CONFIGURED_BODY, True),
    ({'host': 'smtp.example.com'}, True),
    ({'protocol': 'HTTP', 'name': 'Custom provider'}, False),  # a custom HTTP provider is no SMTP server
    (DEFAULT_BODY, False),
    (dict(DEFAULT_BODY, updatedAt='2026-11-25T10:00:00.000Z'), False),
    ({}, False),
    (None, False),
])
def test_is_configured_only_with_a_host_or_a_protocol(api_settings, expected):
    assert smtp.is_configured(api_settings) is expected


def test_settings_from_api_flattens_the_body_into_option_names():
    assert smtp.settings_from_api(CONFIGURED_BODY) == CONFIGURED_SETTINGS


def test_settings_from_api_leaves_out_read_only_fields():
    settings = smtp.settings_from_api(CONFIGURED_BODY)
    assert not set(settings) & {'protocol', '_links', 'environment', 'updatedAt', 'password'}


@pytest.mark.parametrize('api_settings', [DEFAULT_BODY, {}, None])
def test_default_state_has_no_settings(api_settings):
    assert smtp.settings_from_api(api_settings) == {}


def test_settings_from_api_leaves_out_fields_the_api_did_not_return():
    body = {'host': 'smtp.example.com', 'port': 465, 'protocol': 'SMTPS', 'username': 'mailer',
            'from': {'address': 'noreply@example.com'}}
    assert smtp.settings_from_api(body) == {'host': 'smtp.example.com', 'port': 465, 'username': 'mailer',
                                            'from_address': 'noreply@example.com'}


def test_settings_from_api_ignores_null_values():
    body = dict(CONFIGURED_BODY, replyTo=None, username=None)
    settings = smtp.settings_from_api(body)
    assert 'username' not in settings
    assert 'reply_to_address' not in settings
    assert 'reply_to_name' not in settings


def test_result_settings_add_the_protocol_the_api_reported():
    assert smtp.result_settings(CONFIGURED_BODY) == dict(CONFIGURED_SETTINGS, protocol='SMTP')


def test_result_settings_never_contain_a_password():
    assert 'password' not in smtp.result_settings(dict(CONFIGURED_BODY, password=PASSWORD))


@pytest.mark.parametrize('api_settings', [DEFAULT_BODY, {}, None])
def test_result_settings_are_empty_on_default_state(api_settings):
    assert smtp.result_settings(api_settings) == {}


# desired_settings

def test_omitted_options_keep_current_values():
    desired = smtp.desired_settings(params(host='smtp2.example.com'), CONFIGURED_SETTINGS)
    assert desired == dict(CONFIGURED_SETTINGS, host='smtp2.example.com')


def test_given_options_replace_current_values():
    desired = smtp.desired_settings(params(port=2525, from_name='Other', reply_to_address='help@example.com'), CONFIGURED_SETTINGS)
    assert desired == dict(CONFIGURED_SETTINGS, port=2525, from_name='Other', reply_to_address='help@example.com')


@pytest.mark.parametrize('option', ['from_name', 'reply_to_address', 'reply_to_name'])
def test_empty_string_clears_a_clearable_option(option):
    desired = smtp.desired_settings(params(**{option: ''}), CONFIGURED_SETTINGS)
    expected = dict(CONFIGURED_SETTINGS)
    del expected[option]
    assert desired == expected


def test_empty_string_on_an_unset_option_is_no_change():
    current = dict(CONFIGURED_SETTINGS)
    del current['from_name']
    assert smtp.desired_settings(params(from_name=''), current) == current


def test_desired_settings_do_not_modify_current():
    current = dict(CONFIGURED_SETTINGS)
    smtp.desired_settings(params(host='smtp2.example.com', reply_to_name=''), current)
    assert current == CONFIGURED_SETTINGS


def test_first_configuration_defaults_port_to_465():
    desired = smtp.desired_settings(params(host='smtp.example.com'), {})
    assert desired == {'host': 'smtp.example.com', 'port': smtp.DEFAULT_PORT}
    assert smtp.DEFAULT_PORT == 465


def test_current_port_is_kept_when_port_is_omitted():
    assert smtp.desired_settings(params(), CONFIGURED_SETTINGS)['port'] == 587


# request_body

def test_request_body_nests_sender_and_reply_to_like_the_api():
    assert smtp.request_body(CONFIGURED_SETTINGS, PASSWORD) == {
        'host': 'smtp.example.com',
        'port': 587,
        'username': 'pingone-mailer',
        'password': PASSWORD,
        'from': {'address': 'noreply@example.com', 'name': 'Example Identity'},
        'replyTo': {'address': 'support@example.com', 'name': 'Support'},
    }


def test_request_body_has_no_reply_to_without_reply_to_settings():
    settings = dict((option, value) for option, value in CONFIGURED_SETTINGS.items() if not option.startswith('reply_to_'))
    body = smtp.request_body(settings, PASSWORD)
    assert 'replyTo' not in body
    assert body['from'] == {'address': 'noreply@example.com', 'name': 'Example Identity'}


def test_request_body_round_trips_through_settings_from_api():
    body = smtp.request_body(CONFIGURED_SETTINGS, PASSWORD)
    assert smtp.settings_from_api(dict(body, protocol='SMTP')) == CONFIGURED_SETTINGS


# plan

def test_second_apply_sends_no_put():
    result = smtp.plan(full_params(), CONFIGURED_BODY)
    assert result.error is None
    assert result.action is None
    assert result.changed is False
    assert result.body is None
    assert result.diff == {'before': CONFIGURED_SETTINGS, 'after': CONFIGURED_SETTINGS}


def test_password_change_alone_is_not_a_change_by_default():
    result = smtp.plan(full_params(password='a-brand-new-password'), CONFIGURED_BODY)
    assert result.changed is False
    assert result.body is None
    assert result.error is None


def test_password_alone_on_a_configured_environment_is_not_a_change():
    result = smtp.plan(params(password=PASSWORD), CONFIGURED_BODY)
    assert result.changed is False
    assert result.error is None


def test_update_password_always_sends_password():
    result = smtp.plan(full_params(update_password='always'), CONFIGURED_BODY)
    assert result.action == 'put'
    assert result.changed is True
    assert result.body == smtp.request_body(CONFIGURED_SETTINGS, PASSWORD)


def test_update_password_always_with_only_the_password_keeps_every_setting():
    result = smtp.plan(params(password='rotated-password', update_password='always'), CONFIGURED_BODY)
    assert result.action == 'put'
    assert result.body == smtp.request_body(CONFIGURED_SETTINGS, 'rotated-password')


def test_write_without_password_fails_before_writing():
    result = smtp.plan(params(port=2525), CONFIGURED_BODY)
    assert result.action is None
    assert result.body is None
    assert result.changed is False
    assert result.error.startswith('password is needed to change the SMTP settings (port)')


def test_write_without_password_names_every_changed_option():
    result = smtp.plan(params(host='smtp2.example.com', port=2525, reply_to_name=''), CONFIGURED_BODY)
    assert '(host, port, reply_to_name)' in result.error


def test_first_configuration_without_password_fails():
    result = smtp.plan(params(host='smtp.example.com', username='mailer', from_address='noreply@example.com'), DEFAULT_BODY)
    assert result.action is None
    assert result.error.startswith('password is needed to change the SMTP settings (from_address, host, port, username)')


@pytest.mark.parametrize('new_destination', [dict(host='smtp.attacker.example'), dict(port=2525)])
def test_changing_the_destination_never_reuses_a_password(new_destination):
    """Credentials are never forwarded to a new server by a write that carries no password."""
    result = smtp.plan(params(**new_destination), CONFIGURED_BODY)
    assert result.action is None
    assert result.body is None
    assert result.error


def test_omitted_options_keep_current_values_in_the_put_body():
    result = smtp.plan(params(host='smtp2.example.com', password=PASSWORD), CONFIGURED_BODY)
    assert result.action == 'put'
    assert result.body == smtp.request_body(dict(CONFIGURED_SETTINGS, host='smtp2.example.com'), PASSWORD)


def test_empty_string_clears_reply_to():
    result = smtp.plan(params(reply_to_address='', reply_to_name='', password=PASSWORD), CONFIGURED_BODY)
    assert result.action == 'put'
    assert 'replyTo' not in result.body
    assert result.body['from'] == CONFIGURED_BODY['from']
    assert 'reply_to_address' not in result.after


def test_clearing_an_unset_reply_to_is_no_change():
    body = dict(CONFIGURED_BODY)
    del body['replyTo']
    result = smtp.plan(params(reply_to_address='', reply_to_name='', password=PASSWORD), body)
    assert result.changed is False


def test_reply_to_name_needs_reply_to_address():
    result = smtp.plan(params(reply_to_address='', password=PASSWORD), CONFIGURED_BODY)
    assert result.action is None
    assert result.error.startswith('reply_to_name needs reply_to_address')


def test_protocol_is_never_compared():
    # PingOne answered SMTPS for port 25 against its own documented rule (pingone-api.md section 2).
    for protocol in ('SMTPS', 'SMTP', None):
        body = dict(CONFIGURED_BODY, port=25, protocol=protocol)
        result = smtp.plan(full_params(port=25), body)
        assert result.changed is False, protocol


def test_port_change_is_a_change():
    result = smtp.plan(full_params(port=2525), CONFIGURED_BODY)
    assert result.action == 'put'
    assert result.body['port'] == 2525


def test_first_configuration_writes_with_default_port():
    result = smtp.plan(params(host='smtp.example.com', username='mailer', from_address='noreply@example.com', password=PASSWORD), DEFAULT_BODY)
    assert result.action == 'put'
    assert result.before == {}
    assert result.body == {'host': 'smtp.example.com', 'port': 465, 'username': 'mailer', 'password': PASSWORD,
                           'from': {'address': 'noreply@example.com'}}


@pytest.mark.parametrize('missing', ['host', 'username', 'from_address'])
def test_first_configuration_needs_host_username_and_from_address(missing):
    options = dict(host='smtp.example.com', username='mailer', from_address='noreply@example.com', password=PASSWORD)
    del options[missing]
    result = smtp.plan(params(**options), DEFAULT_BODY)
    assert result.action is None
    assert result.error.startswith('%s needed' % missing)


def test_first_configuration_with_only_a_password_names_all_missing_options():
    result = smtp.plan(params(password=PASSWORD), DEFAULT_BODY)
    assert result.error.startswith('host, username, from_address needed')


def test_first_configuration_is_a_change_even_with_update_password_on_change():
    options = dict(host='smtp.example.com', port=465, username='mailer', from_address='noreply@example.com', password=PASSWORD)
    result = smtp.plan(params(**options), {})
    assert result.action == 'put'


def test_custom_http_provider_is_replaced_only_with_full_smtp_settings():
    incomplete = smtp.plan(params(password=PASSWORD, replace_custom_provider=True), CUSTOM_PROVIDER_BODY)
    assert incomplete.error.startswith('host, username needed')
    complete = smtp.plan(params(host='smtp.example.com', username='mailer', password=PASSWORD, replace_custom_provider=True),
                         CUSTOM_PROVIDER_BODY)
    assert complete.action == 'put'
    # The sender is what the environment's email already said; it is kept, as any option left out is.
    assert complete.body['from'] == {'address': 'noreply@example.com', 'name': 'Example'}
    assert 'name' not in complete.body and 'authentication' not in complete.body


# custom HTTP provider (pingone-api.md section 2)

@pytest.mark.parametrize('api_settings, expected', [
    ({}, 'pingone'),
    (None, 'pingone'),
    (DEFAULT_BODY, 'pingone'),
    (CONFIGURED_BODY, 'smtp'),
    ({'host': 'smtp.example.com'}, 'smtp'),
    ({'protocol': 'SMTPS'}, 'smtp'),
    ({'protocol': 'HTTP', 'name': 'Custom provider'}, 'custom_http'),
    ({'provider': 'CUSTOM_PROVIDER', 'name': 'Custom provider'}, 'custom_http'),
])
def test_provider_of(api_settings, expected):
    assert smtp.provider_of(api_settings) == expected


def test_custom_provider_is_no_smtp_settings_and_shows_name_and_sender_only():
    assert smtp.settings_from_api(CUSTOM_PROVIDER_BODY) == {}
    assert smtp.custom_provider_from_api(CUSTOM_PROVIDER_BODY) == {
        'name': 'Acme Mail API', 'from_address': 'noreply@example.com', 'from_name': 'Example',
        'reply_to_address': 'help@example.com'}
    assert smtp.custom_provider_from_api(CONFIGURED_BODY) == {}


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_custom_provider_stops_the_plan_naming_it(state):
    options = full_params() if state == 'present' else params(state='absent')
    result = smtp.plan(options, CUSTOM_PROVIDER_BODY)
    assert result.action is None and result.body is None
    assert "custom HTTP provider 'Acme Mail API'" in result.error
    assert ENVIRONMENT_ID in result.error and 'replace_custom_provider=true' in result.error
    assert result.provider_before == 'custom_http'


def test_replacing_a_custom_provider_is_one_put_shown_as_a_provider_change():
    result = smtp.plan(full_params(replace_custom_provider=True), CUSTOM_PROVIDER_BODY)
    assert result.action == 'put'
    assert result.body == smtp.request_body(CONFIGURED_SETTINGS, PASSWORD)
    assert result.diff['before'] == {'provider': 'custom_http', 'custom_provider_name': 'Acme Mail API',
                                     'from_address': 'noreply@example.com', 'from_name': 'Example',
                                     'reply_to_address': 'help@example.com'}
    assert result.diff['after'] == dict(CONFIGURED_SETTINGS, provider='smtp', password=smtp.PASSWORD_SENT)
    assert result.changed_options == ['from_name', 'host', 'port', 'provider', 'reply_to_address', 'reply_to_name', 'username']
    assert result.provider_after == 'smtp'


def test_resetting_a_custom_provider_is_one_delete_shown_as_a_provider_change():
    result = smtp.plan(params(state='absent', replace_custom_provider=True), CUSTOM_PROVIDER_BODY)
    assert result.action == 'delete'
    assert result.diff['before']['provider'] == 'custom_http'
    assert result.diff['after'] == {'provider': 'pingone'}
    assert 'provider' in result.changed_options


def test_replace_custom_provider_changes_nothing_elsewhere():
    assert smtp.plan(full_params(replace_custom_provider=True), CONFIGURED_BODY).action is None
    assert smtp.plan(params(state='absent', replace_custom_provider=True), DEFAULT_BODY).action is None
    assert 'provider' not in smtp.plan(full_params(host='smtp2.example.com', replace_custom_provider=True), CONFIGURED_BODY).diff['after']


def test_dry_run_replacing_a_custom_provider_without_password_warns():
    result = smtp.plan(params(host='smtp.example.com', username='mailer', replace_custom_provider=True), CUSTOM_PROVIDER_BODY,
                       check_mode=True)
    assert result.action == 'put' and result.warning.startswith('password is needed')
    assert result.diff['after']['provider'] == 'smtp'
    assert 'provider' not in smtp.predicted_settings(result, CUSTOM_PROVIDER_BODY)


def test_readback_of_a_custom_provider_that_is_still_set():
    for written in (smtp.plan(full_params(replace_custom_provider=True), CUSTOM_PROVIDER_BODY),
                    smtp.plan(params(state='absent', replace_custom_provider=True), CUSTOM_PROVIDER_BODY)):
        assert smtp.readback_mismatches(written, CUSTOM_PROVIDER_BODY) == ["the custom HTTP provider 'Acme Mail API' is still set"]
    assert smtp.readback_mismatches(smtp.plan(full_params(replace_custom_provider=True), CUSTOM_PROVIDER_BODY), CONFIGURED_BODY) == []


def test_absent_on_default_state_is_unchanged():
    result = smtp.plan(params(state='absent'), DEFAULT_BODY)
    assert result.action is None
    assert result.changed is False
    assert result.diff == {'before': {}, 'after': {}}


def test_absent_on_configured_environment_resets_it():
    result = smtp.plan(params(state='absent'), CONFIGURED_BODY)
    assert result.action == 'delete'
    assert result.changed is True
    assert result.body is None
    assert result.diff == {'before': CONFIGURED_SETTINGS, 'after': {}}


def test_diff_masks_the_password_it_will_send():
    result = smtp.plan(full_params(host='smtp2.example.com'), CONFIGURED_BODY)
    assert result.diff['after']['password'] == smtp.PASSWORD_SENT
    assert 'password' not in result.diff['before']
    assert PASSWORD not in json.dumps(result.diff)
    assert result.body['password'] == PASSWORD


def test_diff_after_shows_the_settings_written():
    result = smtp.plan(full_params(host='smtp2.example.com', from_name=''), CONFIGURED_BODY)
    after = dict(result.diff['after'])
    del after['password']
    assert after == smtp.settings_from_api(dict(result.body, protocol='SMTP'))
    assert 'from_name' not in after


def test_unchanged_plan_shows_no_password_marker():
    result = smtp.plan(full_params(), CONFIGURED_BODY)
    assert 'password' not in result.diff['after']


def test_dry_run_without_password_reports_the_change_with_a_warning():
    result = smtp.plan(params(port=2525), CONFIGURED_BODY, check_mode=True)
    assert result.error is None
    assert result.action == 'put'
    assert result.body is None
    assert result.warning.startswith('password is needed to change the SMTP settings (port)')
    assert result.diff['after'] == dict(CONFIGURED_SETTINGS, port=2525, password=smtp.PASSWORD_MISSING)


def test_dry_run_with_password_plans_the_same_write_as_the_real_run():
    real = smtp.plan(full_params(port=2525), CONFIGURED_BODY)
    dry = smtp.plan(full_params(port=2525), CONFIGURED_BODY, check_mode=True)
    assert (dry.action, dry.body, dry.diff, dry.warning) == (real.action, real.body, real.diff, None)


def test_dry_run_still_fails_when_first_configuration_lacks_settings():
    result = smtp.plan(params(host='smtp.example.com'), DEFAULT_BODY, check_mode=True)
    assert result.action is None
    assert result.error.startswith('username, from_address needed')


@pytest.mark.parametrize('options, expected', [
    (dict(), []),
    (dict(password='a-new-password'), []),
    (dict(port=2525), ['port']),
    (dict(host='smtp2.example.com', reply_to_name='', reply_to_address=''), ['host', 'reply_to_address', 'reply_to_name']),
    (dict(update_password='always'), []),
])
def test_changed_options_list_what_changes_and_never_the_password(options, expected):
    assert smtp.plan(full_params(**options), CONFIGURED_BODY).changed_options == expected


def test_changed_options_of_a_reset_are_every_current_setting():
    assert smtp.plan(params(state='absent'), CONFIGURED_BODY).changed_options == sorted(CONFIGURED_SETTINGS)


def test_check_mode_predicts_the_protocol_only_where_the_port_keeps_it():
    current = {'host': 'smtp.example.com', 'port': 25, 'protocol': 'SMTPS', 'username': 'u', 'from': {'address': 'a@example.com'}}
    base = dict(environment_id='11111111-2222-3333-4444-555555555555', state='present', update_password='on_change', password='pw')
    same_port = smtp.plan(dict(base, host='other.example.com'), current, check_mode=True)
    new_port = smtp.plan(dict(base, port=587), current, check_mode=True)
    assert smtp.predicted_settings(same_port, current) == dict(
        host='other.example.com', port=25, protocol='SMTPS', username='u', from_address='a@example.com')
    assert smtp.predicted_settings(new_port, current)['protocol'] is None
    assert 'password' not in smtp.predicted_settings(new_port, current)


# readback_mismatches

def test_readback_of_what_was_written_has_no_mismatch():
    written = smtp.plan(full_params(port=2525), CONFIGURED_BODY)
    held = dict(CONFIGURED_BODY, port=2525, protocol='SMTP')
    assert smtp.readback_mismatches(written, held) == []


def test_readback_names_each_option_that_did_not_stick():
    written = smtp.plan(full_params(port=2525, reply_to_name='', reply_to_address=''), CONFIGURED_BODY)
    assert smtp.readback_mismatches(written, CONFIGURED_BODY) == [
        'port is 587, expected 2525', "reply_to_address is 'support@example.com', expected None",
        "reply_to_name is 'Support', expected None"]


def test_readback_never_compares_the_password_or_the_protocol():
    written = smtp.plan(full_params(update_password='always'), CONFIGURED_BODY)
    assert smtp.readback_mismatches(written, dict(CONFIGURED_BODY, protocol='SMTPS')) == []


def test_readback_of_a_first_configuration_on_the_default_state_fails():
    written = smtp.plan(full_params(), DEFAULT_BODY)
    assert len(smtp.readback_mismatches(written, DEFAULT_BODY)) == len(CONFIGURED_SETTINGS)


@pytest.mark.parametrize('held, expected', [
    (DEFAULT_BODY, []),
    ({}, []),
    (CONFIGURED_BODY, ["the SMTP server is still set (host 'smtp.example.com')"]),
])
def test_readback_of_a_reset(held, expected):
    assert smtp.readback_mismatches(smtp.plan(params(state='absent'), CONFIGURED_BODY), held) == expected


# Unicode line breaks and controls (issue 20): Cc (C0 and C1), Zl and Zp are refused; Cf (ZWJ, ZWNJ) is kept.

@pytest.mark.parametrize('option', ['host', 'username', 'from_name', 'reply_to_name'])
@pytest.mark.parametrize('character', [u'\u2028', u'\u2029', u'\u0085', u'\u009b', u'\x1b', u'\x7f'])
def test_unicode_line_separators_and_c1_controls_are_refused_naming_the_option(option, character):
    value = u'smtp%s.example.com' % character if option == 'host' else u'Example%sName' % character
    problems = smtp_input.validate(full_params(**{option: value}))
    assert problems and problems[0].startswith('%s must not contain control characters' % option)


@pytest.mark.parametrize('name', [u'\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', u'\u0915\u094d\u200d\u0937'])
def test_zero_width_joiners_that_real_names_need_are_kept(name):
    assert smtp_input.validate(full_params(from_name=name, reply_to_name=name)) == []
