"""stopping.py: a watched run stops on SIGINT or SIGTERM, or when its parent is gone; every wait is cut short and
every request refused after that; outside a watched run nothing changes."""

import os
import signal
import threading
import time

import pytest

from ansible_collections.mailops.sendgrid.plugins.module_utils import stopping


def test_outside_a_watched_run_nothing_stops():
    stopping.request_stop('ignored')
    assert not stopping.requested()
    stopping.check()


@pytest.mark.parametrize('signum', [signal.SIGINT, signal.SIGTERM])
def test_a_signal_sets_the_flag_and_the_handlers_come_back(signum):
    before = signal.getsignal(signum)
    with stopping.watching():
        assert not stopping.requested()
        os.kill(os.getpid(), signum)
        assert stopping.requested() and stopping.reason() == 'stopped by %s' % signal.Signals(signum).name
        with pytest.raises(stopping.RunStopped, match='stopped by SIG'):
            stopping.check()
    assert signal.getsignal(signum) is before and not stopping.requested()


def test_a_wait_ends_when_the_run_is_stopped():
    with stopping.watching():
        threading.Timer(0.2, stopping.request_stop, ['stopped by SIGTERM']).start()
        started = time.monotonic()
        with pytest.raises(stopping.RunStopped):
            stopping.pause(30)
        assert time.monotonic() - started < 5


def test_a_run_whose_parent_is_gone_stops(monkeypatch):
    with stopping.watching():
        monkeypatch.setattr(os, 'getppid', lambda: 1)
        assert stopping.requested() and stopping.parent_gone()
        assert stopping.reason() == 'the controller process that ran this task is gone'


def test_a_retry_and_a_pacer_wait_never_start_after_a_stop():
    from ansible_collections.mailops.sendgrid.plugins.module_utils.pacing import ClampedRetry, RatePacer
    with stopping.watching():
        pacer = RatePacer(clock=lambda: 0)
        pacer.before_request()
        pacer.after_response({'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '30'})
        stopping.request_stop('stopped by SIGINT')
        with pytest.raises(stopping.RunStopped):
            ClampedRetry(total=5).increment(method='DELETE', url='/v3/x')
        with pytest.raises(stopping.RunStopped):
            pacer.before_request()
