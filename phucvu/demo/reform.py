"""The `quangninh-2025` profile: the 2017 province, then the reform of 1/7/2025 (two levels of local government).

After the 2017 history, June 2025 is replayed in the old three-level structure (dossiers still open on the
evening of 30/6 stay open). On 1/7/2025 the 54 commune-level units of the 2025 data are loaded with
`phucvu load-units` (`organization.units.load_units`, which links every legacy commune to its successor
and hands each district's work to the province); each new commune gets its one-stop desk and cadres;
every open dossier is handed to the successor of the agency holding it with `dossier_transfer` (the clock
is not restarted) and finished there; then July 2025 is replayed in the new structure, where dossiers
received from 1/7/2025 carry the Decree 118/2025 rule set (`catalog.models.rule_set_on`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from tqdm import tqdm

from phucvu.catalog.services import procedure_offer
from phucvu.core.exceptions import DomainError
from phucvu.demo.names import full_name
from phucvu.demo.profiles import (
    ADMIN_LOGIN,
    AFTER,
    BEFORE,
    END_AFTER,
    END_BEFORE,
    LOGINS_2025,
    ONLINE_SHARE_2025,
    PERIOD_FROM,
    PERIOD_TO,
    REFORM_DAY,
    SEED_VOLUMES,
    TRANSFER_NOTE,
    TZ,
)
from phucvu.demo.replay import (
    Cast,
    Replayer,
    ReplayStats,
    Unfinished,
    procedure_mix,
    receiving_points,
    replay,
)
from phucvu.dossiers import services as sv
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.models import OPEN_STATUSES, Dossier, DossierStep, Status
from phucvu.organization.models import Agency, Category, Staff, Succession
from phucvu.organization.services import agency_create, agency_succeed, staff_create
from phucvu.organization.units import LEGAL_BASIS, NEW, load_units


def window_volumes(cal, period: tuple[dt.date, dt.date]) -> dict[str, float]:
    """The seed's volumes per working day (Jan–Jul 2017) over the working days of `period`."""
    # Both ends included, as the periods are given.
    factor = cal.working_days_between(*period) / cal.working_days_between(PERIOD_FROM, PERIOD_TO)
    return {level: count * factor for level, count in SEED_VOLUMES.items()}


def _open_on(agency: Agency, day: dt.date) -> bool:
    return (agency.valid_from is None or agency.valid_from <= day) and (agency.valid_to is None
                                                                         or agency.valid_to >= day)


def points_open_on(points: dict, day: dt.date) -> dict:
    """Receiving points without the agencies closed by then (Hoành Bồ's center after 2019)."""
    kept = {}
    for level, (places, weights) in points.items():
        pairs = [(p, w) for p, w in zip(places, weights) if _open_on(p, day)]
        kept[level] = ([p for p, _ in pairs], [w for _, w in pairs])
    return kept


# ---------------------------------------------------------------------------------------------------
# The reform


def load_2025_units(cast: Cast, rng: random.Random) -> list[Agency]:
    """The 54 commune-level units, each with a one-stop desk and its cadres; returns the communes."""
    result = load_units(province="22", structure=NEW, effective=REFORM_DAY)
    communes = list(Agency.objects.filter(code__in=[c for c in result.codes if c.startswith("W25-")])
                    .order_by("code"))
    n = Staff.objects.count()
    # Hashing hundreds of passwords with the production hasher takes minutes: every new cadre gets the hash of
    # the demo password the 2017 accounts already have (builder.build_staff).
    hashed = get_user_model().objects.get(username=ADMIN_LOGIN).password
    for commune in communes:
        desk = agency_create(code=f"{commune.code}-MC",
                             name="Bộ phận Một cửa " + commune.name.removeprefix("UBND "), kind="desk",
                             parent=commune, electronic_id=f"001.{commune.unit_code}.00.H41",
                             valid_from=REFORM_DAY)
        cast.agencies[commune.code], cast.agencies[desk.code] = commune, desk
        plan = [(desk, "desk_clerk", "Công chức Bộ phận Một cửa", Category.CC)] * 3 + [
            (commune, "specialist", "Công chức Tư pháp - Hộ tịch", Category.CC),
            (commune, "specialist", "Công chức Địa chính - Xây dựng", Category.CC),
            (commune, "specialist", "Công chức Kinh tế", Category.CC),
            (commune, "unit_leader", "Chủ tịch UBND", Category.CB)]
        for agency, role, position, category in plan:
            n += 1
            staff = staff_create(username=f"cb25{n:05d}", password_hash=hashed, full_name=full_name(rng),
                                 agency=agency, role=role, position=position, category=category)
            cast.by_role[(agency.pk, role)].append(staff)
    # Demo logins at the new ward that took over Hồng Gai (W06691 → W25-06685).
    for username, name, code, role, position in LOGINS_2025:
        staff = staff_create(username=username, password_hash=hashed, full_name=name,
                             agency=cast.agencies[code], role=role, position=position,
                             category=Category.CB if role == "unit_leader" else Category.CC)
        cast.by_role[(staff.agency_id, role)].append(staff)
    return communes


