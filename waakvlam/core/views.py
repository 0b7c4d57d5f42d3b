"""Thin views for login, two-factor, the role start pages and the health probes."""

from __future__ import annotations

from base64 import b32encode, b64encode
from io import BytesIO

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from waakvlam.core.forms import LoginForm, TokenForm
from waakvlam.core.login_throttle import address_throttled, address_throttled_response


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if address_throttled(request):
            return address_throttled_response(request)
        return super().post(request, *args, **kwargs)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()  # type: ignore[misc]
    return render(request, "core/account.html", {"has_device": has_device})


def _qr_data_url(uri: str) -> str:
    """The QR code as a data: URL, so it needs no inline markup and no extra request."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():  # type: ignore[misc]
        return redirect("core:two_factor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()  # type: ignore[misc]
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)  # type: ignore[misc]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token", _("Te veel verkeerde codes achter elkaar. Wacht een halve minuut en probeer het opnieuw.")
            )
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("core:home")
        form.add_error(
            "token", _("Deze code klopt niet. Controleer de tijd op je telefoon en probeer de nieuwste code.")
        )
    secret = b32encode(device.bin_key).decode()
    context = {"form": form, "qr_data_url": _qr_data_url(device.config_url), "secret": secret}
    return render(request, "core/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))  # type: ignore[misc]
        if devices and not any(d.verify_is_allowed()[0] for d in devices):
            form.add_error(
                "token", _("Te veel verkeerde codes achter elkaar. Wacht een halve minuut en probeer het opnieuw.")
            )
        else:
            for device in devices:
                if device.verify_token(form.cleaned_data["token"]):
                    otp_login(request, device)
                    return redirect("core:home")
            form.add_error("token", _("Deze code klopt niet of is al gebruikt. Probeer de volgende code."))
    return render(request, "core/two_factor_verify.html", {"form": form})


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return JsonResponse({"status": "unavailable", "detail": f"database: {error.__class__.__name__}"}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "detail": f"{len(pending)} migrations not applied"}, status=503)
    return JsonResponse({"status": "ready"})
