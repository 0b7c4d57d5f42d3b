from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.privacy.forms import AccessLogSearchForm
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.readable import SubjectMatch, readable_entries, subjects_matching
from waakvlam.privacy.selectors import access_log_search
from waakvlam.privacy.services import Actor, access_log_reads, access_log_record


def _log_matches(request: HttpRequest, matches: list[SubjectMatch]) -> None:
    """Showing who a name belongs to is a read of those residents: one entry each, under their subject."""
    by_type: dict[str, list[tuple[object, object]]] = {}
    for match in matches:
        by_type.setdefault(match.object_type, []).append((match.object_id, match.subjects[0]))
    for object_type, reads in by_type.items():
        access_log_reads(
            actor=Actor.from_request(request),
            object_type=object_type,
            reads=reads,
            context="ui:access_log_search",
            reason="toegangslog zoeken op persoon",
        )


def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.role != Role.PRIVACY_OFFICER:
        raise Http404
    form = AccessLogSearchForm(request.GET or None)
    entries = None
    rows = None
    matches: list[SubjectMatch] | None = None
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        person = filters.pop("person", "")
        if person:
            # Through the permission layer: each finder only returns what this officer may see.
            matches = subjects_matching(user, person)
            _log_matches(request, matches)
            filters["subjects"] = [s for m in matches for s in m.subjects]
        entries = Paginator(access_log_search(user, **filters), 50).get_page(request.GET.get("pagina"))
        rows = list(zip(entries, readable_entries(entries), strict=True))
        # Reading the log is itself a read of personal data (who looked at whom), so it is logged too.
        access_log_record(
            actor=Actor.from_request(request),
            action=AccessAction.VIEW,
            object_type="privacy.accesslogentry",
            subject=filters.get("subject", "") or (matches[0].subjects[0] if matches and len(matches) == 1 else ""),
            context="ui:access_log_search",
        )
    elif not request.GET:
        form = AccessLogSearchForm()
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "entries": entries, "rows": rows, "matches": matches, "query": query.urlencode()}
    return render(request, "privacy/access_log.html", context)
