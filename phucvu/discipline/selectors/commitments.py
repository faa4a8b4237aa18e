"""Reads of commitments (docs/discipline.md §3.1): the text that applies to a cadre, an agency's versions with
the difference between them, who signed and who has not. Scoped by the visibility rule."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.models import Commitment, CommitmentText
from phucvu.organization.models import PATH_STEP, Agency, Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies

MANAGER_ROLES = frozenset({Role.UNIT_LEADER, Role.HR_OFFICER, Role.INSPECTOR, Role.SYSTEM_ADMIN})


def _ancestor_paths(agency: Agency) -> list[str]:
    return [agency.path[:n] for n in range(PATH_STEP, len(agency.path) + 1, PATH_STEP)]


def text_for(staff: Staff, year: int) -> CommitmentText | None:
    """The current version of the text that applies to the cadre: that of the nearest agency, from the
    cadre's own up to the province, that published one for the year."""
    texts = (CommitmentText.objects.filter(year=year, agency__path__in=_ancestor_paths(staff.agency))
             .select_related("agency").order_by("-agency__depth", "-version"))
    return texts.first()


def manages(user) -> bool:
    staff = staff_of(user)
    return bool(getattr(user, "is_superuser", False) or (staff is not None and staff.role in MANAGER_ROLES))


def current_texts(*, user, year: int, query: str = "") -> QuerySet[CommitmentText]:
    """The current version of every text of the agencies the user sees, for the year."""
    latest = (CommitmentText.objects.filter(year=year, agency__in=visible_agencies(user).values("pk"))
              .values("agency").annotate(v=Max("version")))
    q = Q(pk__in=[])
    for row in latest:
        q |= Q(agency_id=row["agency"], version=row["v"])
    qs = CommitmentText.objects.filter(q, year=year)
    if query:
        qs = qs.filter(Q(agency__search_key__contains=fold(query)) | Q(title__icontains=query))
    return qs.select_related("agency").order_by("agency__path")


def text_get(*, user, text_id: int) -> CommitmentText:
    """A text version: for those who see its agency as managers, and for every cadre it applies to."""
    text = CommitmentText.objects.select_related("agency", "published_by").filter(pk=text_id).first()
    me = staff_of(user)
    if text is not None and not (manages(user) and visible_agencies(user).filter(pk=text.agency_id).exists()):
        mine = text_for(me, text.year) if me is not None else None
        if mine is None or mine.agency_id != text.agency_id:
            text = None
    if text is None:
        raise NotFound(gettext("Không có bản cam kết này, hoặc bạn không được xem."))
    return text


def versions(text: CommitmentText) -> list[CommitmentText]:
    return list(CommitmentText.objects.filter(agency=text.agency_id, year=text.year).order_by("-version"))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def text_diff(older: CommitmentText | None, newer: CommitmentText) -> list[DiffLine]:
    """The difference between two versions, line by line (the first version: every line added)."""
    before = older.body.splitlines() if older else []
    out = []
    for line in difflib.ndiff(before, newer.body.splitlines()):
        code, rest = line[:2], line[2:]
        if code == "  ":
            out.append(DiffLine("same", rest))
        elif code == "+ ":
            out.append(DiffLine("added", rest))
        elif code == "- ":
            out.append(DiffLine("removed", rest))
    return out


def bound_staff(text: CommitmentText) -> QuerySet[Staff]:
    """The active cadres the text applies to: its agency's subtree, less the units under it that published
    their own text for the year."""
    own = (CommitmentText.objects.filter(year=text.year, agency__path__startswith=text.agency.path)
           .exclude(agency=text.agency_id).values_list("agency__path", flat=True).distinct())
    qs = Staff.objects.filter(active=True, agency__path__startswith=text.agency.path)
    for path in own:
        qs = qs.exclude(agency__path__startswith=path)
    return qs


def signature_overview(text: CommitmentText, query: str = "") -> dict[str, Any]:
    """Who signed the current version, who signed only an earlier one, who has not signed."""
    bound = bound_staff(text)
    if query:
        bound = bound.filter(Q(search_key__contains=fold(query)) | Q(user__username__icontains=query))
    signed = dict(Commitment.objects.filter(text__agency=text.agency_id, text__year=text.year, staff__in=bound)
                  .values_list("staff_id").annotate(v=Max("text__version")))
    people = list(bound.select_related("agency", "user").order_by("agency__path", "full_name"))
    current = [s for s in people if signed.get(s.pk) == text.version]
    older = [s for s in people if s.pk in signed and signed[s.pk] != text.version]
    missing = [s for s in people if s.pk not in signed]
    return {"signed": current, "older": older, "missing": missing, "total": len(people)}


def signatures_of(text: CommitmentText) -> QuerySet[Commitment]:
    return (Commitment.objects.filter(text=text).select_related("staff", "staff__agency", "recorded_by")
            .order_by("signed_on", "staff__full_name"))


def my_commitment(staff: Staff, year: int) -> dict[str, Any]:
    """The cadre's text for the year and whether they signed its current version."""
    text = text_for(staff, year)
    signature = (Commitment.objects.filter(staff=staff, text=text).first() if text is not None else None)
    earlier = (Commitment.objects.filter(staff=staff, year=year).exclude(text=text).select_related("text")
               .order_by("-signed_on").first())
    return {"text": text, "signature": signature, "earlier": earlier}
