"""Commitments cadres sign each year (docs/discipline.md §3.1): the versioned text of an agency for a year,
and each cadre's signature of one version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.organization.models import Agency, Staff


class CommitmentText(models.Model):
    """One version of an agency's commitment text for a year. A change is a new version; every version is kept
    (append-only), so what each cadre signed stays readable."""

    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                               related_name="commitment_texts")
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    version = models.PositiveSmallIntegerField(_("phiên bản"))
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung cam kết"))
    change_note = models.CharField(_("nội dung thay đổi"), max_length=255, blank=True)
    published_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("ngày ban hành"))
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mẫu bản cam kết")
        verbose_name_plural = _("mẫu bản cam kết")
        ordering = ["agency", "-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "version"], name="commitment_text_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("CommitmentText is append-only: publish a new version")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.title} — v{self.version}"


class Commitment(models.Model):
    """A cadre's signature of one version of a commitment (working hours, no overdue tasks, no harassment).

    `text` is the version signed; rows from before versioned texts (and imports) name it in `text_version`."""

    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("năm"))
    text = models.ForeignKey(CommitmentText, verbose_name=_("bản cam kết"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="signatures")
    text_version = models.CharField(_("mẫu cam kết"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        constraints = [models.UniqueConstraint(fields=["staff", "year", "text_version"], name="commitment_once")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.year}"
