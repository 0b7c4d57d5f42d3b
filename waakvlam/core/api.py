from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from waakvlam.core.models import Neighbourhood

router = Router(tags=["reference"])


class NeighbourhoodOut(Schema):
    code: str
    name: str
    district_code: str
    district_name: str
    municipality_code: str


def caller_municipality_id(request: HttpRequest) -> int:
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return int(api_key.organisation.municipality_id)
    return request.user.municipality_id  # type: ignore[union-attr]


@router.get("/neighbourhoods", response=list[NeighbourhoodOut], summary="Districts and neighbourhoods (CBS codes)")
def neighbourhoods(request: HttpRequest) -> list[NeighbourhoodOut]:
    rows = Neighbourhood.objects.filter(municipality_id=caller_municipality_id(request)).select_related(
        "district", "municipality"
    )
    return [
        NeighbourhoodOut(
            code=n.code,
            name=n.name,
            district_code=n.district.code,
            district_name=n.district.name,
            municipality_code=n.municipality.code,
        )
        for n in rows
    ]
