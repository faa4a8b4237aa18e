"""Reads of emulation and commendation (docs/discipline.md §5). A campaign is visible to whoever sees the agency
that launched it, and to the cadres of the agencies below it (a province's campaign concerns the whole
province)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import translation

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.models import Award, AwardForm, Campaign, MaterialDistribution
from phucvu.organization.models import PATH_STEP, Agency, Staff
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


def openable_staff(user, staff_ids) -> set[int]:
    """Of these cadres, those whose page the user may open (the visibility rule, or oneself): a campaign of the
    province lists cadres of every unit, and a name is linked only when its page would open."""
    ids = {i for i in staff_ids if i}
    me = staff_of(user)
    found = set(Staff.objects.filter(pk__in=ids, agency__in=visible_agencies(user)).values_list("pk", flat=True))
    return found | ({me.pk} & ids if me is not None else set())


def visible_awards(user) -> QuerySet[Award]:
    """Awards the user may read: those of the campaigns they see, those given to a cadre or a unit they see
    (wherever the campaign was), those recorded by or for their scope, and their own (docs/discipline.md §5)."""
    agencies = visible_agencies(user)
    scope = (Q(campaign__in=visible_campaigns(user)) | Q(agency__in=agencies) | Q(staff__agency__in=agencies)
             | Q(recorded_by__agency__in=agencies) | Q(recorded_for__in=agencies))
    me = staff_of(user)
    if me is not None:
        scope |= Q(staff=me)
    return Award.objects.filter(scope).select_related("campaign", "staff", "staff__agency", "agency", "recorded_for")


def award_list(*, user, query: str = "", year: int | None = None, form: str = "", staff_id: int | None = None,
               agency_id: int | None = None) -> QuerySet[Award]:
    """Awards outside a campaign's page: searchable (recipient, decision, achievement, form, campaign; accents
    optional), by year and form, for one cadre, or for one unit (the unit itself and its cadres, units below
    included). Latest first."""
    qs = visible_awards(user)
    if year:
        qs = qs.filter(decided_on__year=year)
    if form:
        qs = qs.filter(form=form)
    if staff_id:
        qs = qs.filter(staff_id=staff_id)
    if agency_id:
        unit = Agency.objects.filter(pk=agency_id).only("path").first()
        path = unit.path if unit is not None else "-"
        qs = qs.filter(Q(agency__path__startswith=path) | Q(staff__agency__path__startswith=path))
    if query:
        key = fold(query)
        with translation.override("vi"):  # the form's name as the decision writes it
            forms = [value for value, label in AwardForm.choices if key in fold(str(label))]
        qs = qs.filter(Q(search_key__contains=key) | Q(campaign__search_key__contains=key) | Q(form__in=forms))
    return qs.distinct().order_by("-decided_on", "-pk")


def award_filters(*, user, staff_id: int | None, agency_id: int | None) -> dict[str, Any]:
    """The cadre and the unit the awards page is narrowed to (only ones the user sees), and the units to
    choose from."""
    agencies = visible_agencies(user)
    me = staff_of(user)
    cadre = None
    if staff_id:
        cadre = Staff.objects.select_related("agency").filter(
            Q(agency__in=agencies) | Q(pk=me.pk if me else 0), pk=staff_id).first()
    return {"cadre": cadre, "unit": agencies.filter(pk=agency_id).first() if agency_id else None,
            "units": agencies.order_by("path")[:300]}
