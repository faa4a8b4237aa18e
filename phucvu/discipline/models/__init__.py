"""Discipline's data, one module per part (docs/discipline.md):

- `commitments` — the commitments cadres sign each year;
- `breaches` — breaches recorded against cadres;
- `cases` — sanctions decided on cadres;
- `evaluation` — staff profiles, job positions, score sheets and the yearly grading;
- `tasks` — the catalogue of work items, tasks assigned and their events;
- `emulation` — campaigns and contests, their results, awards and materials distributed.

Each part keeps its models in its own module; this package re-exports them so that
`from phucvu.discipline.models import X` works for every model of the app. A new part adds its module
here and one import line below.
"""

from phucvu.discipline.models.breaches import (
    BreachDecision,
    SignalOutcome,
    SignalReview,
    SourceKind,
    Violation,
    ViolationEvent,
    ViolationEvidence,
    ViolationKind,
)
from phucvu.discipline.models.cases import (
    ALLOWED_SANCTIONS,
    FORM_KINDS,
    KIND_FORMS,
    CaseBasis,
    CaseRead,
    CaseStatus,
    CaseStep,
    DisciplineCase,
    Sanction,
    SanctionKind,
    SanctionRevocation,
    StepKind,
)
from phucvu.discipline.models.commitments import Commitment, CommitmentText
from phucvu.discipline.models.emulation import (
    Award,
    AwardForm,
    Campaign,
    CampaignKind,
    CampaignResult,
    MaterialDistribution,
)
from phucvu.discipline.models.evaluation import (
    Grade,
    JobPosition,
    PeriodKind,
    QuotaChoice,
    ScoreSheet,
    SheetSource,
    SheetStatus,
    StaffProfile,
    UnitGrade,
)
from phucvu.discipline.models.tasks import ItemSource, Task, TaskEvent, TaskEventKind, WorkItem

__all__ = ["ALLOWED_SANCTIONS", "FORM_KINDS", "KIND_FORMS", "CaseRead", "CaseStatus", "CaseStep", "Commitment", "CommitmentText",
           "DisciplineCase", "StepKind", "Grade", "JobPosition", "PeriodKind",
           "QuotaChoice", "Sanction", "SanctionKind", "ScoreSheet", "SheetSource", "SheetStatus", "StaffProfile",
           "UnitGrade", "Violation", "ViolationKind", "BreachDecision", "SignalOutcome", "SignalReview",
           "SourceKind", "ViolationEvent", "ViolationEvidence", "CaseBasis", "SanctionRevocation", "ItemSource", "Task",
           "TaskEvent", "TaskEventKind", "WorkItem", "Award", "AwardForm", "Campaign", "CampaignKind", "CampaignResult",
           "MaterialDistribution"]
