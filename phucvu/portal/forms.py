"""Forms of the citizen pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phucvu.core.web import MAX_INT32
from phucvu.portal.models import FeedbackKind, Satisfaction
from phucvu.portal.services import Upload, pending_read, upload_limits, upload_problem

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class Styled(forms.Form):
    """Bootstrap classes on every widget, so templates render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = ("form-check-input" if isinstance(widget, forms.RadioSelect | forms.CheckboxInput)
                   else "form-select" if isinstance(widget, forms.Select) else "form-control")
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class LookupForm(Styled):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "placeholder": "000.00.21.H41-260309-0001"}))
    secret = forms.CharField(label=_("Mã tra cứu"), max_length=16,
                             help_text=_("8 ký tự in trên giấy tiếp nhận và hẹn trả kết quả."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                           "autocapitalize": "characters"}))


class VoteForm(Styled):
    level = forms.ChoiceField(label=_("Ông/bà có hài lòng với việc giải quyết hồ sơ?"),
                              choices=Satisfaction.choices, widget=forms.RadioSelect)
    clerk_level = forms.ChoiceField(
        label=_("Thái độ của công chức tiếp nhận và trả kết quả (không bắt buộc)"),
        choices=[("", _("Không đánh giá")), *Satisfaction.choices], required=False, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Ý kiến thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ContactFields(Styled):
    phone = forms.CharField(label=_("Số điện thoại"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))


class FeedbackForm(ContactFields):
    kind = forms.ChoiceField(label=_("Loại"), choices=FeedbackKind.choices)
    agency = forms.TypedChoiceField(label=_("Cơ quan nhận"), coerce=int, required=False)
    name = forms.CharField(label=_("Họ và tên"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    subject = forms.CharField(label=_("Tiêu đề"), max_length=255)
    content = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    attachment_0 = forms.FileField(label=_("Tệp kèm theo (không bắt buộc)"), required=False,
                                   help_text=_("Ảnh hoặc tài liệu PDF, JPG, PNG; tối đa 3 tệp."),
                                   widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    attachment_1 = forms.FileField(label=_("Tệp kèm theo thứ hai"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    attachment_2 = forms.FileField(label=_("Tệp kèm theo thứ ba"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    field_order = ["kind", "agency", "name", "phone", "email", "address", "subject", "content"]

    def __init__(self, *args, agencies: list[tuple[int, str]], about_dossier: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if about_dossier:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", _("— Chọn cơ quan —")), *agencies]
            self.fields["agency"].required = True
        self.style()

    def clean(self):
        """Each attachment checked at its field, like a paper of a submission."""
        cleaned = super().clean()
        per_file = upload_limits()[0]
        for name in ("attachment_0", "attachment_1", "attachment_2"):
            file = cleaned.get(name)
            if not file:
                continue
            if file.size > per_file:
                self.add_error(name, gettext("Tệp vượt quá %(size)s MB.") % {"size": per_file // (1024 * 1024)})
                continue
            problem = upload_problem(file.name, file.read())
            file.seek(0)
            if problem:
                self.add_error(name, gettext(problem))
        return cleaned

    def uploads(self) -> list[Upload]:
        out = []
        for i, name in enumerate(("attachment_0", "attachment_1", "attachment_2"), start=1):
            file = self.cleaned_data.get(name)
            if file:
                file.seek(0)
                out.append(Upload(label=gettext("Tệp kèm theo %(n)s") % {"n": i}, name=file.name, content=file.read()))
        return out


class TransferForm(Styled):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT32)
    agency = forms.TypedChoiceField(label=_("Chuyển đến cơ quan có thẩm quyền"), coerce=int)
    reason = forms.CharField(label=_("Lý do chuyển"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn cơ quan —")), *agencies]
        self.style()


class AssignForm(Styled):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT32)
    assignee = forms.TypedChoiceField(label=_("Giao chuyên viên xử lý"), coerce=int)

    def __init__(self, *args, staff: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn cán bộ —")), *staff]
        self.style()


class FeedbackLookupForm(Styled):
    code = forms.CharField(label=_("Mã phản ánh"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "PA-260309-000001"}))
    secret = forms.CharField(label=_("Mã tra cứu"), max_length=16,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class AnswerForm(Styled):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT32)
    decision = forms.ChoiceField(choices=[("answer", _("Trả lời")), ("decline", _("Không thuộc phạm vi xử lý"))],
                                 widget=forms.RadioSelect, initial="answer", label=_("Cách xử lý"))
    text = forms.CharField(label=_("Nội dung trả lời hoặc lý do"), widget=forms.Textarea(attrs={"rows": 6}))


class SubmissionForm(ContactFields):
    agency = forms.TypedChoiceField(label=_("Nơi nộp hồ sơ"), coerce=int)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=40, required=False,
                                          widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    # The notifications app's channels, in its fallback order; none ticked means no messages at all.
    notify_channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo về hồ sơ qua"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("zalo", _("Zalo")), ("sms", _("Tin nhắn SMS")), ("email", _("Thư điện tử"))],
        initial=["zalo", "sms", "email"],
        help_text=_("Kênh đầu không gửi được thì gửi qua kênh tiếp theo đã chọn."))
    notify_none = forms.BooleanField(label=_("Không nhận thông báo về hồ sơ này"), required=False)
    field_order = ["agency", "applicant_name", "applicant_id_number", "phone", "email", "address", "notify_channels",
                   "notify_none"]

    def __init__(self, *args, agencies: list[tuple[int, str]], papers: list[str], full_online: bool,
                 kept: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn nơi nộp —")), *agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0][0]
        self.papers = papers
        # Files the citizen chose on an earlier try ({field name: {"stored", "name", "size"}}).
        self.kept: dict[str, dict] = dict(kept or {})
        for i, paper in enumerate(papers):
            name = f"paper_{i}"
            self.fields[name] = forms.FileField(
                label=paper, required=full_online and name not in self.kept,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        self.style()

    def clean(self):
        """Every problem at its field in one pass: each file, and the contact the chosen channels need."""
        cleaned = super().clean()
        per_file = upload_limits()[0]
        for i in range(len(self.papers)):
            name = f"paper_{i}"
            file = cleaned.get(name)
            if not file:
                continue
            if file.size > per_file:  # refused before reading it into memory
                self.add_error(name, gettext("Tệp vượt quá %(size)s MB.") % {"size": per_file // (1024 * 1024)})
                continue
            content = file.read()
            file.seek(0)
            problem = upload_problem(file.name, content)
            if problem:
                self.add_error(name, gettext(problem))
        phone, email = (cleaned.get("phone") or "").strip(), (cleaned.get("email") or "").strip()
        if not phone and not email and "email" not in self.errors:
            self.add_error("phone", gettext("Cần ghi số điện thoại hoặc thư điện tử để nhận thông báo về hồ sơ."))
        elif not cleaned.get("notify_none"):
            chosen = set(cleaned.get("notify_channels") or [])
            if chosen == {"email"} and not email and "email" not in self.errors:
                self.add_error("email", gettext("Đã chọn nhận thông báo qua thư điện tử: cần ghi địa chỉ thư."))
            elif chosen and chosen <= {"zalo", "sms"} and not phone:
                self.add_error("phone", gettext("Đã chọn nhận thông báo qua Zalo hoặc SMS: cần ghi số điện thoại."))
        return cleaned

    def contact_channels(self) -> list[str] | None:
        """The applicant's choice: [] for no messages, None when nothing was ticked (the defaults apply)."""
        if self.cleaned_data.get("notify_none"):
            return []
        return list(self.cleaned_data.get("notify_channels") or []) or None

    def paper_fields(self):
        return [(self[f"paper_{i}"], self.kept.get(f"paper_{i}")) for i in range(len(self.papers))]

    def good_files(self):
        """(field name, file) of each file chosen this time that passed its checks: kept for the next try."""
        data = getattr(self, "cleaned_data", {})
        for i in range(len(self.papers)):
            name = f"paper_{i}"
            file = data.get(name)
            if file and name not in self.errors:
                yield name, file

    def keep(self, name: str, info: dict) -> None:
        self.kept[name] = info
        self.fields[name].required = False

    def uploads(self):
        out = []
        for i, paper in enumerate(self.papers):
            name = f"paper_{i}"
            file = self.cleaned_data.get(name)
            if file:
                file.seek(0)
                out.append(Upload(label=paper, name=file.name, content=file.read()))
            elif name in self.kept:
                out.append(Upload(label=paper, name=self.kept[name]["name"],
                                  content=pending_read(self.kept[name]["stored"])))
        return out


class SupplementForm(Styled):
    """One file field per paper the desk asked for and the citizen has not sent yet."""

    def __init__(self, *args, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = missing
        for i, paper in enumerate(missing):
            self.fields[f"paper_{i}"] = forms.FileField(label=paper, required=False,
                                                        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        self.style()

    def clean(self):
        cleaned = super().clean()
        per_file = upload_limits()[0]
        chosen = 0
        for i in range(len(self.missing)):
            file = cleaned.get(f"paper_{i}")
            if not file:
                continue
            chosen += 1
            if file.size > per_file:
                self.add_error(f"paper_{i}", gettext("Tệp vượt quá %(size)s MB.") % {"size": per_file // (1024 * 1024)})
                continue
            problem = upload_problem(file.name, file.read())
            file.seek(0)
            if problem:
                self.add_error(f"paper_{i}", f"{self.missing[i]}: {gettext(problem)}")
        if not chosen and not self.errors:
            raise forms.ValidationError(gettext("Cần chọn ít nhất một tệp giấy tờ bổ sung."))
        return cleaned

    def paper_fields(self):
        return [self[f"paper_{i}"] for i in range(len(self.missing))]

    def uploads(self) -> list[Upload]:
        out = []
        for i, paper in enumerate(self.missing):
            file = self.cleaned_data.get(f"paper_{i}")
            if file:
                file.seek(0)
                out.append(Upload(label=paper, name=file.name, content=file.read()))
        return out
