from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.notify.models import Notification
from waakvlam.notify.rendering import notifications_render
from waakvlam.notify.selectors import notifications_for, unread_count
from waakvlam.notify.services import notification_mark_read, notifications_mark_all_read
from waakvlam.privacy.services import Actor

PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    items = notifications_render(
        user=request.user,
        notifications=page.object_list,
        actor=Actor.from_request(request),
        context="ui:notification_list",
        now=timezone.now(),
    )
    context = {"page": page, "items": items, "unread": unread_count(request.user)}
    return render(request, "notify/notification_list.html", context)


def _back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    url = reverse("notify:list")
    page = request.POST.get("pagina", "")
    if page.isdigit() and page != "1":
        url += f"?pagina={page}"
    return HttpResponseRedirect(url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification_mark_read(user=request.user, notification_id=pk, now=timezone.now())  # type: ignore[arg-type]
    except Notification.DoesNotExist:
        raise Http404 from None
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = notifications_mark_all_read(user=request.user, now=timezone.now())  # type: ignore[arg-type]
    if changed:
        messages.success(request, _("Alle berichten zijn gemarkeerd als gelezen."))
    return _back_to_list(request)
