# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One rate of API requests for every process on the controller (requests_per_minute).

PingOne limits configuration requests per licence and per client IP over a rolling minute, and counts a request
when it arrives (pingone-api.md section 4). So a request here holds a slot of the minute from before it is sent
until a minute after its answer: whenever it arrived, it has left PingOne's window before its slot is given again.
A 429's Retry-After holds every process back, not only the one that got it.

The window arithmetic is pure (tidy, start_delay, held); SharedRate keeps the slots of every process in one small
file, locked only while it is read and rewritten, never while waiting or while a request is in flight.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import binascii
import hashlib
import json
import os
import time

from ansible_collections.pingone.platform.plugins.module_utils.pingone.controller_state import locked, state_path

WINDOW_SECONDS = 60.0
# When every slot is in flight only an answer frees one: look again this often.
IN_FLIGHT_POLL_SECONDS = 0.1
# Sleep at most this long between looks, so that a slot freed by a killed process is seen soon.
LONGEST_NAP_SECONDS = 1.0
# A slot still in flight after this long belongs to a process that cannot answer any more (suspended, or in
# another PID namespace): it counts as answered when found, like the slot of a process that is gone.
STALE_IN_FLIGHT_SECONDS = 900.0


def empty_state():
    """slots: id -> [sent, answered or None, pid]; hold_until: no request starts before this time (a Retry-After)."""
    return {'slots': {}, 'hold_until': 0.0}


def tidy(state, now, is_alive):
    """The state without the slots that have left the window; a slot of a dead process counts as answered now."""
    slots = {}
    for slot, (sent, answered, pid) in state['slots'].items():
        if answered is None and (not is_alive(pid) or sent < now - STALE_IN_FLIGHT_SECONDS):
            answered = now  # it may have arrived just now: it keeps its place for a whole minute
        if answered is None or answered > now - WINDOW_SECONDS:
            slots[slot] = [sent, answered, pid]
    return {'slots': slots, 'hold_until': state['hold_until'] if state['hold_until'] > now else 0.0}


def start_delay(state, now, per_minute):
    """Seconds until one more request may start (0: now), or None when only an answer can free a slot."""
    hold = max(0.0, state['hold_until'] - now)
    answers = sorted(answered for sent, answered, pid in state['slots'].values() if answered is not None)
    in_flight = len(state['slots']) - len(answers)
    must_leave = in_flight + len(answers) - per_minute + 1
    if must_leave <= 0:
        return hold
    if must_leave > len(answers):
        return None
    return max(hold, answers[must_leave - 1] + WINDOW_SECONDS - now)


def held(state, until):
    """The state with every request held back until `until` (a Retry-After), unless held longer already."""
    return dict(state, hold_until=max(state['hold_until'], until))


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, under another user
    return True


class PacingStateError(Exception):
    """The pacing file cannot be kept (a read-only home, a full disk): no request goes out unpaced by accident."""


class SharedRate:
    """The slots of this process's requests in the controller's pacing file for one API host.

    start() before a request is sent (it waits for the rate), finish() when its answer or failure came.
    One request at a time per process: a module run sends its requests one after the other.
    """

    def __init__(self, per_minute, api_url, clock=time.time, sleep=time.sleep, is_alive=process_alive):
        self.per_minute = per_minute
        self.waited_seconds = 0.0
        # One file per API host: a host is one region, and a licence lives in one region.
        self._name = 'pacing-%s.state' % hashlib.sha256(api_url.encode('utf-8')).hexdigest()[:16]
        self._path = None
        self._clock, self._sleep, self._is_alive = clock, sleep, is_alive
        self._slot = None

    def start(self):
        try:
            self._take_slot()
        except OSError as error:
            raise PacingStateError('cannot keep the requests_per_minute state in %s (%s): make that folder writable, '
                                   'or set requests_per_minute to 0' % (error.filename or 'the controller state folder',
                                                                        error.strerror or error))

    def _take_slot(self):
        began = self._clock()
        self._path = self._path or state_path(self._name)
        while True:
            with locked(self._path + '.lock'):
                now = self._clock()
                state = tidy(self._read(), now, self._is_alive)
                delay = start_delay(state, now, self.per_minute)
                if delay == 0:
                    self._slot = binascii.hexlify(os.urandom(8)).decode('ascii')  # unique among every client
                    state['slots'][self._slot] = [now, None, os.getpid()]
                    self._write(state)
                    self.waited_seconds += now - began
                    return
            self._sleep(IN_FLIGHT_POLL_SECONDS if delay is None else min(delay, LONGEST_NAP_SECONDS))

    def finish(self, hold_seconds=None):
        """The request in flight was answered (or failed); a Retry-After's hold_seconds hold back every process."""
        slot, self._slot = self._slot, None
        if slot is None:
            return  # start() did not get a slot
        try:
            with locked(self._path + '.lock'):
                now = self._clock()
                state = tidy(self._read(), now, self._is_alive)
                if slot in state['slots']:
                    state['slots'][slot][1] = now
                if hold_seconds:
                    state = held(state, now + hold_seconds)
                self._write(state)
        except OSError:
            # The request was answered (a write may have been accepted): a state that cannot be written now (a full
            # disk) must not fail it. Its slot stays in flight, which only slows the rate, until tidy() finds this
            # process gone or the slot stale; a Retry-After it carried is kept by this process's retry only.
            pass

    def _read(self):
        try:
            with open(self._path) as state_file:
                state = json.load(state_file)
            if isinstance(state, dict) and isinstance(state.get('slots'), dict):
                return {'slots': state['slots'], 'hold_until': float(state.get('hold_until') or 0.0)}
        except (OSError, ValueError, TypeError):
            pass  # no file yet
        return empty_state()

    def _write(self, state):
        # A new file renamed over the old one: a process killed while writing leaves the old state whole.
        temporary = '%s.%d' % (self._path, os.getpid())
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as state_file:
            json.dump(state, state_file, separators=(',', ':'))
        os.replace(temporary, self._path)
