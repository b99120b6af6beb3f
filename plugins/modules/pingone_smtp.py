#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: pingone_smtp
short_description: Manage the SMTP server of a PingOne environment
version_added: 0.1.0
description:
  - Sets the SMTP server a PingOne environment sends its email through, instead of PingOne's built-in email
    service, or resets the environment to the built-in service.
  - Reads the current settings first and writes only when they differ from the options given,
    so a second run changes nothing.
  - PingOne replaces the whole object on every write and never returns the password. Options left out keep
    their current value, and every write carries the O(password) given; a write without one fails before anything is sent.
  - SMTP settings alone do not make PingOne send through the server; the environment's notifications settings decide
    (their C(emailProviderFallbackChain)). With O(activate=true) the task also makes the SMTP server the sender; every
    result says who sends in RV(delivery).
  - Each run reads two objects (the SMTP settings and the notifications settings), so a run that changes nothing costs
    two GETs per environment.
author:
  - pingone.platform developers (@pingone-platform)
extends_documentation_fragment:
  - pingone.platform.pingone
  - pingone.platform.pingone.action_group
attributes:
  check_mode:
    support: full
    description: Reports what would change and writes nothing.
  diff_mode:
    support: full
    description: Shows the settings before and after; the password is never shown, only whether it would be sent.
