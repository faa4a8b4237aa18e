"""Forms of the desk: intake, and one small form per action on a dossier page.

Each action names the service it calls; whether the page offers it comes from `selectors.dossier_actions`,
which reads the one table of who may act (`authority`). The service decides for real — a refused action comes
back as a message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phucvu.core.web import MAX_ID, MAX_MONEY, sane_date
from phucvu.dossiers import services
from phucvu.dossiers.models import Channel, Collector, Result


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class IntakeForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Đơn vị tiếp nhận"), coerce=int)
    procedure = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID, error_messages={
        "required": _("Hãy chọn thủ tục hành chính.")})
    channel = forms.ChoiceField(label=_("Hình thức nộp"), initial=Channel.COUNTER,
                                widget=forms.Select(attrs={"class": "form-select"}),
                                choices=[(Channel.COUNTER, Channel.COUNTER.label),
                                         (Channel.POSTAL, Channel.POSTAL.label)])
    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_number = forms.CharField(label=_("Số CCCD / mã số doanh nghiệp"), max_length=40, required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=40, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    papers = forms.MultipleChoiceField(label=_("Giấy tờ đã nhận"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    other_papers = forms.CharField(label=_("Giấy tờ khác (mỗi dòng một loại)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies: list[tuple[int, str]], papers: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies
        self.fields["papers"].choices = [(p, p) for p in (papers or [])]

    def all_papers(self) -> list[str]:
        return [*self.cleaned_data.get("papers", []), *_lines(self.cleaned_data.get("other_papers", ""))]


# --- actions on one dossier ----------------------------------------------------------------------------

class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(NoteForm):
    assignee = forms.TypedChoiceField(label=_("Cán bộ xử lý"), coerce=int)


class ForwardForm(NoteForm):
    assignee = forms.TypedChoiceField(label=_("Người nhận ở bước sau (tùy chọn)"), coerce=int, required=False,
                                      empty_value=None)


class SupplementForm(forms.Form):
    missing = forms.CharField(label=_("Giấy tờ cần bổ sung (mỗi dòng một loại, nêu đủ một lần)"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Lý do (bắt buộc nếu đã yêu cầu bổ sung trước đó)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(NoteForm):
    papers = forms.CharField(label=_("Giấy tờ đã nhận bổ sung (mỗi dòng một loại)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(NoteForm):
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), required=False, min_value=0, max_value=MAX_MONEY)


class ApologyForm(forms.Form):
    new_due_at = forms.DateTimeField(label=_("Hẹn lại vào"), input_formats=["%Y-%m-%dT%H:%M"], validators=[sane_date],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    reason = forms.CharField(label=_("Lý do chậm"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(NoteForm):
    to_agency = forms.TypedChoiceField(label=_("Đơn vị kế thừa nhận hồ sơ"), coerce=int)


class ResolveForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=Result.choices, initial=Result.GRANTED)
    reason = forms.CharField(label=_("Lý do (bắt buộc nếu từ chối giải quyết)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=_("Số quyết định, giấy phép hoặc văn bản trả lời"), max_length=60,
                                      widget=forms.TextInput(attrs={"placeholder": _("ví dụ: 125/QĐ-UBND")}))
    decision_date = forms.DateField(label=_("Ngày ký"), input_formats=["%Y-%m-%d", "%d/%m/%Y"], validators=[sane_date],
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=255)
    document = forms.FileField(label=_("Văn bản kết quả đã ký (PDF)"),
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        limit = services.result_document_max_bytes()
        if upload.size > limit:  # refused before it is read
            raise forms.ValidationError(_("Tệp vượt quá %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        return upload


def _document(upload) -> services.ResultDocument:
    return services.ResultDocument(name=upload.name, content=upload.read())


class ReturnForm(NoteForm):
    collector = forms.ChoiceField(label=_("Người nhận kết quả"), choices=Collector.choices,
                                  initial=Collector.APPLICANT)
    collector_name = forms.CharField(label=_("Họ tên người nhận (để trống nếu là người nộp)"), max_length=255,
                                     required=False)
    collector_id_number = forms.CharField(label=_("Số CCCD người nhận"), max_length=40, required=False)
    authorisation = forms.CharField(label=_("Giấy ủy quyền (số, ngày) — khi người khác nhận thay"),
                                    max_length=255, required=False)
    tracking_number = forms.CharField(label=_("Mã bưu gửi — khi trả qua bưu chính"), max_length=60,
                                      required=False)
    fee_amount = forms.IntegerField(label=_("Phí, lệ phí đã thu (đồng)"), min_value=0, max_value=MAX_MONEY,
                                    required=False)
    fee_receipt_number = forms.CharField(label=_("Số biên lai thu phí, lệ phí"), max_length=60, required=False)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.Form]
    call: Callable[..., object]  # (service kwargs from the form) -> the service call
    style: str = "primary"
    icon: str = "arrow-right"
    when: Callable[..., bool] | None = None  # extra condition on (dossier, context)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


ACTIONS: list[Action] = [
    Action("accept", _("Tiếp nhận hồ sơ trực tuyến"), NoteForm,
           lambda **kw: services.dossier_accept(note=kw["note"], **kw["base"]),
           "success", "check2-circle"),
    Action("refuse", _("Từ chối tiếp nhận"), ReasonForm,
           lambda **kw: services.dossier_refuse(reason=kw["reason"], **kw["base"]),
           "outline-danger", "x-circle"),
    Action("assign", _("Phân công xử lý"), AssignForm,
           lambda **kw: services.dossier_assign(assignee_id=kw["assignee"], note=kw["note"], **kw["base"]),
           "outline-primary", "person-check"),
    Action("forward", _("Chuyển bước tiếp theo"), ForwardForm,
           lambda **kw: services.dossier_forward(assignee_id=kw["assignee"], note=kw["note"], **kw["base"]),
           "primary", "arrow-right-circle"),
    Action("request_supplement", _("Yêu cầu bổ sung hồ sơ"), SupplementForm,
           lambda **kw: services.dossier_request_supplement(missing=_lines(kw["missing"]), reason=kw["reason"],
                                                            **kw["base"]),
           "outline-warning", "file-earmark-plus"),
    Action("request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính"), PaymentForm,
           lambda **kw: services.dossier_request_payment(amount=kw["amount"], note=kw["note"], **kw["base"]),
           "outline-warning", "cash-coin"),
    Action("resume", _("Đã nhận đủ, tiếp tục xử lý"), ResumeForm,
           lambda **kw: services.dossier_resume(papers=_lines(kw["papers"]), note=kw["note"], **kw["base"]),
           "success", "play-circle"),
    Action("approve", _("Phê duyệt, ký kết quả"), NoteForm,
           lambda **kw: services.dossier_approve(note=kw["note"], **kw["base"]),
           "success", "pen"),
    Action("resolve", _("Ghi kết quả giải quyết"), ResolveForm,
           lambda **kw: services.dossier_resolve(result=kw["result"], reason=kw["reason"],
                                                 decision_number=kw["decision_number"],
                                                 decision_date=kw["decision_date"], signer_name=kw["signer_name"],
                                                 document=_document(kw["document"]), **kw["base"]),
           "primary", "clipboard-check",
           when=lambda d, c: not c["has_next_step"]),
    Action("return_result", _("Trả kết quả cho công dân"), ReturnForm,
           lambda **kw: services.dossier_return_result(
               note=kw["note"], collector=kw["collector"], collector_name=kw["collector_name"],
               collector_id_number=kw["collector_id_number"], authorisation=kw["authorisation"],
               tracking_number=kw["tracking_number"], fee_amount=kw["fee_amount"],
               fee_receipt_number=kw["fee_receipt_number"], **kw["base"]),
           "success", "box-arrow-right"),
    Action("apologize", _("Xin lỗi và hẹn lại"), ApologyForm,
           lambda **kw: services.dossier_apologize(new_due_at=_aware(kw["new_due_at"]), reason=kw["reason"],
                                                   **kw["base"]),
           "outline-secondary", "envelope-exclamation"),
    Action("withdraw", _("Công dân rút hồ sơ"), ReasonForm,
           lambda **kw: services.dossier_withdraw(reason=kw["reason"], **kw["base"]),
           "outline-secondary", "arrow-counterclockwise"),
    # After a merge or split: the open steps move to the successor, the clock goes on (no restart).
    Action("transfer", _("Chuyển đơn vị kế thừa"), TransferForm,
           lambda **kw: services.dossier_transfer(to_agency_id=kw["to_agency"], note=kw["note"], **kw["base"]),
           "outline-primary", "diagram-3", when=lambda d, c: bool(c["successors"])),
    Action("stop", pgettext_lazy("action", "Dừng xử lý"), ReasonForm,
           lambda **kw: services.dossier_stop(reason=kw["reason"], **kw["base"]),
           "outline-danger", "stop-circle"),
]
ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}
