"""Thin views of the warm handover: the list, announcing one, and the detail page with its checklist,
accepting, the first contact and closing. What may not be seen answers 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.contact.errors import ChecklistIncomplete, Conflict, InvalidInput
from waakvlam.contact.forms import ContactMomentForm
from waakvlam.contact.selectors import plans_writable_by, today_of
from waakvlam.core.errors import form_errors_add
from waakvlam.core.models import User
from waakvlam.core.roles import CARE_ROLES
from waakvlam.handover import selectors
from waakvlam.handover.forms import AcceptForm, HandoverForm, ItemForm
from waakvlam.handover.models import ChecklistTopic, Handover, HandoverStatus
from waakvlam.handover.services import (
    HandoverInput,
    ItemInput,
    handover_accept,
    handover_announce,
    handover_close,
    handover_item_set,
    may_accept,
)
from waakvlam.households.linking import households_visible_to
from waakvlam.households.services import AddressInput, resident_subject
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_reads


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role not in CARE_ROLES or not user.organisation_id:
        raise Http404
    return user


def _subject(handover: Handover) -> str:
    return resident_subject(handover.resident_id)


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    handovers = (
        selectors.handovers_visible_to(user)
        .select_related("resident", "from_organisation", "receiving_team", "steward", "address")
        .annotate(
            closed=Case(
                When(status=HandoverStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("closed", "discharge_on", "pk")
    )
    page = Paginator(handovers, 50).get_page(request.GET.get("pagina"))
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="handover.handover",
        reads=[(h.pk, resident_subject(h.resident_id)) for h in page.object_list],
        context="ui:handover_list",
    )
    context = {"page": page, "today": today_of(), "may_announce": selectors.may_announce(user)}
    return render(request, "handover/list.html", context)


def _handover_input(data: dict[str, Any]) -> HandoverInput:
    items = {
        topic: ItemInput(
            state=data.get(f"{topic}_state") or "open",
            note=data.get(f"{topic}_note") or "",
            skip_reason=data.get(f"{topic}_skip_reason") or "",
        )
        for topic in ChecklistTopic.values
    }
    return HandoverInput(
        discharge_on=data["discharge_on"],
        address=AddressInput(data["postcode"], data["house_number"]),
        resident_name=data.get("resident_name") or "",
        resident_description=data.get("resident_description") or "",
        first_contact_within_days=data.get("first_contact_within_days"),
        note=data.get("note") or "",
        items=items,
        sender_phone=data.get("sender_phone") or "",
        sender_email=data.get("sender_email") or "",
    )


_FORM_FIELDS = {
    "address.postcode": "postcode",
    "address.house_number": "house_number",
    "address.house_letter": "house_number",
}


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.may_announce(user):
        raise Http404
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = handover_announce(
                data=_handover_input(form.cleaned_data),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:handover_create",
            )
        except InvalidInput as error:
            mapping = dict(_FORM_FIELDS)
            mapping.update(
                {
                    f"items.{t}.{part}": f"{t}_{part}"
                    for t in ChecklistTopic.values
                    for part in ("state", "note", "skip_reason")
                }
            )
            form_errors_add(form, error, mapping)
        else:
            messages.success(
                request,
                _("Overdracht aangekondigd. Het team %(team)s is op de hoogte gebracht.")
                % {"team": handover.receiving_team.name},
            )
            return redirect("handover:detail", pk=handover.public_id)
    return render(request, "handover/form.html", {"form": form}, status=422 if form.errors else 200)


def _detail_context(user: User, handover: Handover, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    changeable = selectors.handovers_changeable_by(user, now).filter(pk=handover.pk).exists()
    items = list(handover.items.select_related("updated_by").all())
    item_forms = extra.pop("item_forms", {})
    rows = []
    for item in items:
        form = item_forms.get(item.topic) or ItemForm(
            prefix=item.topic, initial={"state": item.state, "note": item.note, "skip_reason": item.skip_reason}
        )
        rows.append({"item": item, "form": form})
    plan_writable = (
        bool(handover.contact_plan_id) and plans_writable_by(user).filter(pk=handover.contact_plan_id or 0).exists()
    )
    context = {
        "handover": handover,
        "rows": rows,
        "changeable": changeable and handover.status != HandoverStatus.CLOSED,
        "blocking": [item for item in items if not item.settled],
        "settled_count": sum(1 for item in items if item.settled),
        "may_accept": may_accept(user, handover),
        "accept_form": extra.pop("accept_form", None)
        or AcceptForm(organisation_id=handover.receiving_team.organisation_id, initial={"steward": user.pk}),
        "contact_form": extra.pop("contact_form", None)
        or (ContactMomentForm(initial={"happened_on": today_of(now)}) if plan_writable else None),
        "plan_writable": plan_writable,
        # The household it goes to is one click away, where the reader may open it (households/reach.py).
        "household_visible": households_visible_to(user, now).filter(pk=handover.household_id).exists(),
        "today": today_of(now),
        "events": handover.events.select_related("actor"),
        "next": reverse("handover:detail", kwargs={"pk": handover.public_id}),
    }
    context.update(extra)
    return context


def _visible(request: HttpRequest, user: User, pk: UUID) -> Handover:
    qs = selectors.handovers_visible_to(user).select_related(
        "resident", "from_organisation", "receiving_team", "steward", "address", "contact_plan", "accepted_by"
    )
    return get_visible_or_404(
        qs,
        pk,
        actor=Actor.from_request(request),
        context="ui:handover_detail",
        subject_of=_subject,
        lookup="public_id",
    )


@login_required
def handover_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    handover = _visible(request, user, pk)
    return render(request, "handover/detail.html", _detail_context(user, handover))


def _changeable(user: User, pk: UUID) -> Handover:
    handover = (
        selectors.handovers_changeable_by(user)
        .select_related("resident", "from_organisation", "receiving_team", "steward", "address", "contact_plan")
        .filter(public_id=pk)
        .first()
    )
    if handover is None:
        raise Http404
    return handover


@login_required
@require_POST
def handover_accept_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    handover = _changeable(user, pk)
    if not may_accept(user, handover):
        raise Http404
    form = AcceptForm(request.POST, organisation_id=handover.receiving_team.organisation_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover_accept(
                handover=handover,
                steward=data["steward"],
                backup=data.get("backup"),
                basis=data["basis"],
                rhythm_days=data["rhythm_days"],
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:handover_accept",
            )
        except (InvalidInput, Conflict) as error:
            form_errors_add(form, error)  # bad input on its fields, a refusal on the form
        else:
            messages.success(request, _("Overdracht geaccepteerd; het waakvlamcontact is gestart."))
            return redirect("handover:detail", pk=handover.public_id)
    handover = _visible(request, user, pk)
    return render(request, "handover/detail.html", _detail_context(user, handover, accept_form=form), status=422)


@login_required
@require_POST
def handover_item_view(request: HttpRequest, pk: UUID, topic: str) -> HttpResponse:
    user = _user(request)
    handover = _changeable(user, pk)
    if topic not in ChecklistTopic.values:
        raise Http404
    form = ItemForm(request.POST, prefix=topic)
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover_item_set(
                handover=handover,
                topic=topic,
                item=ItemInput(data["state"], data.get("note") or "", data.get("skip_reason") or ""),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:handover_item",
            )
        except (InvalidInput, Conflict) as error:
            form_errors_add(form, error)  # bad input on its fields, a refusal on the form
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Checklist bijgewerkt."))
                return redirect(reverse("handover:detail", kwargs={"pk": handover.public_id}) + f"#item-{topic}")
            return _item_step(request, user, pk, topic, form=None)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers: the step comes back with its errors, the status says what happened.
        return _item_step(request, user, pk, topic, form=form)
    handover = _visible(request, user, pk)
    return render(
        request, "handover/detail.html", _detail_context(user, handover, item_forms={topic: form}), status=422
    )


def _item_step(request: HttpRequest, user: User, pk: UUID, topic: str, *, form: ItemForm | None) -> HttpResponse:
    """The saved (or refused) step, with the close step out of band so its "still open" list stays true."""
    handover = _visible(request, user, pk)
    context = _detail_context(user, handover, item_forms={topic: form} if form is not None else {})
    row = next(row for row in context["rows"] if row["item"].topic == topic)
    context.update({"row": row, "saved": form is None, "oob": True})
    step = render(request, "handover/_item_step.html", context).content
    close = render(request, "handover/_close_step.html", context).content
    return HttpResponse(step + close)


@login_required
@require_POST
def handover_close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    handover = _changeable(user, pk)
    try:
        handover_close(
            handover=handover,
            by=user,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context="ui:handover_close",
        )
    except ChecklistIncomplete as error:
        handover = _visible(request, user, pk)
        return render(
            request, "handover/detail.html", _detail_context(user, handover, close_error=error.message), status=409
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Overdracht afgesloten."))
    return redirect("handover:detail", pk=handover.public_id)
