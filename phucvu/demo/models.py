"""What the demo built: one row per `phucvu demo` build, so the landing page knows a demo database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoRun(models.Model):
    profile = models.CharField(_("hồ sơ trình diễn"), max_length=40)
    scale = models.FloatField(_("tỷ lệ"))
    seed = models.IntegerField(_("hạt giống"))
    started_at = models.DateTimeField(auto_now_add=True)
    finished = models.BooleanField(default=False)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lần dựng dữ liệu trình diễn")
        verbose_name_plural = _("lần dựng dữ liệu trình diễn")

    def __str__(self) -> str:
        return f"{self.profile} ×{self.scale:g}"
