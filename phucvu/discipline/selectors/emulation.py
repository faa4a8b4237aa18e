"""Reads of emulation and commendation (docs/discipline.md §5). A campaign is visible to whoever sees the agency
that launched it, and to the cadres of the agencies below it (a province's campaign concerns the whole
province)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.models import Award, Campaign, MaterialDistribution
from phucvu.organization.models import PATH_STEP, Agency
from phucvu.organization.selectors import staff_of, visible_agencies


def _above(user) -> list[str]:
    """The paths of the user's agency and of every agency above it."""
    staff = staff_of(user)
    if staff is None:
        return []
    path = staff.agency.path
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def visible_campaigns(user) -> QuerySet[Campaign]:
    return (Campaign.objects.filter(Q(agency__in=visible_agencies(user)) | Q(agency__path__in=_above(user)))
            .select_related("agency"))


def campaign_list(*, user, year: int | None = None, query: str = "", kind: str = "") -> QuerySet[Campaign]:
    qs = visible_campaigns(user)
    if year:
        qs = qs.filter(launched_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        key = fold(query)
        qs = qs.filter(Q(search_key__contains=key) | Q(agency__search_key__contains=key))
    materials = (MaterialDistribution.objects.filter(campaign_id=OuterRef("pk")).values("campaign_id")
                 .annotate(n=Sum("quantity")).values("n"))
    return (qs.annotate(n_results=Count("results", distinct=True), n_awards=Count("awards", distinct=True),
                        n_materials=Subquery(materials))
            .order_by("-launched_on", "-pk"))


def campaign_detail(*, user, campaign_id: int) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound("Không có phong trào này, hoặc bạn không được xem.")
    return campaign


def campaign_parts(campaign: Campaign) -> dict[str, Any]:
    materials = list(campaign.materials.select_related("agency"))
    return {"results": campaign.results.select_related("staff", "agency").order_by("rank", "pk"),
            "awards": campaign.awards.select_related("staff", "agency").order_by("-decided_on", "pk"),
            "materials": materials, "materials_total": sum(m.quantity for m in materials)}


def year_summary(*, user, year: int) -> dict[str, int]:
    """The year in numbers: campaigns and contests launched, awards decided, materials handed out."""
    campaigns = visible_campaigns(user).filter(launched_on__year=year)
    agencies = visible_agencies(user)
    return {"campaigns": campaigns.filter(kind="campaign").count(),
            "contests": campaigns.filter(kind="contest").count(),
            "awards": Award.objects.filter(Q(campaign__in=campaigns) | Q(agency__in=agencies)
                                           | Q(staff__agency__in=agencies), decided_on__year=year).distinct().count(),
            "materials": MaterialDistribution.objects.filter(agency__in=agencies, distributed_on__year=year)
            .aggregate(n=Sum("quantity"))["n"] or 0}


def launching_agencies(user) -> QuerySet[Agency]:
    return visible_agencies(user).order_by("path")
