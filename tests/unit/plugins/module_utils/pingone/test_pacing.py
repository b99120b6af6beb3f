# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""requests_per_minute: the window arithmetic, the shared file, and the hooks in the client's transport."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import multiprocessing
import os
import signal
import stat
import time

import pytest

import requests

from ansible_collections.pingone.platform.plugins.module_utils.pingone import controller_state, options, pacing, retry, transport
from ansible_collections.pingone.platform.plugins.module_utils.pingone.pacing import empty_state, held, start_delay, tidy

API_URL = 'https://api.pingone.eu/v1'
ALIVE = 4242


def alive(pid):
    return pid == ALIVE


def state_of(*slots, **kwargs):
    """Slots given as (sent, answered) pairs of a live process."""
    return dict(empty_state(), slots=dict(('s%d' % index, [sent, answered, ALIVE]) for index, (sent, answered) in enumerate(slots)),
                **kwargs)


# the window arithmetic (pure)

def test_requests_start_at_once_while_the_minute_has_room():
    assert start_delay(state_of((0, 1), (2, None)), now=10, per_minute=3) == 0


def test_the_next_request_waits_until_the_oldest_answer_is_a_minute_old():
    state = state_of((0, 1), (2, 5), (3, 7))
    assert start_delay(state, now=10, per_minute=3) == pytest.approx(51)  # 1 + 60 - 10


def test_a_request_in_flight_holds_its_slot_however_old():
    # Sent 100 s ago and not answered: PingOne may count it any moment now.
    state = state_of((0, None), (95, 96))
    assert start_delay(state, now=100, per_minute=2) == pytest.approx(56)
    assert start_delay(state_of((0, None), (90, None)), now=100, per_minute=2) is None


def test_several_slots_must_leave_when_over_the_rate():
    # Four in the window for a rate of two (a lower rate than another process used): three must leave first.
    state = state_of((0, 1), (0, 2), (0, 3), (0, 4))
    assert start_delay(state, now=10, per_minute=2) == pytest.approx(53)


def test_a_retry_after_holds_back_even_with_room():
    assert start_delay(state_of(hold_until=30.0), now=10, per_minute=100) == pytest.approx(20)
    assert start_delay(held(state_of(hold_until=30.0), 20.0), now=10, per_minute=100) == pytest.approx(20)
    assert start_delay(held(empty_state(), 40.0), now=10, per_minute=100) == pytest.approx(30)


def test_tidy_drops_answers_older_than_a_minute_and_keeps_the_rest():
    state = tidy(state_of((0, 1), (50, 70), (80, None), hold_until=5.0), now=100, is_alive=alive)
    assert sorted(state['slots'].values()) == [[50, 70, ALIVE], [80, None, ALIVE]]
    assert state['hold_until'] == 0.0


def test_a_slot_of_a_dead_process_counts_as_answered_when_found():
    state = dict(empty_state(), slots={'dead': [0, None, 999999], 'stuck': [0, None, ALIVE]})
    state = tidy(state, now=2000, is_alive=alive)
    assert state['slots']['dead'] == [0, 2000, 999999]
    assert state['slots']['stuck'] == [0, 2000, ALIVE]  # in flight for longer than any request can be
    assert start_delay(state, now=2000, per_minute=2) == pytest.approx(60)


# the shared file

class Clock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def shared_rate(per_minute, clock):
    return pacing.SharedRate(per_minute, API_URL, clock=clock, sleep=clock.sleep, is_alive=lambda pid: True)


def test_processes_share_one_window_through_the_file():
    clock = Clock()
    first, second = shared_rate(2, clock), shared_rate(2, clock)
    first.start()
    first.finish()
    second.start()
    second.finish()
    clock.now += 10
    third = shared_rate(2, clock)
    third.start()  # waits until the first answer is a minute old
    assert clock.now == pytest.approx(1060)
    assert third.waited_seconds == pytest.approx(50)
    assert first.waited_seconds == second.waited_seconds == 0


def test_a_retry_after_holds_back_every_process():
    clock = Clock()
    got_429, other = shared_rate(100, clock), shared_rate(100, clock)
    got_429.start()
    got_429.finish(hold_seconds=12)
    other.start()
    assert other.waited_seconds == pytest.approx(12)


def test_the_state_file_is_private_and_small():
    clock = Clock()
    rate = shared_rate(5, clock)
    for request_number in range(20):
        rate.start()
        rate.finish()
    folder = os.path.dirname(controller_state.state_path('pacing-test'))
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    [state_file] = [name for name in os.listdir(folder) if name.endswith('.state')]
    assert stat.S_IMODE(os.stat(os.path.join(folder, state_file)).st_mode) == 0o600
    with open(os.path.join(folder, state_file)) as stream:
        assert len(json.load(stream)['slots']) == 5  # older answers left the window


def test_api_hosts_have_rates_of_their_own():
    clock = Clock()
    eu = shared_rate(1, clock)
    eu.start()
    eu.finish()
    na = pacing.SharedRate(1, 'https://api.pingone.com/v1', clock=clock, sleep=clock.sleep, is_alive=lambda pid: True)
    na.start()
    assert na.waited_seconds == 0


def _take_slots(count, per_minute):
    rate = pacing.SharedRate(per_minute, API_URL)
    for request_number in range(count):
        rate.start()
        rate.finish()


