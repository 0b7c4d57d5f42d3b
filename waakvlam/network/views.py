"""The supporter's one light, phone-first screen ("Mijn mensen") and the steward's page that links supporters
to a resident. A supporter sees only the residents linked to them: first name and what they need to know."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core.errors import form_errors_add
from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.households.services import resident_subject
from waakvlam.network.forms import LinkForm, ReportForm
from waakvlam.network.models import Outcome
from waakvlam.network.selectors import first_name, links_managed_by, links_of_supporter, supporters_for
from waakvlam.network.services import LinkInput, NetworkError, supporter_link_create, visit_report
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_record


def _supporter(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.INFORMAL_SUPPORTER:
        raise Http404
    return user


def _people(
    request: HttpRequest, user: User, form: ReportForm | None = None, failed: int = 0
) -> list[dict[str, object]]:
    links = list(links_of_supporter(user).select_related("resident").order_by("pk"))
    actor = Actor.from_request(request)
    rows = []
    for link in links:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="network.supporterlink",
            object_id=link.pk,
            subject=resident_subject(link.resident_id),
            context="ui:my_people",
        )
        last = link.reports.first()
        rows.append(
            {
                "link": link,
                "first_name": first_name(link),
                "last": last,
                "form": form if (form is not None and failed == link.pk) else ReportForm(prefix=f"l{link.public_id}"),
            }
        )
    return rows


@login_required
def my_people(request: HttpRequest) -> HttpResponse:
    user = _supporter(request)
    return render(request, "network/my_people.html", {"people": _people(request, user)})


@login_required
@require_POST
def report(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _supporter(request)
    link = links_of_supporter(user).select_related("resident__household__address").filter(public_id=pk).first()
    if link is None:
        raise Http404
    form = ReportForm(request.POST, prefix=f"l{link.public_id}")
    outcome = request.POST.get("outcome", "")
    if form.is_valid():
        try:
            visit_report(
                link=link,
                outcome=outcome,
                note=form.cleaned_data["note"],
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        except NetworkError as error:
            for key, message in error.errors.items():
                form.add_error("note" if key == "note" else None, message)
        else:
            if outcome == Outcome.WORRIED:
                messages.success(request, _("Dank je. De waakvlammer weet ervan en neemt het op."))
            else:
                messages.success(request, _("Dank je, je bezoek is vastgelegd."))
            return redirect("network:my_people")
    rows = _people(request, user, form, link.pk)
    return render(request, "network/my_people.html", {"people": rows}, status=400)


@login_required
def resident_network(request: HttpRequest, resident_id: UUID) -> HttpResponse:
    """The steward's page: who of the resident's network is linked, on what consent; link someone new."""
    user = request.user
    if not isinstance(user, User) or user.role not in {Role.STEWARD, Role.COORDINATOR}:
        raise Http404
    resident = get_visible_or_404(
        residents_writable_by(user).select_related("household__address"),
        resident_id,
        actor=Actor.from_request(request),
        context="ui:resident_network",
        subject_of=lambda r: resident_subject(r.pk),
        lookup="public_id",
    )
    form = LinkForm(request.POST or None, supporters=supporters_for(resident.municipality_id))
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            supporter_link_create(
                resident=resident,
                data=LinkInput(d["supporter"], d["kind"], d["consent_note"], d["what_to_know"], None, d["valid_until"]),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        except NetworkError as error:
            form_errors_add(form, error)
            status = 400
        else:
            messages.success(request, _("De koppeling is vastgelegd."))
            return redirect("network:resident_network", resident_id=resident.public_id)
    links = links_managed_by(user).filter(resident=resident).select_related("supporter", "consent_recorded_by")
    context = {"resident": resident, "links": links, "form": form, "today": timezone.localdate()}
    return render(request, "network/resident_network.html", context, status=status)
