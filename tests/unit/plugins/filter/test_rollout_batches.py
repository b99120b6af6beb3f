from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import given, strategies as st

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


def test_counts_and_percentages_given_as_strings_are_read_as_serial_reads_them():
    assert rollout_batches([10], ['2', ' 50 %', '12.5%']) == [2, 5, 1, 1, 1]


@pytest.mark.parametrize('waves, named', [
    ([], 'at least one wave'),
    ([0], "wave 0 is not positive"),
    ([-2], "wave -2 is not positive"),
    (['-50%'], "wave '-50%' is neither"),
    (['0%'], "wave '0%' is outside (0, 100]"),
    (['100.5%'], "wave '100.5%' is outside (0, 100]"),
    (['abc'], "wave 'abc' is neither"),
    ([1, -2], "wave -2 is not positive"),
    ([True], "wave True is a bool"),
    ([None], "wave None is a NoneType"),
    ([1.5], "wave 1.5 is a float"),
    ([[1]], "wave [1] is a list"),
])
def test_a_bad_wave_fails_naming_it(waves, named):
    with pytest.raises(AnsibleFilterError, match='rollout_waves') as failure:
        rollout_batches([3], waves)
    assert named in str(failure.value)


@pytest.mark.parametrize('waves', ['25%', '1', {'wave': 1}, None, 3])
def test_waves_that_are_not_a_list_fail_naming_rollout_waves(waves):
    with pytest.raises(AnsibleFilterError, match='rollout_waves must be a list of waves'):
        rollout_batches([3], waves)


# Property tests: any valid waves over any groups.
WAVE = st.one_of(
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=1, max_value=100).map(lambda percent: '%d%%' % percent),
    st.decimals(min_value='0.1', max_value='100', places=1).map(lambda percent: '%s%%' % percent),
)
GROUP_SIZES = st.lists(st.integers(min_value=0, max_value=300), max_size=5)


@given(group_sizes=GROUP_SIZES, waves=st.lists(WAVE, min_size=1, max_size=6))
def test_every_host_is_in_exactly_one_batch_and_groups_stay_in_order(group_sizes, waves):
    batches = rollout_batches(group_sizes, waves)
    assert batches and all(size >= 1 for size in batches), 'never an empty batch list or an empty batch'
    assert len(batches) <= max(1, sum(group_sizes)), 'a finite list: at most one batch per host'
    # The batches cover the hosts once, in order: each group is a run of whole batches.
    assert sum(batches) == sum(group_sizes) or (not sum(group_sizes) and batches == [1]), 'every host once'
    ends = set(sum(batches[:end]) for end in range(1, len(batches) + 1))
    boundaries = set(sum(group_sizes[:end]) for end in range(1, len(group_sizes) + 1)) - {0}
    assert boundaries <= ends, 'no batch holds hosts of two groups'


@given(group_sizes=GROUP_SIZES, waves=st.lists(WAVE, min_size=1, max_size=6))
def test_each_group_starts_with_the_first_wave(group_sizes, waves):
    batches = rollout_batches(group_sizes, waves)
    first = waves[0]
    position = 0
    for size in group_sizes:
        if not size:
            continue
        expected = first if isinstance(first, int) else max(1, int(float(first[:-1]) / 100.0 * size))
        assert batches[position] == min(size, expected)
        # skip this group's batches
        covered = 0
        while covered < size:
            covered += batches[position]
            position += 1


@given(waves=st.lists(st.one_of(st.integers(max_value=0), st.text(max_size=5), st.floats(), st.none()), min_size=1))
def test_any_invalid_wave_fails_and_never_loops(waves):
    valid = [wave for wave in waves if isinstance(wave, int) and wave >= 1]
    try:
        batches = rollout_batches([5, 7], waves)
    except AnsibleFilterError as failure:
        assert 'rollout_waves' in str(failure)
    else:
        # Only strings that Ansible's serial would read as a count or a percentage pass.
        assert sum(batches) == 12 and not valid
