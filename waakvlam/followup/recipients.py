"""Who hears an escalation: the audiences of a ladder step resolved to people, looked up once per sweep.

An audience that is nobody (a team without coordinators, a municipality without its own people) is
replaced by the first audience of the step's fallback that is somebody, so nobody-to-notify never happens
while the municipality has a functional admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from waakvlam.core.models import Neighbourhood, Organisation, Team, User
from waakvlam.core.people import person_name
from waakvlam.core.roles import Role
from waakvlam.followup.kinds import (
    ADMINS,
    BACKUP,
    COORDINATORS,
    MUNICIPALITY,
    OWNER,
    TEAM,
    Audience,
    FollowUpKind,
    Person,
    Row,
    Step,
)


class Recipients:
    """Caches by organisation, team, municipality and person for one pass of the sweep."""

    def __init__(self, kind: FollowUpKind) -> None:
        self.kind = kind
        self._people: dict[int, User | None] = {}
        self._coordinators: dict[int, list[User]] = {}
        self._teams: dict[int, list[User]] = {}
        self._team_organisation: dict[int, int] = {}
        self._by_role: dict[tuple[int, str], list[User]] = {}
        self._steps: dict[tuple[Any, ...], list[tuple[Audience, list[User]]]] = {}
        # What decides who hears a step: the owner fields, the persons steps name, the municipality.
        persons = {
            a.field
            for step in (*kind.ladder.steps, kind.ladder.then)
            for a in (*step.to, *step.fallback)
            if isinstance(a, Person)
        }
        self._deciding = (*kind.owner.paths(), *sorted(persons), "municipality")

    def prefetch_people(self, rows: Iterable[Row], steps: Iterable[Step]) -> None:
        """One query for every person a batch's steps name (owners, back-ups, announcers)."""
        fields: set[str] = set()
        owner = self.kind.owner
        for step in steps:
            for audience in (*step.to, *step.fallback):
                if audience == OWNER and owner.person:
                    fields.add(owner.person)
                elif audience == BACKUP and owner.backup:
                    fields.add(owner.backup)
                elif isinstance(audience, Person):
                    fields.add(audience.field)
        ids = {row[f] for row in rows for f in fields if row.get(f)} - self._people.keys()
        if ids:
            found = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
            self._people.update({pk: found.get(pk) for pk in ids})

    def _person(self, pk: int | None) -> list[User]:
        if not pk:
            return []
        if pk not in self._people:
            self._people[pk] = User.objects.filter(pk=pk, is_active=True).first()
        person = self._people[pk]
        return [person] if person is not None else []

    def _coordinators_of(self, organisation_id: int | None) -> list[User]:
        if not organisation_id:
            return []
        if organisation_id not in self._coordinators:
            self._coordinators[organisation_id] = list(
                User.objects.filter(organisation_id=organisation_id, role=Role.COORDINATOR, is_active=True)
            )
        return self._coordinators[organisation_id]

    def _organisation(self, row: Row) -> int | None:
        """The owner's organisation: its own field, or else the owning team's (looked up once per team, so the
        sweep's query needs no join)."""
        owner = self.kind.owner
        if owner.organisation:
            return row.get(owner.organisation)
        team_id = row.get(owner.team) if owner.team else None
        if not team_id:
            return None
        if team_id not in self._team_organisation:
            self._team_organisation.update(Team.objects.filter(pk=team_id).values_list("pk", "organisation_id"))
        return self._team_organisation.get(team_id)

    def _members_of(self, team_id: int | None) -> list[User]:
        if not team_id:
            return []
        if team_id not in self._teams:
            self._teams[team_id] = list(User.objects.filter(teams=team_id, is_active=True).order_by("pk"))
        return self._teams[team_id]

    def _role_in(self, municipality_id: int, role: str) -> list[User]:
        key = (municipality_id, role)
        if key not in self._by_role:
            self._by_role[key] = list(
                User.objects.filter(organisation__municipality_id=municipality_id, role=role, is_active=True)
            )
        return self._by_role[key]

    def audience(self, audience: Audience, row: Row) -> list[User]:
        owner = self.kind.owner
        if isinstance(audience, Person):
            return self._person(row.get(audience.field))
        if audience == OWNER:
            return self._person(row.get(owner.person)) if owner.person else []
        if audience == BACKUP:
            return self._person(row.get(owner.backup)) if owner.backup else []
        if audience == TEAM:
            return self._members_of(row.get(owner.team)) if owner.team else []
        if audience == COORDINATORS:
            return self._coordinators_of(self._organisation(row))
        if audience == MUNICIPALITY:
            return self._role_in(row["municipality"], Role.MUNICIPALITY)
        if audience == ADMINS:
            return self._role_in(row["municipality"], Role.ADMIN)
        raise ValueError(f"Unknown audience {audience!r} in follow-up kind {self.kind.name!r}")

    def for_step(self, step: Step, row: Row) -> list[tuple[Audience, list[User]]]:
        """Per audience of the step: who hears it (after the fallback), as (the audience that answered, people)."""
        key = (id(step), *(row.get(path) for path in self._deciding))
        if key not in self._steps:
            self._steps[key] = self._resolve(step, row)
        return self._steps[key]

    def _resolve(self, step: Step, row: Row) -> list[tuple[Audience, list[User]]]:
        result: list[tuple[Audience, list[User]]] = []
        for wanted in step.to:
            for audience in (wanted, *(a for a in step.fallback if a != wanted)):
                people = self.audience(audience, row)
                if people:
                    result.append((audience, people))
                    break
        return result


def names(what: str, ids: set[int]) -> dict[int, str]:
    """Display names by id for the messages: teams, neighbourhoods, organisations, people."""
    if what == "team":
        return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    if what == "neighbourhood":
        return dict(Neighbourhood.objects.filter(pk__in=ids).values_list("pk", "name"))
    if what == "organisation":
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    if what == "user":
        return {u.pk: person_name(u) for u in User.objects.filter(pk__in=ids)}
    raise ValueError(f"Unknown name look-up {what!r}")
