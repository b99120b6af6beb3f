# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rollout lock: who holds it, whose environments overlap, what a blocked run is told; then the state file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal
import stat
import subprocess
import sys
import time

from unittest import mock

import pytest

from ansible_collections.pingone.platform.plugins.action import rollout_lock
from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state

ENV_1 = 'env-1'
ENV_2 = 'env-2'
ENV_3 = 'env-3'


def run_of(pid, start, *environment_ids):
    return dict(pid=pid, start=start, started_at='2026-12-04 20:31:02 UTC', purpose='an SMTP rollout (rollout.yml)',
                environment_ids=list(environment_ids))


def test_start_ticks_counts_fields_after_a_command_name_with_spaces_and_parentheses():
    after_name = ['S'] + ['0'] * 18 + ['987654'] + ['0'] * 30  # field 22 is the 20th after the name
    line = '4242 (ansible-playbook (x) y) %s\n' % ' '.join(after_name)
    assert rollout_lock.start_ticks(line) == 987654


def test_a_process_that_ended_but_was_not_reaped_has_no_start():
    zombie = '4242 (ansible-playbook) Z %s\n' % ' '.join(['0'] * 18 + ['987654'] + ['0'] * 30)
    assert rollout_lock.start_ticks(zombie) is None


def test_start_ticks_of_this_process_matches_proc():
    with open('/proc/self/stat') as own:
        assert rollout_lock.start_ticks(own.read()) == rollout_lock.process_start(os.getpid())


def test_a_holder_is_alive_only_while_its_process_runs_with_the_same_start():
    holder = run_of(100, 5000, ENV_1)
    assert rollout_lock.is_alive(holder, {100: 5000}.get)
    assert not rollout_lock.is_alive(holder, {}.get), 'the process is gone'
    assert not rollout_lock.is_alive(holder, {100: 9000}.get), 'the PID now belongs to a later process'


def test_a_run_is_blocked_by_another_run_over_any_of_its_environments():
    other = run_of(100, 5000, ENV_1, ENV_2)
    assert rollout_lock.blocking_holders([other], run_of(200, 7000, ENV_2, ENV_3)) == [other]
    assert rollout_lock.blocking_holders([other], run_of(200, 7000, ENV_3)) == [], 'disjoint environments run side by side'


def test_a_run_is_not_blocked_by_itself():
    earlier = run_of(100, 5000, ENV_1)
    assert rollout_lock.blocking_holders([earlier], run_of(100, 5000, ENV_1, ENV_2)) == []
    assert rollout_lock.with_run([earlier], run_of(100, 5000, ENV_2)) == [run_of(100, 5000, ENV_2)]


def test_the_refusal_names_the_holder_and_how_to_wait():
    message = rollout_lock.refusal(run_of(4242, 5000, ENV_1, ENV_2), run_of(200, 7000, ENV_2, ENV_3), 0)
    assert message.startswith('Nothing was sent to PingOne: another run on this controller is changing 1 of the 2 '
                              'environments of this run: an SMTP rollout (rollout.yml), ansible-playbook PID 4242, '
                              'started 2026-12-04 20:31:02 UTC.')
    assert 'rollout_lock_wait=<seconds>' in message


def test_the_refusal_after_a_wait_says_how_long():
    message = rollout_lock.refusal(run_of(4242, 5000, ENV_1), run_of(200, 7000, ENV_1), 30)
    assert 'after waiting 30 seconds (rollout_lock_wait)' in message


# --- the state file (a HOME of its own) ------------------------------------------------------------------------------

@pytest.fixture
def lock_path(tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path))
    return controller_state.state_path(rollout_lock.LOCK_STATE_FILE)


