from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.pingone.platform.plugins.filter.rollout_outcome import rollout_outcome


@pytest.mark.parametrize('result, outcome', [
    (None, 'skipped'),
    ({'skipped': True}, 'skipped'),
    ({'failed': True, 'changed': True, 'written': True, 'msg': 'read-back failed'}, 'failed'),
    ({'changed': True, 'written': True}, 'changed'),
    ({'changed': True, 'written': False}, 'differs'),
    ({'changed': False, 'written': False}, 'unchanged'),
])
def test_outcome_from_registered_result(result, outcome):
    assert rollout_outcome(result) == outcome


# The report: the one place that classifies outcomes for the summary and the audit.
import json  # noqa: E402
from xml.etree import ElementTree  # noqa: E402

from ansible_collections.pingone.platform.plugins.filter.rollout_outcome import (  # noqa: E402
    rollout_report, rollout_report_json, rollout_report_junit, rollout_report_markdown)

DIFFERS = {'changed': True, 'written': False, 'changed_options': ['host', 'port'], 'delivery': 'smtp', 'delivery_before': 'smtp'}
UNCHANGED = {'changed': False, 'written': False, 'changed_options': [], 'delivery': 'smtp'}
FAILED = {'failed': True, 'msg': 'PingOne API answered 403'}
CUSTOM = {'failed': True, 'custom_provider_name': 'Acme Mail API', 'msg': "custom HTTP provider 'Acme Mail API'"}
SKIPPED_ON_PURPOSE = {'skipped': True, 'changed': False, 'skip_reason': 'Conditional result was False'}


def hostvars_of(**results):
    return dict((host, {'smtp_rollout_result': result, 'pingone_environment_id': 'id-' + host})
                for host, result in results.items())


def report_of(audit=False, **results):
    hostvars = hostvars_of(**results)
    return rollout_report(list(hostvars), hostvars, audit=audit)


def test_every_environment_matching_is_clean():
    report = report_of(a=UNCHANGED, b=UNCHANGED, audit=True)
    assert report['outcome'] == 'clean' and report['findings'] == []
    assert report['environments']['a'] == {'outcome': 'unchanged', 'changed_options': [], 'message': '',
                                           'environment_id': 'id-a', 'delivery': 'smtp'}


def test_an_environment_that_differs_is_drift_naming_the_options():
    report = report_of(a=UNCHANGED, b=DIFFERS, audit=True)
    assert report['outcome'] == 'drift'
    assert report['environments']['b']['changed_options'] == ['host', 'port']
    assert report['findings'] == ['b differs from the desired settings: host, port']
    assert report['counts']['differs'] == 1 and report['counts']['unchanged'] == 1


def test_delivery_is_an_option_like_any_other():
    # A dry run predicts delivery smtp; the report says who sends today.
    report = report_of(a=dict(DIFFERS, changed_options=['delivery'], delivery='smtp', delivery_before='pingone'), audit=True)
    assert report['outcome'] == 'drift' and report['environments']['a']['delivery'] == 'pingone'
    assert report['environments']['a']['message'] == 'differs from the desired settings: delivery'


def test_a_failure_outranks_drift_and_says_why():
    report = report_of(a=DIFFERS, b=FAILED, audit=True)
    assert report['outcome'] == 'failed'
    assert report['environments']['b']['message'] == 'PingOne API answered 403'
    assert 'b could not be audited: PingOne API answered 403' in report['findings']


def test_an_environment_never_reached_is_a_failure_to_audit():
    report = report_of(a=UNCHANGED, b=None, audit=True)
    assert report['outcome'] == 'failed' and report['environments']['b']['outcome'] == 'skipped'
    assert report['findings'] == ['b could not be audited: not reached']


def test_an_environment_skipped_on_purpose_is_neither_drift_nor_failure():
    report = report_of(a=UNCHANGED, b=SKIPPED_ON_PURPOSE, audit=True)
    assert report['outcome'] == 'clean' and report['environments']['b']['outcome'] == 'skipped'


def test_the_audit_counts_a_custom_provider_as_drift_the_rollout_as_failure():
    assert report_of(a=CUSTOM, audit=True)['environments']['a']['outcome'] == 'differs'
    assert "custom HTTP provider 'Acme Mail API'" in report_of(a=CUSTOM, audit=True)['findings'][0]
    assert report_of(a=CUSTOM)['environments']['a']['outcome'] == 'failed'


def test_a_server_that_fails_the_connect_preflight_today_is_a_failure():
    hostvars = hostvars_of(a=UNCHANGED)
    hostvars['a']['audit_current_preflight'] = {'passed': False, 'message': 'SMTP preflight failed at step connect'}
    report = rollout_report(['a'], hostvars, audit=True)
    assert report['outcome'] == 'failed' and report['environments']['a']['outcome'] == 'preflight_failed'
    assert report['findings'] == ['a holds an SMTP server that fails the preflight today: SMTP preflight failed at step connect']


def test_summary_lines_keep_the_hosts_order_and_total():
    report = report_of(b={'changed': True, 'written': True, 'changed_options': ['host']}, a=FAILED, c=None)
    assert report['lines'] == ['changed   b: host', 'failed    a: PingOne API answered 403', 'skipped   c',
                               'total     changed: 1, failed: 1, skipped: 1']


def test_json_report_has_outcome_and_every_environment():
    loaded = json.loads(rollout_report_json(report_of(a=DIFFERS, b=UNCHANGED, audit=True)))
    assert loaded['outcome'] == 'drift' and set(loaded['environments']) == {'a', 'b'}
    assert set(loaded['environments']['a']) == {'outcome', 'changed_options', 'message', 'environment_id', 'delivery'}


def test_junit_has_a_testcase_per_environment_a_failure_for_drift_an_error_for_a_failure():
    suites = ElementTree.fromstring(rollout_report_junit(report_of(a=DIFFERS, b=FAILED, c=UNCHANGED, audit=True)))
    suite = suites.find('testsuite')
    assert (suite.get('tests'), suite.get('failures'), suite.get('errors')) == ('3', '1', '1')
    cases = dict((case.get('name'), case) for case in suite.findall('testcase'))
    assert cases['a'].find('failure').get('message') == 'differs: host, port'
    assert cases['b'].find('error').get('message') == 'PingOne API answered 403'
    assert list(cases['c']) == []


def test_markdown_is_a_table_with_cells_that_cannot_break_it():
    markdown = rollout_report_markdown(report_of(a=DIFFERS, b=dict(FAILED, msg='bad | pipe\nnewline'), audit=True))
    assert markdown.startswith('### PingOne SMTP audit: failed\n')
    assert '| a | differs | host, port | differs from the desired settings: host, port |' in markdown
    assert '| b | failed |  | bad \\| pipe newline |' in markdown


def test_drift_and_a_failing_server_are_two_findings():
    hostvars = hostvars_of(a=DIFFERS)
    hostvars['a']['audit_current_preflight'] = {'passed': False, 'message': 'SMTP preflight failed at step dns'}
    report = rollout_report(['a'], hostvars, audit=True)
    assert report['findings'] == ['a differs from the desired settings: host, port',
                                  'a holds an SMTP server that fails the preflight today: SMTP preflight failed at step dns']


def test_an_environment_skipped_by_smtp_rollout_skip_says_so():
    hostvars = {'a': {'smtp_rollout_result': SKIPPED_ON_PURPOSE, 'smtp_rollout_skip': True}}
    entry = rollout_report(['a'], hostvars, audit=True)['environments']['a']
    assert entry['outcome'] == 'skipped'
    assert entry['message'] == 'skipped on purpose: smtp_rollout_skip is set for it (see its host_vars)'
