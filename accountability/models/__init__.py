"""Models of the accountability cycle, one module per part (see the package docstring)."""

from .council import CouncilDecision, CouncilMeeting, CouncilMember, ManagementDecision
from .discussion import Discussion, DiscussionEntry
from .objections import Objection, ObjectionAttachment, PreliminaryStage
from .plans import ImprovementPlan, PlanEvent, PlanMeasure
from .shortcomings import Criterion, Shortcoming, ShortcomingChange

__all__ = [
    "CouncilDecision",
    "CouncilMeeting",
    "CouncilMember",
    "Criterion",
    "Discussion",
    "DiscussionEntry",
    "ImprovementPlan",
    "ManagementDecision",
    "Objection",
    "ObjectionAttachment",
    "PlanEvent",
    "PlanMeasure",
    "PreliminaryStage",
    "Shortcoming",
    "ShortcomingChange",
]
