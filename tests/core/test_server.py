"""What each worker of `waakvlam serve` does before it takes its first request."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from waakvlam.core.server import WaakvlamServer
from waakvlam.intake.freetext import DeduceDetector, detector
from waakvlam.intake.group_commit import intake_writer_stop


@pytest.fixture
def loaded() -> Iterator[object]:
    server = WaakvlamServer.__new__(WaakvlamServer)  # load() alone: no gunicorn arbiter, no socket
    try:
        yield server.load()
    finally:
        gc.unfreeze()
        intake_writer_stop()


@pytest.mark.django_db
def test_a_worker_builds_the_detector_and_freezes_what_it_loaded(loaded: object) -> None:
    assert callable(loaded)  # the WSGI application
    assert isinstance(detector(), DeduceDetector)
    # A full garbage collection no longer walks the app and the detector (about 100 ms with the GIL held).
    assert gc.get_freeze_count() > 100_000