options:
  environment_id:
    description:
      - ID of the PingOne environment whose SMTP settings are managed.
    type: str
    required: true
  state:
    description:
      - V(present) sets the SMTP server; V(absent) resets the environment to PingOne's built-in email service.
      - V(absent) deletes the SMTP settings and leaves the notifications settings alone; with no provider configured,
        PingOne sends through its own service whatever C(emailProviderFallbackChain) holds.
    type: str
    choices: [present, absent]
    default: present
  host:
    description:
      - Hostname of the SMTP server. Needed when the environment has no SMTP server yet.
      - At most 253 characters, in labels of at most 63 (DNS limits). PingOne also rejects a host that does not resolve;
        that error names this option.
    type: str
  port:
    description:
      - Port of the SMTP server, 1 to 65535.
      - When left out, the current port is kept, or V(465) is used for a first configuration.
      - PingOne derives the protocol (SMTP or SMTPS) from the port; it is returned, not set.
      - A YAML boolean (V(true), V(false)) is refused rather than sent as a port.
    type: int
  username:
    description:
      - User name to log in to the SMTP server. Needed when the environment has no SMTP server yet.
      - At most 256 characters, without control characters (newline, carriage return, NUL, ...).
    type: str
  password:
    description:
      - Password to log in to the SMTP server. Write-only in PingOne, so it cannot be compared.
      - Needed for every write, because PingOne replaces the whole object; see O(update_password).
    type: str
  update_password:
    description:
      - V(on_change) sends the password only when another setting changes (or on first configuration),
        so a run where only the password differs reports no change.
      - V(always) writes on every run, to be sure the password is the one given; the task then always reports a change.
    type: str
    choices: [on_change, always]
    default: on_change
  password_updated_at:
    description:
      - Rotation by date. When the password was last changed, as an ISO 8601 date and time such as
        V(2026-12-04T09:30:00Z) (no zone means UTC; a date without a time is refused).
      - When it is later than PingOne's C(updatedAt) of the settings (the time of their last write), the PingOne
        environment cannot hold this password yet, so it is sent. RV(changed_options) then lists C(password) and the
        diff says C(rotated). Otherwise the password is not sent for itself.
      - After the write PingOne's C(updatedAt) is later than the date, so a rerun writes nothing, and an older date
        writes nothing at all. Change the password in the vault and this date in the same commit.
      - Only this date and PingOne's clock are compared, never the controller's clock. A date later than PingOne's
        time of the write makes every run send the password until PingOne's clock passes it; the task then warns.
      - Check mode reports the rotation without writing. Cannot be used with O(state=absent).
    type: str
  from_address:
    description:
      - Sender email address. Needed when the environment has no SMTP server yet. At most 254 characters.
    type: str
  from_name:
    description:
      - Sender display name. An empty string removes it.
      - At most 256 characters, without control characters (newline, carriage return, NUL, ...), because it goes into a mail header.
    type: str
  reply_to_address:
    description:
      - Reply-to email address. An empty string removes it. At most 254 characters.
    type: str
  reply_to_name:
    description:
      - Reply-to display name; needs a reply-to address. An empty string removes it.
      - At most 256 characters, without control characters (newline, carriage return, NUL, ...), because it goes into a mail header.
    type: str
  verify:
    description:
      - After a write, read the settings back and fail unless PingOne holds what was written
        (for O(state=absent), unless the environment is back on the built-in email service).
      - One more GET per write; nothing is read back when nothing was written. PingOne is eventually consistent,
        so a read-back that still shows the old settings is tried again after 1 and 2 more seconds before the task fails.
    type: bool
    default: true
  replace_custom_provider:
    description:
      - PingOne keeps an SMTP server and a custom HTTP email provider at the same place, so writing one replaces
        the other. An environment that sends through a custom HTTP provider fails the task before anything is
        written, naming the provider, unless this is V(true).
      - With V(true), O(state=present) replaces the custom provider with the SMTP server in one write (its sender
        address and name are kept unless given), and O(state=absent) resets the environment to PingOne's built-in
        email service. The custom provider's configuration is lost either way.
      - Check mode and diff mode show the change as C(provider) going from C(custom_http) to C(smtp) or C(pingone).
    type: bool
    default: false
  preflight:
    description:
      - Prove that the SMTP server and its credentials work, the way PingOne will talk to it, before anything is
        written. PingOne stores SMTP settings without testing them, so a wrong host, port, TLS mode or password
        would silently break every email of the environment (one-time passcodes, password resets, verification links).
      - V(none) tests nothing.
      - V(connect) resolves O(host), checks that PingOne can reach its address from the internet (see
        O(preflight_allow_private)), opens TCP to O(port), talks TLS as PingOne does for that port (SMTP with STARTTLS
        on ports 587 and 2525; SMTPS, implicit TLS, on every other port, 25 included (PingOne's docs say STARTTLS for
        25, its live API reports SMTPS; many networks also block outbound 25)), verifies the server's certificate
        (against the system trust store or O(preflight_ca_path)) for O(host), and sends EHLO.
      - V(auth) also logs in with O(username) and O(password) (AUTH PLAIN or LOGIN, as the server offers), then QUITs.
      - Uses the settings the task will write (the given options laid over the current ones). Runs only when the
        task writes (in check mode, would write), or with O(preflight_always=true); never with O(state=absent).
        Check mode runs it too, since it changes nothing in PingOne; in check mode without O(password), V(auth) is
        skipped with a warning (a pull-request pipeline holds no password; the run that writes needs it).
      - A failure fails the task before any write, naming the step that failed (C(dns), C(connect), C(greeting),
        C(address), C(tls), C(certificate), C(ehlo), C(auth), C(send)) and why. The password is never shown.
      - The preflight runs from the Ansible controller (or the host the task runs on), not from PingOne's network.
        A firewall can let one through and not the other; when the controller cannot reach the server but PingOne
        can, run the task with O(preflight=none) and send a test email from the PingOne console instead.
    type: str
    choices: [none, connect, auth]
    default: none
  preflight_ca_path:
    description:
      - PEM file of the CA(s) to trust for the SMTP server's certificate in the preflight, instead of the system
        trust store. For servers with a certificate from a private CA in a test setup; PingOne itself trusts public CAs.
      - Never the O(ca_path) of the PingOne API connection, which vouches for PingOne, not for the mail server.
    type: path
  preflight_timeout:
    description:
      - Seconds each network step of the preflight may take (resolving, connecting, each exchange with the server).
    type: float
    default: 10
  preflight_send_to:
    description:
      - Also send one short test message to this address (MAIL FROM is O(from_address)), to prove the server relays
        mail from that sender.
    type: str
  preflight_always:
    description:
      - Run the preflight on every run, also when nothing would be written (for example to test a password,
        which PingOne never returns and so cannot be compared).
    type: bool
    default: false
  preflight_allow_private:
    description:
      - PingOne connects to the SMTP server from the internet. The preflight's step C(address) fails, before any
        connection and any write, when O(host) resolves to an address that is not globally routable (private,
        loopback, link-local, shared/CGNAT, reserved, multicast), naming the host and the address.
      - V(true) lets the preflight go on. Needed for a relay that PingOne reaches through NAT or a public name that
        resolves differently inside your network, and for test servers on the controller (the demo and the tests
        set it for their local server).
    type: bool
    default: false
  activate:
    description:
      - Make the SMTP server the one that sends. PingOne keeps the choice in the environment's notifications settings, where
        C(emailProviderFallbackChain) V(["PINGONE_EMAIL"]) makes PingOne's service send although SMTP settings
        exist (an administrator chose "use PingOne email" in the console, or the environment was created so).
      - V(true) with O(state=present) sets the chain to V([]) when it is not already, in one read-modify-write of the
        notifications settings that sends back every other field as read (PingOne replaces the whole object, so a
        field left out would return to its default). No write when the chain is already V([]). RV(changed_options)
        then lists C(delivery); diff mode shows it before and after; check mode writes nothing.
      - V(false) never writes the notifications settings, and warns when the SMTP server is not the one that sends.
      - Ignored with O(state=absent), which leaves the notifications settings alone.
    type: bool
    default: true