def test_forks_taking_slots_together_lose_none():
    workers = [multiprocessing.Process(target=_take_slots, args=(25, 1000)) for fork in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    path = controller_state.state_path('pacing-%s.state' % hashlib.sha256(API_URL.encode()).hexdigest()[:16])
    with open(path) as stream:
        slots = json.load(stream)['slots']
    assert len(slots) == 100 and all(answered is not None for sent, answered, pid in slots.values())


def _hold_lock_forever(path):
    with controller_state.locked(path):
        time.sleep(600)


def test_a_lock_holder_killed_frees_the_lock():
    path = controller_state.state_path('test.lock')
    holder = multiprocessing.Process(target=_hold_lock_forever, args=(path,))
    holder.start()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with controller_state.locked(path, blocking=False):
                pass
        except BlockingIOError:
            break
        time.sleep(0.01)
    with pytest.raises(BlockingIOError):
        with controller_state.locked(path, blocking=False):
            pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    with controller_state.locked(path, blocking=False):
        pass


# the hook in the transport: every attempt at an API request, and only those

class RecordingRate:
    def __init__(self):
        self.calls = []
        self.waited_seconds = 0.0

    def start(self):
        self.calls.append('start')

    def finish(self, hold_seconds=None):
        self.calls.append(('finish', hold_seconds))


def answer(status, body=None, retry_after=None):
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body if body is not None else {}).encode('utf-8')
    if retry_after:
        response.headers['Retry-After'] = retry_after
    return response


class StubSession:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.urls = []

    def request(self, method, url, **kwargs):
        self.urls.append(url)
        return self.answers.pop(0)


def paced_client(monkeypatch, *answers, **options_given):
    monkeypatch.setattr(retry, 'sleep', lambda seconds: None)
    client = transport.PingOneClient(dict(dict(region_code='EU', client_id='0c1d2e3f-1111-4111-8111-000000000001',
                                               client_secret='s', auth_environment_id='0c1d2e3f-2222-4222-8222-000000000002',
                                               token_cache=False), **options_given))
    rate = RecordingRate()
    monkeypatch.setattr(client, '_rate', rate)
    monkeypatch.setattr(client, '_session', StubSession(*answers))
    return client, rate


def test_every_attempt_of_an_api_request_is_paced_and_a_429_shares_its_wait(monkeypatch):
    client, rate = paced_client(monkeypatch, answer(200, {'access_token': 't', 'expires_in': 3600}),
                                answer(429, retry_after='4'), answer(503), answer(200, {'id': 'x'}))
    assert client.request('GET', '/environments/x', 'Reading') == {'id': 'x'}
    # The token request is not paced; the three attempts of the API request are, the 429's wait shared.
    assert rate.calls == ['start', ('finish', 4), 'start', ('finish', None), 'start', ('finish', None)]


def test_a_request_that_fails_still_gives_its_slot_back(monkeypatch):
    client, rate = paced_client(monkeypatch, answer(200, {'access_token': 't', 'expires_in': 3600}), answer(400))
    with pytest.raises(transport.PingOneError):
        client.request('GET', '/environments/x', 'Reading')
    assert rate.calls == ['start', ('finish', None)]


def test_zero_means_unpaced_and_the_default_paces():
    unpaced = transport.PingOneClient(dict(region_code='EU', access_token='t', requests_per_minute=0))
    assert unpaced.rate_wait_seconds is None
    paced = transport.PingOneClient(dict(region_code='EU', access_token='t'))
    assert paced.rate_wait_seconds == 0 and paced._rate.per_minute == 180


def test_requests_per_minute_defaults_to_under_one_ips_share():
    assert options.connection_argument_spec()['requests_per_minute']['default'] == 180
    assert options.ENV_VARS['requests_per_minute'] == 'PINGONE_REQUESTS_PER_MINUTE'


@pytest.mark.parametrize('value', [-1, 'fast', True])
def test_requests_per_minute_must_be_zero_or_more(value):
    [problem] = options.requests_per_minute_problems(value)
    assert 'requests_per_minute (PINGONE_REQUESTS_PER_MINUTE)' in problem


@pytest.mark.parametrize('value', [0, 180, '60', None])
def test_requests_per_minute_accepts_counts(value):
    assert options.requests_per_minute_problems(value) == []


def test_a_home_where_the_state_cannot_be_kept_fails_naming_the_option(monkeypatch, tmp_path):
    home = tmp_path / 'home'
    home.mkdir()
    (home / '.ansible').write_text('a file where the folder should be')  # fails for root too, unlike a mode
    monkeypatch.setenv('HOME', str(home))
    rate = pacing.SharedRate(10, API_URL)
    with pytest.raises(pacing.PacingStateError, match='requests_per_minute to 0'):
        rate.start()
    rate.finish()  # nothing to finish: no slot was taken


def test_an_answer_that_cannot_be_recorded_fails_nothing(monkeypatch, tmp_path):
    # The request was sent and answered (a write may have been accepted): a full disk when the answer is recorded
    # must not fail it. The slot stays in flight in the file, which only slows the rate: it counts as answered once
    # this process is gone, or after STALE_IN_FLIGHT_SECONDS.
    monkeypatch.setenv('HOME', str(tmp_path))
    clock = Clock()
    rate = shared_rate(10, clock)
    rate.start()

    def disk_full(state):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(rate, '_write', disk_full)
    rate.finish(hold_seconds=5)
    assert rate._slot is None
    assert [answered for sent, answered, pid in rate._read()['slots'].values()] == [None]