def test_the_state_is_owner_only(lock_path):
    assert rollout_lock.try_to_take(lock_path, run_of(os.getpid(), rollout_lock.process_start(os.getpid()), ENV_1)) == []
    assert stat.S_IMODE(os.stat(os.path.dirname(lock_path)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(lock_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(lock_path + '.lock').st_mode) == 0o600


def test_a_live_holder_blocks_and_a_killed_one_does_not(lock_path):
    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        holder = run_of(child.pid, rollout_lock.process_start(child.pid), ENV_1)
        assert rollout_lock.try_to_take(lock_path, holder) == []
        me = run_of(os.getpid(), rollout_lock.process_start(os.getpid()), ENV_1, ENV_2)
        assert rollout_lock.try_to_take(lock_path, me) == [holder]
        os.kill(child.pid, signal.SIGKILL)
        while not open('/proc/%d/stat' % child.pid).read().rsplit(')', 1)[1].split()[0] == 'Z':
            time.sleep(0.01)
        # Killed, not yet reaped by its parent (this test): its /proc entry remains, it holds nothing.
        assert rollout_lock.try_to_take(lock_path, me) == [], 'a killed holder blocks nobody'
        assert rollout_lock.read_holders(lock_path) == [me], 'and is dropped from the state'
    finally:
        child.kill()
        child.wait()


def test_a_damaged_state_file_holds_nothing(lock_path):
    with open(lock_path, 'w') as state:
        state.write('{not json')
    assert rollout_lock.read_holders(lock_path) == []


def test_locked_without_blocking_fails_while_held(lock_path):
    with controller_state.locked(lock_path + '.lock'):
        with pytest.raises(BlockingIOError):
            with controller_state.locked(lock_path + '.lock', blocking=False):
                pass
    with controller_state.locked(lock_path + '.lock', blocking=False):
        pass


# --- the action (what the playbooks' gate task runs) -----------------------------------------------------------------

def run_action(args, check_mode=False):
    task = mock.MagicMock(args=args, check_mode=check_mode, async_val=0)
    action = rollout_lock.ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None,
                                       shared_loader_obj=None)
    return action.run(task_vars={})


def test_the_action_records_the_playbook_process_as_the_holder(lock_path):
    result = run_action(dict(environment_ids=[ENV_1, ENV_1, ENV_2], purpose='an SMTP reset (reset.yml)'))
    assert not result.get('failed') and result['lock_path'] == lock_path and result['waited'] == 0
    [holder] = rollout_lock.read_holders(lock_path)
    # The action runs in a worker forked by ansible-playbook: the holder is the worker's parent.
    assert (holder['pid'], holder['start']) == (os.getppid(), rollout_lock.process_start(os.getppid()))
    assert holder['environment_ids'] == [ENV_1, ENV_2] and holder['purpose'] == 'an SMTP reset (reset.yml)'


def test_the_action_fails_naming_the_holder_and_waits_only_as_long_as_asked(lock_path):
    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        rollout_lock.try_to_take(lock_path, run_of(child.pid, rollout_lock.process_start(child.pid), ENV_1))
        began = time.time()
        result = run_action(dict(environment_ids=[ENV_1], wait=2))
        assert 2 <= time.time() - began < 5
        assert result['failed'] and 'after waiting 2 seconds' in result['msg']
        assert result['holder'] == dict(pid=child.pid, started_at='2026-12-04 20:31:02 UTC', purpose='an SMTP rollout (rollout.yml)')
        assert not run_action(dict(environment_ids=[ENV_2])).get('failed'), 'other environments are free'
    finally:
        child.kill()
        child.wait()


def test_the_action_takes_no_lock_in_check_mode(lock_path):
    result = run_action(dict(environment_ids=[ENV_1]), check_mode=True)
    assert not result.get('failed') and not os.path.exists(lock_path)


def test_the_action_fails_when_it_cannot_lock(tmp_path, monkeypatch):
    not_a_folder = tmp_path / 'file'
    not_a_folder.write_text('')
    monkeypatch.setenv('HOME', str(not_a_folder))
    result = run_action(dict(environment_ids=[ENV_1]))
    assert result['failed'] and result['msg'].startswith('Nothing was sent to PingOne: the rollout lock could not be taken')
