# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outcome of each environment of a rollout or an audit, read from its registered pingone_smtp result: the one
place that classifies outcomes. The role's summary and the audit playbook only call these filters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from xml.etree import ElementTree

OUTCOMES = ('changed', 'differs', 'unchanged', 'preflight_failed', 'failed', 'skipped')
# The audit's outcome per environment: what is drift, what is a failure to audit; `skipped` with a result is a host
# the role was told to skip (smtp_rollout_skip), neither.
DRIFT = ('differs',)
AUDIT_FAILURES = ('failed', 'preflight_failed')
JUNIT_SUITE = 'pingone.platform.audit'


def rollout_outcome(result):
    """`skipped` (never reached), `failed`, `changed` (written), `differs` (check mode: would change) or `unchanged`."""
    if not result or result.get('skipped'):
        return 'skipped'
    if result.get('failed'):
        return 'failed'
    if result.get('written'):
        return 'changed'
    return 'differs' if result.get('changed') else 'unchanged'


def environment_report(host_vars, audit=False):
    """One environment's entry: outcome, changed_options, message, environment_id, delivery, and the summary's detail.

    Reads the registered `smtp_rollout_result` and, in an audit with a connect preflight, `audit_current_preflight`.
    In an audit a custom HTTP provider the role refused to replace was read: it differs.
    """
    result = host_vars.get('smtp_rollout_result') or None
    outcome = rollout_outcome(result)
    result = result or {}
    options = list(result.get('changed_options') or [])
    custom_provider = result.get('custom_provider_name')
    current = host_vars.get('audit_current_preflight') or {}
    preflight_message = (result.get('preflight') or {}).get('message') or ''
    if audit and custom_provider and outcome == 'failed':
        outcome = 'differs'
        message = ("sends through custom HTTP provider '%s' (set smtp_rollout_replace_custom_provider to replace it)"
                   % custom_provider)
    elif outcome == 'failed':
        message = result.get('msg') or 'failed'
    elif outcome == 'skipped' and host_vars.get('smtp_rollout_skip'):
        message = 'skipped on purpose: smtp_rollout_skip is set for it (see its host_vars)'
    elif outcome == 'skipped':
        message = result.get('skip_reason') or 'not reached' if result else 'not reached'
    elif custom_provider and outcome == 'differs':
        message = "sends through custom HTTP provider '%s', which would be replaced: %s" % (custom_provider, ', '.join(options))
    elif outcome in ('differs', 'changed'):
        message = '%s the desired settings: %s' % ('differs from' if outcome == 'differs' else 'now holds',
                                                   ', '.join(options))
    else:
        message = ''
    findings = [message] if outcome == 'differs' else []
    if current and not current.get('passed') and outcome in ('differs', 'unchanged'):
        outcome = 'preflight_failed'
        findings.append('holds an SMTP server that fails the preflight today: %s' % current.get('message'))
        message = '; '.join(findings)
    detail = message if outcome in ('failed', 'preflight_failed', 'skipped') and result else ', '.join(options)
    if preflight_message and outcome not in ('failed', 'skipped'):
        detail = '%s (%s)' % (detail, preflight_message) if detail else preflight_message
    return {
        'outcome': outcome,
        'changed_options': options,
        'message': message,
        'environment_id': result.get('environment_id') or host_vars.get('smtp_rollout_environment_id')
        or host_vars.get('pingone_environment_id'),
        # Who sends today: a dry run's `delivery` is its prediction, `delivery_before` what PingOne holds now.
        'delivery': result.get('delivery_before') if outcome in ('differs', 'preflight_failed') else result.get('delivery'),
        'reached': bool(result),
        '_detail': detail,
        '_findings': findings,
    }


