from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client


@pytest.mark.django_db
def test_healthz_and_readyz(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_a_migration_is_missing(client: Client) -> None:
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="intake").order_by("-id").first()
    assert latest is not None
    latest.delete()
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "not applied" in response.json()["detail"]
    finally:
        recorder.record_applied(latest.app, latest.name)