notes:
  - The worker application needs the Environment Admin role on the environment.
seealso:
  - module: pingone.platform.pingone_smtp_info
'''

EXAMPLES = r'''
- name: Send the environment's email through our SMTP relay
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    host: smtp.example.com
    port: 587
    username: pingone-mailer
    password: "{{ vault_smtp_password }}"
    from_address: noreply@example.com
    from_name: Example Identity
    client_id: "{{ vault_pingone_client_id }}"
    client_secret: "{{ vault_pingone_client_secret }}"
    auth_environment_id: "{{ pingone_admin_environment_id }}"
    region_code: EU

- name: Rotate the SMTP password once, by date (later runs write nothing)
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    password: "{{ vault_smtp_password }}"
    password_updated_at: "2026-12-04T09:30:00Z"  # changed in the same commit as the password in the vault

- name: Rotate the SMTP password (every run writes)
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    password: "{{ vault_new_smtp_password }}"
    update_password: always

- name: Set the connection once for every module of the collection
  module_defaults:
    group/pingone.platform.pingone:
      region_code: NA
      ca_path: /etc/pki/internal-ca.pem
  block:
    - name: Remove the reply-to address
      pingone.platform.pingone_smtp:
        environment_id: "{{ pingone_environment_id }}"
        reply_to_address: ""
        reply_to_name: ""
        password: "{{ vault_smtp_password }}"

- name: Replace the custom HTTP email provider of an environment with our SMTP relay
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    host: smtp.example.com
    username: pingone-mailer
    password: "{{ vault_smtp_password }}"
    from_address: noreply@example.com
    replace_custom_provider: true

- name: Prove the server takes the credentials before PingOne is pointed at it (fails the task otherwise)
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    host: smtp.example.com
    port: 587
    username: pingone-mailer
    password: "{{ vault_smtp_password }}"
    from_address: noreply@example.com
    preflight: auth
    preflight_send_to: mail-team@example.com