def rollout_report(hosts, hostvars, audit=False):
    """The report of `hosts` (in their order) from `hostvars`: overall outcome clean | drift | failed, each
    environment's entry, the counts by outcome, one finding per environment that is not clean, the summary lines."""
    entries = dict((host, environment_report(hostvars[host], audit)) for host in hosts)
    counts = dict((outcome, 0) for outcome in OUTCOMES)
    for entry in entries.values():
        counts[entry['outcome']] += 1
    not_audited = [entry for entry in entries.values()
                   if entry['outcome'] in AUDIT_FAILURES or (entry['outcome'] == 'skipped' and not entry['reached'])]
    if not_audited:
        outcome = 'failed'
    elif any(entry['outcome'] in DRIFT for entry in entries.values()):
        outcome = 'drift'
    else:
        outcome = 'clean'
    findings, lines = [], []
    for host, entry in entries.items():
        own_findings = entry.pop('_findings')
        if entry['outcome'] in DRIFT or entry['outcome'] == 'preflight_failed':
            findings.extend('%s %s' % (host, finding) for finding in own_findings)
        elif entry['outcome'] == 'failed' or (entry['outcome'] == 'skipped' and not entry['reached']):
            findings.append('%s could not be audited: %s' % (host, entry['message']))
        detail = entry.pop('_detail')
        lines.append('%-9s %s%s' % (entry['outcome'], host, ': ' + detail if detail else ''))
        entry.pop('reached')
    # Forks wait side by side, so the total can exceed the run's wall time.
    waited = sum((hostvars[host].get('smtp_rollout_result') or {}).get('rate_wait_seconds') or 0 for host in hosts)
    lines.append('total     ' + ', '.join('%s: %d' % (name, count) for name, count in counts.items() if count)
                 + ('; waited for the rate (requests_per_minute): %.1f s' % waited if waited else ''))
    return {'outcome': outcome, 'environments': entries, 'counts': counts, 'findings': findings, 'lines': lines}


def rollout_report_json(report):
    """What -e audit_report receives: the outcome and the environments (the rest is for the summary)."""
    return json.dumps({'outcome': report['outcome'], 'counts': report['counts'],
                       'environments': report['environments']}, indent=2, sort_keys=True) + '\n'


def rollout_report_junit(report):
    """JUnit XML: one testcase per environment; a failure naming the options for each that differs, an error for
    each that could not be audited, skipped for each the role was told to skip."""
    environments = report['environments']
    counts = report['counts']
    suite = ElementTree.Element('testsuite', {
        'name': JUNIT_SUITE, 'tests': str(len(environments)), 'failures': str(counts.get('differs', 0)),
        'errors': str(sum(1 for entry in environments.values() if entry['outcome'] in AUDIT_FAILURES)),
        'skipped': str(counts.get('skipped', 0))})
    for host, entry in environments.items():
        case = ElementTree.SubElement(suite, 'testcase', {'classname': JUNIT_SUITE, 'name': host})
        if entry['outcome'] in DRIFT:
            failure = ElementTree.SubElement(case, 'failure', {
                'type': 'drift', 'message': 'differs: %s' % ', '.join(entry['changed_options'])})
            failure.text = entry['message']
        elif entry['outcome'] in AUDIT_FAILURES:
            error = ElementTree.SubElement(case, 'error', {'type': entry['outcome'], 'message': entry['message']})
            error.text = entry['message']
        elif entry['outcome'] == 'skipped':
            ElementTree.SubElement(case, 'skipped', {'message': entry['message']})
    suites = ElementTree.Element('testsuites', {'name': JUNIT_SUITE})
    suites.append(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding='unicode') + '\n'


def markdown_cell(text):
    """Text for one Markdown table cell: no line break, no column separator."""
    return ' '.join(str(text).split()).replace('|', '\\|')


def rollout_report_markdown(report):
    """A Markdown table (environment, outcome, options, message) under a one-line verdict: fits a GitHub job
    summary or a GitLab merge-request note."""
    counts = ', '.join('%s %d' % (name, count) for name, count in report['counts'].items() if count)
    lines = ['### PingOne SMTP audit: %s' % report['outcome'], '', counts or 'no environment', '',
             '| Environment | Outcome | Options | Message |', '| --- | --- | --- | --- |']
    for host, entry in report['environments'].items():
        cells = (markdown_cell(host), entry['outcome'], markdown_cell(', '.join(entry['changed_options'])),
                 markdown_cell(entry['message']))
        lines.append('| %s | %s | %s | %s |' % cells)
    return '\n'.join(lines) + '\n'


class FilterModule:
    def filters(self):
        return {
            'rollout_outcome': rollout_outcome,
            'rollout_report': rollout_report,
            'rollout_report_json': rollout_report_json,
            'rollout_report_junit': rollout_report_junit,
            'rollout_report_markdown': rollout_report_markdown,
        }
