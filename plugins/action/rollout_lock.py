# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rollout lock of this controller (documented in modules/rollout_lock.py).

The holder is the ansible-playbook process, not this task: the lock must last the whole run, and a task's worker
process ends with the task. The state file lists the holders (PID, process start, environments); a holder whose
process is gone, or whose PID now belongs to a process that started at another time, is stale and ignored. So a
killed run blocks nobody and no release step is needed: the lock ends with the run.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import time

from ansible.plugins.action import ActionBase

from ansible_collections.pingone.platform.plugins.module_utils.pingone.controller_state import locked, state_path

LOCK_STATE_FILE = 'rollout_lock.json'
POLL_SECONDS = 1

ARGUMENT_SPEC = dict(
    environment_ids=dict(type='list', elements='str', required=True),
    wait=dict(type='int', default=0),
    purpose=dict(type='str', default='a rollout'),
)


# --- pure logic ------------------------------------------------------------------------------------------------------

def start_ticks(stat_line):
    """The start of a running process in clock ticks since boot, from its /proc/<pid>/stat line (field 22); None for
    a process that has ended but was not yet reaped by its parent (state Z or X). The command name (field 2) is in
    parentheses and may hold spaces and parentheses itself: count from the last ')'."""
    fields = stat_line.rsplit(')', 1)[1].split()
    return None if fields[0] in ('Z', 'X') else int(fields[19])


def is_alive(holder, start_of):
    """Whether the holder's process still runs: its PID exists and started when the holder's did (not a reused PID).
    start_of(pid) -> the process start, or None when there is no such process."""
    start = start_of(holder['pid'])
    return start is not None and start == holder['start']


def is_same_run(holder, run):
    return holder['pid'] == run['pid'] and holder['start'] == run['start']


def blocking_holders(holders, run):
    """The other live holders that hold any environment of `run` (holders already filtered to the live ones)."""
    wanted = set(run['environment_ids'])
    return [holder for holder in holders if not is_same_run(holder, run) and wanted & set(holder['environment_ids'])]


def with_run(holders, run):
    """The holders after `run` took the lock: its earlier entry (a second rollout in one ansible-playbook) replaced."""
    return [holder for holder in holders if not is_same_run(holder, run)] + [run]


def refusal(holder, run, waited):
    shared = len(set(run['environment_ids']) & set(holder['environment_ids']))
    message = ('Nothing was sent to PingOne: another run on this controller is changing %d of the %d environments of '
               'this run: %s, ansible-playbook PID %d, started %s. '
               % (shared, len(run['environment_ids']), holder['purpose'], holder['pid'], holder['started_at']))
    if waited:
        return message + 'It still held them after waiting %d seconds (rollout_lock_wait).' % waited
    return message + ('Run again when it has ended, or set rollout_lock_wait=<seconds> to wait for it '
                      '(this run then starts once it has ended).')


# --- process and file I/O --------------------------------------------------------------------------------------------

def process_start(pid):
    """The start of process `pid` (ticks since boot), None if there is no such process. Without /proc (not Linux),
    0 for any live PID: a PID reused by another process then passes for the holder until that process ends."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return start_ticks(stat.read())
    except (IOError, OSError, ValueError, IndexError):
        if os.path.isdir('/proc/self'):
            return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # another user's process: alive
    return 0


def started_at(start):
    """The wall-clock time (UTC) of a process start in ticks since boot, or now where /proc cannot tell."""
    moment = time.time()
    try:
        with open('/proc/stat') as stat:
            boot = next(int(line.split()[1]) for line in stat if line.startswith('btime '))
        moment = boot + start / os.sysconf('SC_CLK_TCK')
    except (IOError, OSError, ValueError, StopIteration):
        pass
    return time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(moment))


def read_holders(path):
    try:
        with open(path) as state:
            return json.load(state)['holders']
    except (IOError, OSError, ValueError, KeyError, TypeError):
        return []  # no state yet, or a damaged one: no run can be holding what it cannot record


def write_holders(path, holders):
    temporary = '%s.%d.tmp' % (path, os.getpid())
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as state:
        json.dump({'holders': holders}, state)
    os.replace(temporary, path)


def try_to_take(path, run):
    """Record `run` as a holder unless a live run holds any of its environments; -> the holders in the way."""
    with locked(path + '.lock'):
        holders = [holder for holder in read_holders(path) if is_alive(holder, process_start)]
        in_the_way = blocking_holders(holders, run)
        if not in_the_way:
            write_holders(path, with_run(holders, run))
        return in_the_way


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args['wait'] < 0:
            return dict(result, failed=True, msg='wait (rollout_lock_wait) must be 0 or more seconds, got %d' % args['wait'])
        if self._task.check_mode:
            return dict(result, changed=False, msg='Check mode writes nothing: no lock taken.')
        # This task runs in a worker process forked by ansible-playbook: the run is the worker's parent.
        playbook_pid = os.getppid()
        start = process_start(playbook_pid)
        run = dict(pid=playbook_pid, start=start, started_at=started_at(start), purpose=args['purpose'],
                   environment_ids=sorted(set(args['environment_ids'])))
        began = time.time()
        try:
            path = state_path(LOCK_STATE_FILE)
            in_the_way = try_to_take(path, run)
            while in_the_way and time.time() - began < args['wait']:
                time.sleep(POLL_SECONDS)
                in_the_way = try_to_take(path, run)
        except (IOError, OSError) as error:
            # A run that cannot lock must not go ahead as if it had: it could be the second of two.
            return dict(result, failed=True, msg='Nothing was sent to PingOne: the rollout lock could not be taken (%s). '
                        'The lock lives in ~/.ansible/pingone_tokens: give the run a HOME it can write.' % error)
        waited = int(round(time.time() - began))
        if in_the_way:
            holder = in_the_way[0]
            return dict(result, failed=True, msg=refusal(holder, run, args['wait'] and waited),
                        holder=dict((key, holder[key]) for key in ('pid', 'started_at', 'purpose')))
        return dict(result, changed=False, lock_path=path, waited=waited,
                    msg='%s holds the rollout lock for %d environment(s).' % (args['purpose'], len(run['environment_ids'])))