def link_successors(cast: Cast) -> dict[int, int]:
    """Successor of every legacy agency whose work moves on 1/7/2025 (agency id → agency id).

    `load_units` links communes (merge or split) and districts (to the province). The demo adds what the
    unit data cannot know: a commune's desk goes to its successor's desk, and a district's center and
    offices to the new commune that took over most of the district's communes (district-level procedures
    went down to the communes)."""
    links = Succession.objects.filter(effective=REFORM_DAY).select_related("predecessor", "successor")
    successor: dict[int, int] = {}
    heirs: dict[int, Counter] = defaultdict(Counter)  # district id → its communes' successors
    for link in links.order_by("kind", "id"):  # merge before split: a split commune's first part
        successor.setdefault(link.predecessor_id, link.successor_id)
        if link.predecessor.kind == "commune" and link.successor.code.startswith("W25-"):
            heirs[link.predecessor.parent_id][link.successor_id] += 1
    desks = {a.parent_id: a for a in Agency.objects.filter(kind="desk")}
    by_id = {a.pk: a for a in Agency.objects.filter(pk__in=set(successor) | set(successor.values()))}
    for old_id, new_id in list(successor.items()):
        old = by_id[old_id]
        if old.kind == "commune" and old_id in desks and new_id in desks:
            agency_succeed(predecessors=[desks[old_id]], successor=desks[new_id], effective=REFORM_DAY,
                           legal_basis=LEGAL_BASIS)
            successor[desks[old_id].pk] = desks[new_id].pk
    for district_id, counter in heirs.items():
        seat = Agency.objects.get(pk=counter.most_common(1)[0][0])
        for unit in Agency.objects.filter(parent_id=district_id, kind__in=["center", "department"],
                                          valid_to__isnull=True):
            to = desks[seat.pk] if unit.kind == "center" else seat
            agency_succeed(predecessors=[unit], successor=to, effective=REFORM_DAY, kind=Succession.Kind.TRANSFER,
                           legal_basis=LEGAL_BASIS)
            successor[unit.pk] = to.pk
    return successor


