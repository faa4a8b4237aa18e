"""Emulation and commendation (thi đua, khen thưởng): campaigns and contests, their results, the awards
decided and the materials distributed (docs/discipline.md §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.organization.models import Agency, Staff


class CampaignKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Phong trào thi đua")
    CONTEST = "contest", _("Hội thi, cuộc thi")


class Campaign(models.Model):
    """An emulation campaign (phong trào thi đua) or a contest (hội thi) launched by an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan phát động"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=CampaignKind.choices, default=CampaignKind.CAMPAIGN)
    name = models.CharField(_("tên phong trào, hội thi"), max_length=300)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    goal = models.TextField(_("mục tiêu, nội dung"), blank=True)
    launched_on = models.DateField(_("ngày phát động"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-launched_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


class CampaignResult(models.Model):
    """A participant's result in a campaign or contest (a prize, a rank, points), recorded once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="results")
    staff = models.ForeignKey(Staff, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    participant = models.CharField(_("người, tập thể tham gia"), max_length=200)
    result = models.CharField(_("kết quả"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("thứ hạng"), null=True, blank=True)
    recorded_on = models.DateField(_("ngày ghi nhận"))
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kết quả thi đua")
        verbose_name_plural = _("kết quả thi đua")
        ordering = ["campaign", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.result}"


class AwardForm(models.TextChoices):
    CERTIFICATE = "giay_khen", _("Giấy khen")
    MERIT = "bang_khen", _("Bằng khen")
    FLAG = "co_thi_dua", _("Cờ thi đua")
    ADVANCED_WORKER = "lao_dong_tien_tien", _("Lao động tiên tiến")
    GRASSROOTS_FIGHTER = "chien_si_thi_dua_co_so", _("Chiến sĩ thi đua cơ sở")
    ADVANCED_COLLECTIVE = "tap_the_lao_dong_tien_tien", _("Tập thể lao động tiên tiến")
    EXCELLENT_COLLECTIVE = "tap_the_lao_dong_xuat_sac", _("Tập thể lao động xuất sắc")
    OTHER = "other", _("Hình thức khác")


class Award(models.Model):
    """A commendation or an emulation title decided for a person or a collective, with its decision."""

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    staff = models.ForeignKey(Staff, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="awards")
    agency = models.ForeignKey(Agency, verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    recipient = models.CharField(_("người, tập thể được khen"), max_length=200)
    form = models.CharField(_("hình thức"), max_length=30, choices=AwardForm.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    decided_by = models.CharField(_("cấp quyết định"), max_length=200, blank=True)
    reason = models.CharField(_("thành tích"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The unit the award was recorded for: the campaign's agency, or the unit named when recording outside a
    # campaign (`on_behalf_of`). Empty only for awards recorded outside a campaign before it was kept.
    recorded_for = models.ForeignKey(Agency, verbose_name=_("đơn vị ghi nhận"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Recipient, decision, level and achievement folded (no accents, lower case): the awards page searches it.
    search_key = models.CharField(max_length=800, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.recipient}"

    def save(self, *args, **kwargs) -> None:
        self.search_key = award_search_key(self.recipient, self.decision_number, self.decided_by, self.reason)
        super().save(*args, **kwargs)


def award_search_key(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))[:800]


class MaterialDistribution(models.Model):
    """Materials an agency produced and handed out for a campaign (handbooks, leaflets), with the number."""

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="materials")
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị phát hành"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("tài liệu"), max_length=300)
    kind = models.CharField(_("loại tài liệu"), max_length=60, default="sổ tay")
    quantity = models.PositiveIntegerField(_("số lượng"))
    distributed_on = models.DateField(_("ngày phát hành"))
    audience = models.CharField(_("đối tượng nhận"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tài liệu phát hành")
        verbose_name_plural = _("tài liệu phát hành")
        ordering = ["-distributed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.quantity})"
