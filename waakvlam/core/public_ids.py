"""Public ids for people-related objects (docs/decisions/0009-no-existence-oracle.md, point 3).

An integer primary key in a URL or an API answer tells how many there are and which is new. Objects about
people carry a random UUID as well; URLs and answers use it, the integer stays internal (foreign keys keep
pointing at it). One mechanism: the `PublicIdModel` mixin, the `pubid` path converter, and
`get_visible_or_404(..., lookup="public_id")`. Raw-SQL writers fill the column themselves (gen_random_uuid()
on PostgreSQL); the ORM fills it from `uuid.uuid4`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.http import Http404
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class PublicIdModel(models.Model):
    public_id = models.UUIDField(_("publiek kenmerk"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class PublicIdConverter:
    """A UUID in its canonical form; anything else (an old integer id) is a URL that does not exist: 404."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID | str) -> str:
        return str(value)


register_converter(PublicIdConverter, "pubid")


def backfill_public_ids(app_label: str, model_name: str, batch: int = 5000) -> Any:
    """A RunPython function that gives every existing row of a model its random public id: one UPDATE with
    gen_random_uuid() on PostgreSQL, batches of uuid4 elsewhere (as households/0004 does)."""

    def backfill(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(f"UPDATE {table} SET public_id = gen_random_uuid() WHERE public_id IS NULL")  # noqa: S608 - name from _meta
            return
        while True:
            rows = list(model.objects.filter(public_id__isnull=True).only("pk")[:batch])
            if not rows:
                return
            for row in rows:
                row.public_id = uuid.uuid4()
            model.objects.bulk_update(rows, ["public_id"])

    return backfill


def public_id_or_404(value: str) -> uuid.UUID:
    """A path parameter that names an object by its public id; an old integer id, or anything else that is
    no UUID, is an object that does not exist (404) rather than bad input."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def relink_notifications(prefix: str, app_label: str, model_name: str, batch: int = 2000) -> Any:
    """A RunPython function that rewrites stored notification links `<prefix><integer id>/...` to the object's
    public id, so that notifications sent before the change still lead to their page (the integer URL is
    gone). A link to an object that no longer exists keeps its old path and answers 404, as before."""

    def relink(apps: Any, schema_editor: Any) -> None:
        notification = apps.get_model("notify", "Notification")
        model = apps.get_model(app_label, model_name)
        last = 0
        while True:
            rows = list(
                notification.objects.filter(pk__gt=last, link__startswith=prefix)
                .order_by("pk")
                .only("pk", "link")[:batch]
            )
            if not rows:
                return
            last = rows[-1].pk
            wanted: dict[Any, tuple[int, str]] = {}
            for row in rows:
                head, _, rest = row.link[len(prefix) :].partition("/")
                if head.isdigit():
                    wanted[row] = (int(head), rest)
            public = dict(model.objects.filter(pk__in={pk for pk, _ in wanted.values()}).values_list("pk", "public_id"))
            changed = []
            for row, (pk, rest) in wanted.items():
                if pk in public:
                    row.link = f"{prefix}{public[pk]}/{rest}"
                    changed.append(row)
            notification.objects.bulk_update(changed, ["link"])

    return relink