class Carrier(Replayer):
    """Hands the open dossiers to the successors and finishes them there, clock untouched."""

    def carry(self, successor: dict[int, int]) -> tuple[int, int]:
        moved = finished = 0
        at = dt.datetime.combine(REFORM_DAY, dt.time(7, 30), TZ)
        # The 2025 dossiers; what the 2017 replay left open on 31/7/2017 stays as history of that evening.
        open_ = Dossier.objects.filter(status__in=OPEN_STATUSES, received_at__gte=dt.datetime.combine(
            BEFORE[0], dt.time(0), TZ)).exclude(status=Status.SUBMITTED).select_related(
            "current_step").order_by("pk")
        for d in tqdm(list(open_), desc="Chuyển hồ sơ cho đơn vị kế thừa", unit="hs", disable=self.quiet):
            holder = d.current_step.agency_id if d.current_step else d.agency_id
            if holder not in successor:
                continue  # a provincial department: unchanged by the reform
            with transaction.atomic():
                d = sv.dossier_transfer(actor=None, dossier_id=d.pk, version=d.version,
                                        to_agency_id=successor[holder], note=TRANSFER_NOTE, at=at)
                moved += 1
            try:
                with transaction.atomic():
                    finished += self.finish(d, successor, at)
            except DomainError as exc:
                self.stats.failures.append(f"{d.code} sau khi chuyển: {exc.message}")
        return moved, finished

    def finish(self, d, successor: dict[int, int], since: dt.datetime) -> int:
        """The remaining steps at the successors, spread over the time left before the appointment."""
        rng, cal = self.rng, self.cal
        steps = list(DossierStep.objects.filter(dossier=d).order_by("order").values_list("order", "agency_id",
                                                                                       "role"))
        rest = [(a, r) for o, a, r in steps if o > d.current_step.order]
        left = cal.working_minutes_between(since, d.due_at) if d.due_at > since else 0
        # The hand-over cost time: a few land in late (the apology form is for before the due moment).
        budget = left * rng.uniform(0.3, 0.9) if left > 240 else rng.randint(240, 1440)
        moves = len(rest) + 3
        holder = self.staff(d.current_step.agency_id, d.current_step.role or "specialist")
        try:
            def at(k: int) -> dt.datetime:
                moment = cal.add_working_minutes(since, int(budget * k / moves) + 5)
                if moment > END_AFTER:
                    raise Unfinished
                return moment

            k = 1
            # The successor's desk takes the papers and hands the result back (the table of who may act: the
            # receiving desk, or its successor once it closed).
            clerk = self.staff(successor.get(d.agency_id, d.agency_id), "desk_clerk")
            if d.status in (Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT):
                d = sv.dossier_resume(actor=clerk, dossier_id=d.pk, version=d.version, at=at(k),
                                      papers=["Giấy tờ bổ sung"])
                k += 1
            for agency_id, role in rest:
                agency_id = successor.get(agency_id, agency_id)
                desk = self.by_id.get(agency_id)
                if desk is not None and desk.kind == "desk" and role != "desk_clerk":
                    agency_id = desk.parent_id  # the commune examines; its desk only receives and returns
                nxt = self.staff(agency_id, role or "specialist")
                d = sv.dossier_forward(actor=holder, dossier_id=d.pk, version=d.version, at=at(k),
                                       to_agency_id=agency_id, assignee_id=nxt.pk)
                holder, k = nxt, k + 1
            if d.approved_at is None and any(role == "unit_leader" for _, _, role in steps):  # signed first
                d = sv.dossier_approve(actor=holder, dossier_id=d.pk, version=d.version, at=at(k))
            when = at(k + 1)
            d = sv.dossier_resolve(actor=holder, dossier_id=d.pk, version=d.version, at=when, result="granted",
                                   **self.decisions.record(signer=holder, dossier_code=d.code,
                                                           procedure=d.procedure.name, at=when))
            fee = int(d.procedure_version.fee or 0)
            sv.dossier_return_result(actor=clerk, dossier_id=d.pk, version=d.version, at=at(k + 2),
                                     fee_amount=fee, fee_receipt_number=f"BL-{d.code}" if fee else "")
            return 1
        except Unfinished:
            return 0


def build_reform(cast: Cast, weights: dict[str, float], *, scale: float, rng: random.Random,
                 quiet: bool = False) -> dict:
    """June 2025 in the old structure, the reform, July 2025 in the new one. Returns the figures."""
    cal = calendar_for(None)
    points = receiving_points(cast, rng)
    mix = procedure_mix(weights)
    before = replay(cast, weights, scale=scale, rng=rng, quiet=quiet, period=BEFORE, end=END_BEFORE,
                    volumes=window_volumes(cal, BEFORE), points=points_open_on(points, BEFORE[0]), mix=mix,
                    online_share=ONLINE_SHARE_2025)
    with transaction.atomic():
        communes = load_2025_units(cast, rng)
        successor = link_successors(cast)
        desks = [cast.agencies[f"{c.code}-MC"] for c in communes]
        # District-level procedures went down to the communes (Decree 118/2025 and the decentralisation
        # decrees of 2025): every new commune's desk receives them.
        commune_procs = [p for p in mix["district"][0] if "commune" not in p.level_list]
        for desk in desks:
            for procedure in commune_procs:
                procedure_offer(procedure_id=procedure.pk, agency_id=desk.pk)
    carrier = Carrier(cast, rng, ReplayStats(), end=END_AFTER)
    carrier.quiet = quiet
    moved, finished = carrier.carry(successor)
    # A merged commune is about as busy as the communes it took over.
    size = Counter(Succession.objects.filter(effective=REFORM_DAY, successor__in=communes)
                   .values_list("successor_id", flat=True))
    points_after = {"province": points["province"],
                    "commune": (desks, [size.get(d.parent_id, 1) * rng.lognormvariate(0, 0.25) for d in desks])}
    volumes = window_volumes(cal, AFTER)
    procs = mix["commune"][0] + commune_procs
    mix_after = {"province": mix["province"],
                 "commune": (procs, mix["commune"][1] + [weights.get(p.code, 1.0) for p in commune_procs])}
    after = replay(cast, weights, scale=scale, rng=rng, quiet=quiet, period=AFTER, end=END_AFTER,
                   volumes={"province": volumes["province"], "commune": volumes["district"] + volumes["commune"]},
                   points=points_after, mix=mix_after, online_share=ONLINE_SHARE_2025)
    return {"communes_2025": len(communes), "before": before.dossiers, "after": after.dossiers,
            "transferred": moved, "finished_after_transfer": finished, "votes": before.votes + after.votes,
            "failures": before.failures + carrier.stats.failures + after.failures}
