"""Public ids for people-related objects (docs/decisions/0009-no-existence-oracle.md, point 3).

An integer primary key in a URL or an API answer tells how many there are and which is new. Objects about
people carry a random UUID as well; URLs and answers use it, the integer stays internal (foreign keys keep
pointing at it). One mechanism: the `PublicIdModel` mixin, the `pubid` path converter, and
`get_visible_or_404(..., lookup="public_id")`. Raw-SQL writers fill the column themselves (gen_random_uuid()
on PostgreSQL); the ORM fills it from `uuid.uuid4`.
"""

from __future__ import annotations

import uuid

from django.db import models
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
