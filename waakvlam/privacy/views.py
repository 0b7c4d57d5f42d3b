from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from waakvlam.core.roles import Role
from waakvlam.privacy.forms import AccessLogSearchForm
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.selectors import access_log_search
from waakvlam.privacy.services import Actor, access_log_record


def access_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated or user.role != Role.PRIVACY_OFFICER:  # type: ignore[union-attr]
        raise Http404
    form = AccessLogSearchForm(request.GET or None)
    entries = None
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        entries = Paginator(access_log_search(user, **filters), 50).get_page(request.GET.get("pagina"))  # type: ignore[arg-type]
        # Reading the log is itself a read of personal data (who looked at whom), so it is logged too.
        access_log_record(
            actor=Actor.from_request(request),
            action=AccessAction.VIEW,
            object_type="privacy.accesslogentry",
            subject=filters.get("subject", ""),
            context="ui:access_log_search",
        )
    elif not request.GET:
        form = AccessLogSearchForm()
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "privacy/access_log.html", {"form": form, "entries": entries, "query": query.urlencode()})
