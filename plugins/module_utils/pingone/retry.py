# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry policy of the client: what is tried again, how often, and how long each wait is.

The budget, as PingOne's Go SDK applies it (pingone-api.md section 0):

- 408, 429, 500-504 and failed connections (refused, reset, a connect timeout), on every method: up to `retries`
  retries (default 9, so 10 attempts). A PUT is a full replace, so repeating it is safe.
- A read that timed out (the server took the request and never answered): one retry only, within `retries`.
- A certificate that does not verify: never (retrying cannot help).
- Calls that name statuses of their own (the settings read retries a 404, which PingOne's SDK treats as eventual
  consistency; a GET answered 2xx with a body that is no JSON object): like a 5xx.
- Waits: 1 s, 2 s, 4 s ... plus up to 1 s of jitter, each at most 30 s. A Retry-After (seconds or an HTTP date)
  replaces the wait, capped at 30 s too; one that is not a non-negative number or a date is ignored.
- A 403 on an environment that exists (a role granted a moment ago): every 1, 2, 4, then 5 s until
  `role_propagation_timeout` seconds (default 30) have passed.
- A read-back that does not show the write yet (PingOne is eventually consistent): READBACK_RETRIES more reads,
  with the waits above.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import random
import time

RETRY_STATUSES = frozenset((408, 429, 500, 501, 502, 503, 504))
FIRST_WAIT_SECONDS = 1.0
JITTER_SECONDS = 1.0
MAX_WAIT_SECONDS = 30
READ_TIMEOUT_RETRIES = 1
READBACK_RETRIES = 2
ROLE_RETRY_WAITS = (1, 2, 4)
ROLE_RETRY_MAX_WAIT = 5

# The failures of a request that never got an answer, as the transport tells them apart.
CONNECTION_FAILED = 'connection'
READ_TIMED_OUT = 'read timeout'
GARBLED = 'garbled'  # a 2xx answer to a GET whose body is no JSON object

# The clock and the sleep of every wait; tests replace them so that nothing waits.
clock = time.monotonic
sleep = time.sleep


def backoff(retry_number):
    """The wait before retry number `retry_number` (1 for the first retry), jitter included."""
    return min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (retry_number - 1) + random.random() * JITTER_SECONDS)


def retry_after_seconds(value, now=None):
    """The seconds a Retry-After header asks for, capped at MAX_WAIT_SECONDS; None when it is malformed."""
    value = (value or '').strip()
    if value.isdigit():
        return min(int(value), MAX_WAIT_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0), MAX_WAIT_SECONDS)


class RetryPolicy:
    """The budget above for one client: `retries` and `role_propagation_timeout` are the task's options."""

    def __init__(self, retries, role_propagation_timeout):
        self.retries = retries
        self.role_propagation_timeout = role_propagation_timeout or 0

    def wait(self, retries_done, status=None, failure=None, retry_after=None, also=()):
        """Seconds to wait before trying again a request that got `status` (or `failure`, when no answer came),
        after `retries_done` retries; None when it is not to be retried."""
        if failure == READ_TIMED_OUT:
            budget = min(self.retries, READ_TIMEOUT_RETRIES)
        elif failure in (CONNECTION_FAILED, GARBLED) or status in RETRY_STATUSES or status in also:
            budget = self.retries
        else:
            return None
        if retries_done >= budget:
            return None
        asked = retry_after_seconds(retry_after) if retry_after is not None else None
        return backoff(retries_done + 1) if asked is None else asked

    def role_waits(self):
        """The waits between tries of a call denied while a role propagates, until role_propagation_timeout."""
        deadline = clock() + self.role_propagation_timeout
        tries = 0
        while True:
            remaining = deadline - clock()
            if remaining <= 0:
                return
            yield min(ROLE_RETRY_WAITS[tries] if tries < len(ROLE_RETRY_WAITS) else ROLE_RETRY_MAX_WAIT, remaining)
            tries += 1

    @staticmethod
    def readback_waits():
        """The waits before each read-back of a write: none before the first, then the backoff."""
        yield 0
        for retry_number in range(1, READBACK_RETRIES + 1):
            yield backoff(retry_number)
