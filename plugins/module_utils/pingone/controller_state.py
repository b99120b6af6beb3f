# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What outlives one module process on the controller: files in one owner-only folder, and the lock that guards them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import fcntl
import os

# The folder of the token cache: only its owner may read or change what is in it.
CONTROLLER_STATE_DIR = '~/.ansible/pingone_tokens'


def state_path(name):
    """The path of the controller state file `name`, its folder created owner-only (0700) if missing."""
    directory = os.path.expanduser(CONTROLLER_STATE_DIR)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return os.path.join(directory, name)


@contextlib.contextmanager
def locked(path, blocking=True):
    """Hold an exclusive flock on `path` (created 0600). The kernel releases it when the holder dies, however it dies.
    With blocking=False, BlockingIOError when another process holds it."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
