"""Mail backends for the tests: a server that refuses, one that cannot be reached, and a slow one."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    calls = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        FailingBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("verbinding met de mailserver verbroken")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot even be reached."""

    def open(self) -> bool:
        raise ConnectionRefusedError("mailserver onbereikbaar")

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise AssertionError("never reached")


class SlowBackend(LocmemBackend):
    """locmem, but each message takes a moment, so two workers really overlap."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        time.sleep(0.005)
        return super().send_messages(messages)
