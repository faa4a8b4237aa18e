from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phucvu.core.web import sane_date
from phucvu.workcalendar.models import Kind


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}), validators=[sane_date])
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    basis = forms.CharField(label=_("Căn cứ (văn bản)"), max_length=255, required=False)
    local = forms.BooleanField(label=_("Chỉ áp dụng cho đơn vị đang xem"), required=False)
