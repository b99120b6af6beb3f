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
