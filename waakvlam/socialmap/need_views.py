"""Recording and ending a resident's need from the contact plan page (the form is socialmap's section on
that page, socialmap/page_parts.py). A plan the user may not see, or not change, is a 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.contact.models import ContactPlan
from waakvlam.contact.selectors import plans_visible_to
from waakvlam.core.models import User
from waakvlam.households.services import resident_subject
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor
from waakvlam.socialmap import models as m
from waakvlam.socialmap.errors import ReferralError
from waakvlam.socialmap.forms import NeedForm
from waakvlam.socialmap.needs import need_end, need_record, needs_visible_to, plan_may_record_needs


def _plan(request: HttpRequest, pk: UUID, context: str) -> tuple[User, ContactPlan]:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    plan = get_visible_or_404(
        plans_visible_to(user).select_related("resident"),
        pk,
        actor=Actor.from_request(request),
        context=context,
        subject_of=lambda p: resident_subject(p.resident_id),
        lookup="public_id",
    )
    if not plan_may_record_needs(user, plan):
        raise Http404
    return user, plan


def _back(plan: ContactPlan) -> HttpResponse:
    return redirect(reverse("contact:plan_detail", args=[plan.public_id]) + "#behoeften")


@login_required
@require_POST
def need_record_view(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user, plan = _plan(request, plan_id, "ui:need_record")
    form = NeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een behoefte van de sociale kaart."))
        return _back(plan)
    try:
        _need, new = need_record(
            plan=plan, term=form.cleaned_data["term"], by=user, now=timezone.now(), actor=Actor.from_request(request)
        )
    except ReferralError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De behoefte is vastgelegd.") if new else _("Deze behoefte stond er al."))
    return _back(plan)


@login_required
@require_POST
def need_end_view(request: HttpRequest, plan_id: UUID, pk: int) -> HttpResponse:
    user, plan = _plan(request, plan_id, "ui:need_end")
    need = needs_visible_to(user).filter(pk=pk, resident_id=plan.resident_id).first()
    if not isinstance(need, m.ResidentNeed):
        raise Http404
    need_end(need=need, plan=plan, by=user, now=timezone.now(), actor=Actor.from_request(request))
    messages.success(request, _("De behoefte is beëindigd."))
    return _back(plan)
