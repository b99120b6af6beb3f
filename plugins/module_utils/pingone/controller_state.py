# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What outlives one module process on the controller: one owner-only (0700) folder, and one file lock.

The folder is ~/.ansible/pingone_tokens (its name predates everything but the token cache; kept so that the caches
of earlier versions and the docs stay valid). What each file in it holds:

- ``<sha256 of token URL and client id>.json``: the token cache of one worker application (token_cache.py): its
  access token, when to renew it, the token endpoint auth method that worked, and an HMAC of the client secret
  (never the secret) that tells a changed secret apart. ``<same>.json.lock`` serialises its renewal.
- ``cache.key``: the random key of those HMACs (0600).
- ``pacing.*``: the rolling-minute request rate every process on the controller shares (transport pacing).
- ``rollout_lock.json`` (guarded by ``rollout_lock.json.lock``): the runs that hold the rollout lock over
  environments (plugins/action/rollout_lock.py): each holder's PID, start time and environments.

Every file is created 0600. A lock is an fcntl.flock, which the kernel releases when its holder dies, so a
process killed while holding one never leaves it stuck.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import fcntl
import os

STATE_DIR = '~/.ansible/pingone_tokens'


def state_path(name):
    """The path of the file `name` in the controller state folder, created (0700) on demand.

    Raises OSError when the folder cannot be made (a read-only home): callers decide whether that is fatal.
    """
    if not name or os.sep in name or name in ('.', '..'):
        raise ValueError('not a file name in the controller state folder: %r' % (name,))
    folder = os.path.expanduser(STATE_DIR)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return os.path.join(folder, name)


@contextlib.contextmanager
def locked(path, blocking=True):
    """Hold an exclusive flock on `path` (created 0600) while the block runs; yields the open file (read-write).

    With blocking=False, raises BlockingIOError at once when another process holds it.
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, 'r+') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        try:
            yield lock_file
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
