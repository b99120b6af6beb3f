from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.pingone.platform.plugins.filter.rollout_batches import rollout_batches

DEFAULT_WAVES = [1, '25%', '100%']


@pytest.mark.parametrize('group_sizes, expected', [
    ([3, 3], [1, 1, 1, 1, 1, 1]),
    ([3, 8], [1, 1, 1, 1, 2, 5]),
    ([20], [1, 5, 14]),
    ([1, 0, 2], [1, 1, 1]),
])
def test_each_group_gets_its_own_waves(group_sizes, expected):
    assert rollout_batches(group_sizes, DEFAULT_WAVES) == expected


def test_no_batch_crosses_a_group_boundary():
    group_sizes = [7, 13, 2]
    batches = rollout_batches(group_sizes, DEFAULT_WAVES)
    boundaries = [sum(group_sizes[:end]) for end in range(1, len(group_sizes) + 1)]
    ends = [sum(batches[:end]) for end in range(1, len(batches) + 1)]
    assert set(boundaries) <= set(ends)
    assert sum(batches) == sum(group_sizes)


def test_the_last_wave_repeats_until_the_group_is_done():
    assert rollout_batches([10], [2, 3]) == [2, 3, 3, 2]


def test_no_hosts_still_gives_a_valid_serial():
    assert rollout_batches([0, 0], DEFAULT_WAVES) == [1]


@pytest.mark.parametrize('waves', [[], [0], [-2]])
def test_bad_waves_fail_clearly(waves):
    with pytest.raises(AnsibleFilterError, match='wave'):
        rollout_batches([3], waves)
