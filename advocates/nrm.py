"""The NRM timeline of a child: referral → reasonable grounds → conclusive grounds, with waits flagged."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

# Home Office targets: a reasonable grounds decision in about 5 working days; conclusive grounds after the
# recovery period (30 days at least). Waits past these marks are flagged for the advocate to chase.
REASONABLE_GROUNDS_FLAG_DAYS = 30
CONCLUSIVE_GROUNDS_FLAG_DAYS = 270


@dataclass(frozen=True)
class Stage:
    name: str
    date: date | None
    outcome: str
    days_since_previous: int | None
    waiting_days: int | None
    overdue: bool


@dataclass(frozen=True)
class NrmTimeline:
    stages: list[Stage]
    current: str  # a short phrase: "Not referred", "Waiting for reasonable grounds", ...
    days_waiting: int | None
    overdue: bool


def timeline_for(child, *, today: date | None = None) -> NrmTimeline:
    today = today or timezone.localdate()
    referral = child.nrm_referral_date
    rg, rg_on = child.reasonable_grounds, child.reasonable_grounds_date
    cg, cg_on = child.conclusive_grounds, child.conclusive_grounds_date
    if referral is None:
        return NrmTimeline([], "Not referred to the NRM", None, False)
    stages = [Stage("Referral", referral, "Referred", None, None, False)]
    if rg_on:
        stages.append(Stage("Reasonable grounds", rg_on, rg, (rg_on - referral).days, None, False))
    else:
        waiting = (today - referral).days
        overdue = waiting > REASONABLE_GROUNDS_FLAG_DAYS
        stages.append(Stage("Reasonable grounds", None, "Waiting", None, waiting, overdue))
        return NrmTimeline(stages, "Waiting for a reasonable grounds decision", waiting, overdue)
    if rg != "positive":
        return NrmTimeline(stages, f"Reasonable grounds: {rg}", None, False)
    if cg_on:
        stages.append(Stage("Conclusive grounds", cg_on, cg, (cg_on - rg_on).days, None, False))
        return NrmTimeline(stages, f"Conclusive grounds: {cg}", None, False)
    waiting = (today - rg_on).days
    overdue = waiting > CONCLUSIVE_GROUNDS_FLAG_DAYS
    stages.append(Stage("Conclusive grounds", None, "Waiting", None, waiting, overdue))
    return NrmTimeline(stages, "Waiting for a conclusive grounds decision", waiting, overdue)