- name: Change the sender name but leave who sends alone (warns when PingOne's own service sends)
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    from_name: Example Identity
    password: "{{ vault_smtp_password }}"
    activate: false

- name: Test a relay that PingOne reaches through NAT (its name resolves to a private address here)
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    host: relay.example.com
    username: pingone-mailer
    password: "{{ vault_smtp_password }}"
    from_address: noreply@example.com
    preflight: auth
    preflight_allow_private: true

- name: Go back to PingOne's built-in email service
  pingone.platform.pingone_smtp:
    environment_id: "{{ pingone_environment_id }}"
    state: absent
'''

RETURN = r'''
rate_wait_seconds:
  description: Seconds the task waited for O(requests_per_minute) before sending (shown with C(-v)).
  returned: when O(requests_per_minute) is not V(0)
  type: float
  sample: 2.5
settings:
  description:
    - The SMTP settings after the task, as PingOne returned them (read back after a write with O(verify=true);
      in check mode, as they would be). Never the password.
    - Empty when the environment uses PingOne's built-in email service.
  returned: always
  type: dict
  sample:
    host: smtp.example.com
    port: 587
    protocol: SMTP
    username: pingone-mailer
    from_address: noreply@example.com
    from_name: Example Identity
provider:
  description:
    - The email provider configured after the task (in check mode, would be)
      C(pingone) (PingOne's built-in service), C(smtp) (an SMTP server) or C(custom_http) (a custom HTTP provider).
      Whether it sends is RV(delivery).
  returned: always
  type: str
  sample: smtp
delivery:
  description:
    - Who sends the environment's email after the task (in check mode, would send it), C(pingone), C(smtp) or
      C(custom_http). C(pingone) also when an SMTP server is configured but the notifications settings let PingOne's
      service send (see O(activate)).
  returned: always
  type: str
  sample: smtp
delivery_before:
  description:
    - Who sent the environment's email before the task, as PingOne held it; in check mode, who sends it today. The
      audit reports this value, the truth of today, beside the options that differ.
  returned: always
  type: str
  sample: pingone
custom_provider_name:
  description:
    - The name of the custom HTTP provider the environment sent its email through before the task. Also returned
      when the task fails because of it (see O(replace_custom_provider)).
  returned: when the environment had a custom HTTP provider
  type: str
  sample: Acme Mail API
protocol:
  description: The protocol PingOne derived from the port (C(SMTP) or C(SMTPS)); null when unknown or not configured.
  returned: always
  type: str
  sample: SMTPS
changed_options:
  description:
    - The options whose value changes (in check mode, would change), such as C(port) or C(from_name).
    - The password is listed only when it is rotated (see O(password_updated_at)); otherwise see RV(password_sent).
      C(provider) is listed when a custom HTTP provider is replaced, C(delivery) when who sends changes (see O(activate)).
  returned: always
  type: list
  elements: str
  sample: [host, port]
written:
  description: Whether the task wrote to PingOne (a PUT or a DELETE, of the SMTP or the notifications settings); never true in check mode.
  returned: always
  type: bool
  sample: true
verified:
  description:
    - Whether the settings were read back after a write and matched what was written (see O(verify)).
    - False when nothing was written, in check mode, and with O(verify=false).
  returned: always
  type: bool
  sample: true
preflight:
  description:
    - The SMTP preflight (see O(preflight)); null when it did not run.
    - It ran from the Ansible controller, not from PingOne's network.
  returned: always
  type: dict
  contains:
    level:
      description: The O(preflight) level that ran.
      type: str
      sample: auth
    passed:
      description: Whether every step passed.
      type: bool
      sample: true
    failed_step:
      description: The step that failed, or null.
      type: str
      sample: auth
    message:
      description: One line that says what passed, or which step failed and why.
      type: str
      sample: "SMTP preflight (auth) passed: smtp.example.com:587, SMTP with STARTTLS, in 212 ms"
    host:
      description: The host tested.
      type: str
      sample: smtp.example.com
    port:
      description: The port tested.
      type: int
      sample: 587
    tls_mode:
      description: How TLS was talked, as PingOne will for this port, C(starttls) or C(implicit).
      type: str
      sample: starttls
    steps:
      description: Each step in order, with C(step) (its name), C(ok), C(ms) (milliseconds) and C(detail).
      type: list
      elements: dict
      sample:
        - {step: dns, ok: true, ms: 2, detail: 192.0.2.25}
        - {step: connect, ok: true, ms: 31, detail: "connected to 192.0.2.25:587"}
    ms:
      description: Milliseconds the steps took in all.
      type: int
      sample: 212
    banner:
      description: The server's greeting.
      type: str
      sample: 220 smtp.example.com ESMTP
    tls_version:
      description: The TLS version negotiated.
      type: str
      sample: TLSv1.3
    certificate_subject:
      description: The subject of the server's certificate.
      type: str
      sample: CN=smtp.example.com
password_sent:
  description:
    - Whether the task sent (or in check mode, would send) the password.
    - In check mode without O(password), a needed write is reported as a change with a warning, and this is false.
  returned: always
  type: bool
  sample: true
'''

from ansible_collections.pingone.platform.plugins.module_utils.pingone import (
    delivery, preflight, preflight_session, retry, rotation, smtp, smtp_api, smtp_input)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import PingOneError
from ansible_collections.pingone.platform.plugins.module_utils.pingone.module import pingone_module, run


def apply(module, client):
    environment_id = module.params['environment_id']
    current = smtp_api.read_settings(client, environment_id)
    plan = smtp.plan(module.params, current, check_mode=module.check_mode)
    custom_provider = smtp.custom_provider_from_api(current)
    named = dict(custom_provider_name=custom_provider['name']) if custom_provider else {}
    if plan.error:
        module.fail_json(msg=plan.error, provider=plan.provider_before, **named)
    activation = plan_activation(module, client, plan)
    if plan.warning:
        module.warn(plan.warning)
    preflight_result = run_preflight(module, plan)
    settings = smtp.result_settings(current)
    if plan.changed and module.check_mode:
        settings = smtp.predicted_settings(plan, current)
    elif plan.action == 'put':
        written_settings = smtp_api.write_settings(client, environment_id, plan.body)
        settings = smtp.result_settings(written_settings)
        warn_rotation_in_the_future(module, written_settings)
    elif plan.action == 'delete':
        smtp_api.reset_settings(client, environment_id)
        settings = {}
    written = plan.changed and not module.check_mode
    verified = written and module.params['verify']
    if verified:
        settings = read_back(module, client, plan, settings)
    if activation.body is not None and not module.check_mode:
        activate(module, client, activation, written)
        written = True
    delivery_before = delivery.delivery_of(plan.provider_before, activation.chain_before)
    delivery_after = delivery.delivery_of(plan.provider_after, activation.chain_after)
    changed_options = plan.changed_options + (['delivery'] if delivery_before != delivery_after else [])
    result = dict(changed=plan.changed or activation.body is not None, settings=settings,
                  protocol=settings.get('protocol'), provider=plan.provider_after, delivery=delivery_after,
                  delivery_before=delivery_before,
                  changed_options=sorted(changed_options), password_sent=plan.body is not None,
                  written=written, verified=verified, preflight=preflight_result, **named)
    warn_about_sending(module, plan, delivery_after)
    if module._diff:
        result['diff'] = dict(before=dict(plan.diff['before'], delivery=delivery_before),
                              after=dict(plan.diff['after'], delivery=delivery_after))
    return result


def warn_about_sending(module, plan, delivery_after):
    """Warnings about how the email will go out: not through the SMTP server set (activate=false), or on port 25."""
    if module.params['state'] == 'present' and not module.params['activate']:
        warning = delivery.activation_warning(delivery_after, module.params['environment_id'])
        if warning:
            module.warn(warning)
    if plan.action == 'put' and plan.after.get('port') == 25:
        module.warn(preflight.PORT_25_WARNING)


def plan_activation(module, client, plan):
    """Who sends, and the notificationsSettings write that makes the SMTP server the sender; planned from a read
    that succeeded (a 404 or a garbage answer fails the task before anything is written)."""
    environment_id = module.params['environment_id']
    notifications = smtp_api.read_notifications(client, environment_id)
    try:
        activation = delivery.plan_activation(notifications, module.params['activate'], module.params['state'])
    except delivery.NotificationsReadError as error:
        module.fail_json(msg='Reading the notifications settings of environment %s failed: PingOne answered with %s; '
                         'nothing was written' % (environment_id, error), provider=plan.provider_before)
    if activation.error:
        module.fail_json(msg=activation.error, provider=plan.provider_before)
    return activation


def activate(module, client, activation, smtp_written):
    """Make the SMTP server the sender. A failure after the SMTP settings were written still reports changed."""
    environment_id = module.params['environment_id']
    try:
        stored = smtp_api.write_notifications(client, environment_id, activation.body)
    except PingOneError as error:
        if not smtp_written:
            raise
        module.fail_json(msg='The SMTP settings of environment %s were written, but making the SMTP server the sender '
                         'failed: %s. Rerunning the task is safe.' % (environment_id, error),
                         changed=True, written=True, **error.as_result())
    held = stored.get(delivery.CHAIN, []) if isinstance(stored, dict) else None
    if held != activation.chain_after:
        module.fail_json(changed=True, written=True,
                         msg='PingOne does not hold what was written to the notifications settings of environment %s: '
                         '%s is %r, expected %r' % (environment_id, delivery.CHAIN, held, activation.chain_after))


def warn_rotation_in_the_future(module, written_settings):
    """A password_updated_at still later than PingOne's stamp of this write would send the password on every run."""
    password_updated_at = module.params['password_updated_at']
    updated_at = (written_settings or {}).get('updatedAt')
    if password_updated_at and updated_at and rotation.is_due(password_updated_at, updated_at):
        module.warn('password_updated_at %s is later than PingOne\'s time of this write (%s): every run will send the '
                    'password until that time has passed. Is the date in the future, or its time zone wrong (no zone means UTC)?'
                    % (password_updated_at, updated_at))


def run_preflight(module, plan):
    """The preflight of the settings the task will write; fails the task, before any write, when it fails."""
    params = module.params
    if plan.action == 'delete' or not preflight.should_run(params['preflight'], plan.action == 'put',
                                                           params['preflight_always']):
        return None
    if module.check_mode and params['preflight'] == 'auth' and not params['password']:
        # A dry run without the password (a pull-request pipeline holds none) cannot log in; the real run will.
        # One text for every environment: Ansible shows a repeated warning once.
        module.warn('SMTP preflight (auth) skipped: check mode without the SMTP password; the run that writes needs '
                    'the password and runs the preflight')
        return None
    settings = dict(plan.after)
    problems = preflight.settings_problems(params['preflight'], settings, params['password'], params['preflight_send_to'])
    if problems:
        module.fail_json(msg='Cannot run the SMTP preflight: %s; nothing was written to PingOne' % '; '.join(problems))
    result = preflight_session.run(settings, params['preflight'], password=params['password'],
                                   send_to=params['preflight_send_to'], ca_path=params['preflight_ca_path'],
                                   timeout=params['preflight_timeout'], allow_private=params['preflight_allow_private'])
    if not result['passed']:
        module.fail_json(msg='%s Nothing was written to PingOne.' % result['message'], preflight=result,
                         changed=False, written=False)
    return result


def read_back(module, client, plan, written):
    """The settings once PingOne holds what was written; fails the task, naming what it does not hold.

    PingOne is eventually consistent: a read right after the write may still show the old settings, so it is read
    again as the retry policy says (retry.py). The write was accepted whatever the read-back does: changed.
    """
    environment_id = module.params['environment_id']
    try:
        for wait in client.retry_policy.readback_waits():
            if wait:
                retry.sleep(wait)
            held = smtp_api.read_settings(client, environment_id)
            mismatches = smtp.readback_mismatches(plan, held)
            if not mismatches:
                return smtp.result_settings(held)
    except PingOneError as error:
        module.fail_json(changed=True, written=True, verified=False, settings=written,
                         msg='PingOne accepted the write to environment %s, but reading it back failed: %s. '
                         'Rerunning the task is safe: it reads before it writes.' % (environment_id, error),
                         **error.as_result())
    module.fail_json(changed=True, written=True, settings=smtp.result_settings(held),
                     msg='PingOne does not hold what was written to environment %s: %s'
                     % (environment_id, '; '.join(mismatches)))


def main():
    module = pingone_module(
        dict(
            environment_id=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            host=dict(type='str'),
            port=dict(type='int'),
            username=dict(type='str'),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', choices=['on_change', 'always'], default='on_change', no_log=False),
            password_updated_at=dict(type='str', no_log=False),
            from_address=dict(type='str'),
            from_name=dict(type='str'),
            reply_to_address=dict(type='str'),
            reply_to_name=dict(type='str'),
            verify=dict(type='bool', default=True),
            replace_custom_provider=dict(type='bool', default=False),
            preflight=dict(type='str', choices=list(preflight.LEVELS), default='none'),
            preflight_ca_path=dict(type='path'),
            preflight_timeout=dict(type='float', default=preflight.DEFAULT_TIMEOUT),
            preflight_send_to=dict(type='str'),
            preflight_always=dict(type='bool', default=False),
            preflight_allow_private=dict(type='bool', default=False),
            activate=dict(type='bool', default=True),
        ),
        validate=lambda params: smtp_input.validate(params) + preflight.validate(params) + rotation.validate(params),
        supports_check_mode=True,
    )
    run(module, lambda client: apply(module, client))


if __name__ == '__main__':
    main()
