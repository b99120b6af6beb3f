# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""controller_state: the owner-only folder, and a lock the kernel releases when its holder dies."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state

HOLD = '''
import fcntl, os, sys, time
handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(handle, fcntl.LOCK_EX)
print('held', flush=True)
time.sleep(60)
'''


@pytest.fixture(autouse=True)
def state_dir(monkeypatch, tmp_path):
    monkeypatch.setattr(controller_state, 'STATE_DIR', str(tmp_path / 'state'))
    return tmp_path / 'state'


def test_state_path_makes_the_folder_owner_only(state_dir):
    path = controller_state.state_path('pacing.json')
    assert path == str(state_dir / 'pacing.json')
    assert stat.S_IMODE(os.stat(str(state_dir)).st_mode) == 0o700


@pytest.mark.parametrize('name', ['', '.', '..', 'a/b'])
def test_state_path_takes_a_file_name_only(name):
    with pytest.raises(ValueError):
        controller_state.state_path(name)


def test_the_lock_file_is_owner_only_and_non_blocking_fails_while_another_process_holds_it():
    path = controller_state.state_path('run.lock')
    holder = subprocess.Popen([sys.executable, '-c', HOLD, path], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b'held'
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with pytest.raises(BlockingIOError):
            with controller_state.locked(path, blocking=False):
                pass
        holder.send_signal(signal.SIGKILL)  # killed while holding it: the kernel releases the lock
        holder.wait()
        deadline = time.monotonic() + 5
        with controller_state.locked(path, blocking=False) as lock_file:
            assert lock_file.writable() and time.monotonic() < deadline
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_released_when_the_block_ends():
    path = controller_state.state_path('run.lock')
    with controller_state.locked(path):
        pass
    with controller_state.locked(path, blocking=False):
        pass
