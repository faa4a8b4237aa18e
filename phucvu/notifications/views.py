"""The dossier page's message panel, the citizen's channel choice (from the link in each message), and
the SMS provider's delivery reports."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from phucvu.core.exceptions import DomainError
from phucvu.core.web import MAX_INT32
from phucvu.dossiers.models import Dossier
from phucvu.notifications import selectors, services
from phucvu.notifications.links import choice_url, dossier_of
from phucvu.notifications.models import FALLBACK_ORDER, ChannelName
from phucvu.notifications.texts import TEMPLATES


def dossier_panel(request: HttpRequest, dossier) -> tuple[int, str] | None:
    """The messages sent about this dossier, for staff on the dossier page."""
    if not request.user.is_authenticated:
        return None
    rows = list(selectors.dossier_messages(dossier.pk))
    preference = selectors.preference_of(dossier.pk)
    labels = {event: template.label for event, template in TEMPLATES.items()}
    html = render_to_string("notifications/_dossier_panel.html", {
        "rows": [(m, labels.get(m.event, m.event)) for m in rows], "preference": preference,
        "chosen": [str(ChannelName(c).label) for c in preference.channels] if preference else [],
        "choice_url": choice_url(dossier.pk, request)}, request=request)
    return 50, html


class ChoiceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo về hồ sơ qua"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        choices=[(c.value, c.label) for c in ChannelName if c in FALLBACK_ORDER])
    stop = forms.BooleanField(label=_("Không nhận thông báo nào nữa"), required=False,
                              widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


@never_cache
def choice(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen chooses their channels or stops all messages about one dossier (the signed link)."""
    dossier_id = dossier_of(token)
    if dossier_id is None:
        raise Http404(_("Liên kết không hợp lệ."))
    dossier = Dossier.objects.filter(pk=dossier_id).only("code").first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    preference = selectors.preference_of(dossier_id)
    current = (preference.channels if preference else list(settings.NOTIFY_DEFAULT_CHANNELS))
    if request.method == "POST":
        form = ChoiceForm(request.POST)
        if form.is_valid():
            stop = form.cleaned_data["stop"]
            try:
                services.preference_set(dossier_id=dossier_id, channels=[] if stop else form.cleaned_data["channels"],
                                        opted_out=stop)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                flash.success(request, _("Đã lưu lựa chọn nhận thông báo."))
                return redirect(request.path)
    else:
        form = ChoiceForm(initial={"channels": current, "stop": bool(preference and preference.opted_out)})
    return render(request, "notifications/choice.html", {"form": form, "code": dossier.code,
                                                         "preference": preference})


@require_GET
def esms_report(request: HttpRequest, token: str) -> HttpResponse:
    """eSMS calls this (HTTP GET) with the final status of a message: SendStatus 5 delivered, 4 refused."""
    if not settings.NOTIFY_CALLBACK_TOKEN or not constant_time_compare(token, settings.NOTIFY_CALLBACK_TOKEN):
        raise Http404
    sms_id = request.GET.get("SMSID", "")
    status = request.GET.get("SendStatus", "")
    if sms_id and status in {"4", "5"}:
        try:  # the provider's price in đồng; an unreadable or absurd one is not recorded
            price: int | None = int(float(request.GET.get("Totalprice", "")))
        except (ValueError, OverflowError):
            price = None
        services.delivery_report(channel=ChannelName.SMS, provider_id=sms_id, delivered=status == "5",
                                 cost=price if price is not None and 0 <= price <= MAX_INT32 else None,
                                 error="" if status == "5" else "eSMS: tin bị từ chối (SendStatus 4).")
    return HttpResponse("OK", content_type="text/plain")
