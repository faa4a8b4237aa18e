"""Where each step of a dossier is done: the one resolver of step kinds to agencies (docs/desk.md).

A workflow step names the kind of unit responsible (`catalog.StepUnit`): the receiving desk, the specialist
office of the competent agency for the procedure's field, another agency (inter-connected processing, liên
thông), or the competent agency's leader. `route_for` finds, for a procedure received at an agency, the
competent agency and its specialist office; `step_plans` turns a version's workflow into the dossier's steps.
The desk's intake, the online acceptance, the history import and the demo all go through here.

- **Competent agency**: the offering's override (`ProcedureOffering.competent_agency`) if set; else the
  authority the receiving unit serves (a desk's or a center's parent, otherwise the unit itself); at the
  province, the department in charge of the procedure's field when there is one (the province's
  departments decide in their fields; a procedure the provincial People's Committee itself decides has an
  override or a step of kind "agency").
- **Specialist office**: the offering's override (`ProcedureOffering.office`) if set; else the unit directly
  under the competent agency that is in charge of the procedure's field (`Agency.field_codes`), open units
  first; else the competent agency itself (a commune's officers, a department's specialists).

Legal basis: Decree 61/2018/NĐ-CP art. 8 (what the one-stop desk does), art. 18–19 (the competent agency's
specialists examine, its leader decides; inter-connected procedures go agency to agency); Decree 118/2025/NĐ-CP
keeps the same division.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from phucvu.catalog.models import UNIT_ROLE, Procedure, ProcedureOffering, StepUnit, unit_of
from phucvu.core import txmemo
from phucvu.organization.models import Agency, AgencyKind, Role

# (order, name, fixed agency, role, share, unit) of a version's workflow step.
WorkflowTemplate = tuple[int, str, int | None, str, int, str]


@dataclass(frozen=True)
class Route:
    desk: Agency  # where the dossier was received
    competent: Agency  # decides: its leader signs
    office: Agency  # examines: the competent agency's specialist office for the field


def served_authority(agency: Agency) -> Agency:
    """A desk or a center receives on behalf of the authority it serves; anything else for itself."""
    if agency.kind in (AgencyKind.DESK, AgencyKind.CENTER) and agency.parent_id:
        return agency.parent  # type: ignore[return-value]
    return agency


def in_charge_of(agency: Agency, field_code: str) -> bool:
    return bool(field_code) and field_code in agency.field_codes.split("|")


def field_unit(parent: Agency, field_code: str) -> Agency | None:
    """The unit directly under `parent` in charge of the field: open units first, then by position."""
    if not field_code:
        return None
    return _first_in_charge(Agency.objects.filter(parent=parent, field_codes__contains=field_code), field_code)


def _first_in_charge(children, field_code: str) -> Agency | None:
    candidates = [a for a in children if in_charge_of(a, field_code)]
    candidates.sort(key=lambda a: (a.valid_to is not None, a.path))
    return candidates[0] if candidates else None


def _resolve(agency: Agency, field_code: str, offering: ProcedureOffering | None,
             unit_under: Callable[[Agency, str], Agency | None]) -> Route:
    """The rules of the module's docstring; `unit_under` is `field_unit` or its preloaded twin."""
    competent = offering.competent_agency if offering else None
    if competent is None:
        competent = served_authority(agency)
        if competent.kind == AgencyKind.PROVINCE:
            competent = unit_under(competent, field_code) or competent
    office = offering.office if offering else None
    if office is None:
        office = competent if in_charge_of(competent, field_code) else (unit_under(competent, field_code)
                                                                         or competent)
    return Route(desk=agency, competent=competent, office=office)


def _route(procedure_id: int, agency: Agency) -> Route:
    field_code = (Procedure.objects.filter(pk=procedure_id).values_list("field__code", flat=True).first()) or ""
    offering = (ProcedureOffering.objects.filter(procedure_id=procedure_id, agency=agency)
                .select_related("competent_agency", "office").first())
    return _resolve(agency, field_code, offering, field_unit)


def route_for(procedure_id: int, agency: Agency) -> Route:
    """The route of a procedure received at `agency`, read once per transaction (a replayed day receives
    thousands of dossiers at a few hundred places)."""
    return txmemo.remembered(("dossiers.route", procedure_id, agency.pk), lambda: _route(procedure_id, agency))


class Routes:
    """`route_for` for the many (procedure, agency) pairs of a bulk write, from two queries: the procedures'
    fields and offerings read once, the units under an agency found in `agencies` (every agency, loaded by
    the caller with their parents) instead of a query per pair."""

    def __init__(self, agencies: dict[int, Agency], procedure_ids: Iterable[int]) -> None:
        procedure_ids = set(procedure_ids)
        self.field_code = {pk: code or "" for pk, code in Procedure.objects.filter(pk__in=procedure_ids)
                           .values_list("pk", "field__code")}
        self.offerings = {(o.procedure_id, o.agency_id): o for o in ProcedureOffering.objects.filter(
            procedure_id__in=procedure_ids).exclude(competent_agency=None, office=None)
            .select_related("competent_agency", "office")}
        self.children: dict[int, list[Agency]] = {}
        for a in agencies.values():
            if a.parent_id is not None:
                self.children.setdefault(a.parent_id, []).append(a)
        self._units: dict[tuple[int, str], Agency | None] = {}
        self._routes: dict[tuple[int, int], Route] = {}

    def _unit_under(self, parent: Agency, field_code: str) -> Agency | None:
        if not field_code:
            return None
        key = (parent.pk, field_code)
        if key not in self._units:
            self._units[key] = _first_in_charge(self.children.get(parent.pk, ()), field_code)
        return self._units[key]

    def route(self, procedure_id: int, agency: Agency) -> Route:
        key = (procedure_id, agency.pk)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = _resolve(agency, self.field_code.get(procedure_id, ""),
                                                 self.offerings.get(key), self._unit_under)
        return found


def unit_agency(unit: str, fixed_agency_id: int | None, route: Route) -> int:
    if unit == StepUnit.DESK:
        return route.desk.pk
    if unit == StepUnit.OFFICE:
        return route.office.pk
    if unit == StepUnit.AGENCY and fixed_agency_id:
        return fixed_agency_id
    return route.competent.pk  # the leader's step; an inter-connected step without its agency


def step_plans(templates: list[WorkflowTemplate], agency: Agency, legal_minutes: int,
               procedure_id: int, route: Route | None = None) -> list[dict]:
    """The steps a dossier of `procedure_id` received by `agency` gets from its version's workflow
    (`templates`, in order): DossierStep fields, without the dossier and the clock. `route` when the
    caller has it (`Routes`), else `route_for`."""
    route = route or route_for(procedure_id, agency)
    plans = []
    for order, name, fixed, role, share, unit in templates:
        unit = unit or unit_of(role, fixed)
        plans.append({"order": order, "name": name, "agency_id": unit_agency(unit, fixed, route),
                      "role": role or UNIT_ROLE[unit], "share": share, "minutes": legal_minutes * share // 100})
    return plans or [{"order": 1, "name": "Xử lý hồ sơ", "agency_id": route.office.pk, "role": "",
                      "share": 100, "minutes": legal_minutes}]


def competent_of(plans: list[dict]) -> int:
    """The agency that decides a dossier with these steps: the one holding the signing step (the last in a
    leader's role), else the one holding the last step (a result signed with delegated authority)."""
    signing = [p for p in plans if p["role"] == Role.UNIT_LEADER]
    return (signing or plans)[-1]["agency_id"]
