"""The agency tree and the people who work in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    CENTER = "center", _("Trung tâm Phục vụ hành chính công")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")
    VERTICAL = "vertical", _("Cơ quan ngành dọc")
    DESK = "desk", _("Bộ phận Một cửa")
    OTHER = "other", _("Khác")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


# Kinds that are an authority of a level; every other kind takes the level of the authority it serves.
AUTHORITY_LEVEL = {
    AgencyKind.PROVINCE: Level.PROVINCE,
    AgencyKind.DISTRICT: Level.DISTRICT,
    AgencyKind.COMMUNE: Level.COMMUNE,
}

PATH_STEP = 8  # characters per node in `path`: zero-padded base-36 id, so subtrees sort and match by prefix


def path_segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        pk, r = divmod(pk, 36)
        out = digits[r] + out
        if pk == 0:
            break
    return out.rjust(PATH_STEP, "0")


class Agency(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    search_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of the ancestors and self: a subtree is one indexed prefix match on both databases.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    electronic_id = models.CharField(_("mã định danh điện tử"), max_length=40, blank=True, db_index=True)
    unit_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True, db_index=True,
                                 help_text=_("Mã của Tổng cục Thống kê cho tỉnh, huyện, xã."))
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # The catalogue's fields (their codes, `|`-separated) this unit is in charge of: a district's office for
    # construction, a province's department. Intake sends a procedure's examining step there.
    field_codes = models.CharField(_("lĩnh vực phụ trách"), max_length=1000, blank=True,
                                   help_text=_("Mã các lĩnh vực thủ tục, cách nhau bởi dấu |."))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Path, depth and level are derived; services.agency_save keeps descendants in step.
        self.search_key = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    def authority_level(self) -> str:
        return self.level


class Succession(models.Model):
    """A merge, split or rename: `predecessor` handed its work to `successor` on `effective`."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")
        TRANSFER = "transfer", _("Chuyển giao")

    predecessor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="successions_in")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MERGE)
    effective = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"


class Role(models.TextChoices):
    DESK_CLERK = "desk_clerk", _("Công chức Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    INSPECTOR = "inspector", _("Thanh tra viên")
    HR_OFFICER = "hr_officer", _("Cán bộ Nội vụ")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class Category(models.TextChoices):
    CB = "CB", _("Cán bộ")
    CC = "CC", _("Công chức")
    VC = "VC", _("Viên chức")
    OTHER = "HD", _("Hợp đồng")


class Staff(models.Model):
    """A cadre's working identity: one login, one agency, one role (a person with two roles has two rows)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    search_key = models.CharField(max_length=120, db_index=True, editable=False, default="")
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    category = models.CharField(_("ngạch"), max_length=2, choices=Category.choices, default=Category.CC)
    # Optional wider or narrower scope than the role's default (e.g. a provincial inspector seconded).
    scope = models.ForeignKey(Agency, verbose_name=_("phạm vi xem"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_role_display()}"

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.full_name)
        super().save(*args, **kwargs)


class LoginFailure(models.Model):
    """One failed login: the throttle counts these per username and per address in a window."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True, blank=True)
    at = models.DateTimeField(db_index=True)
    cleared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored. It expires (`expires_at`, from
    `API_TOKEN_LIFETIME_DAYS`), is rotated by issuing its successor and revoking it (`replaced_by`), and
    records when it was last used (docs/security.md §6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=80, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField("self", verbose_name=_("thay bằng khóa"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="replaces")

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.user} — {self.name or self.pk}"
