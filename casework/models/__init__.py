from .audit import AccessLogEntry
from .care import LegalStatus, PeriodOfCare, Placement
from .children import (
    AccessGrant,
    AgeAssessment,
    Alias,
    Child,
    KnownAssociate,
    PhoneNumber,
    Photo,
    PlaceOfConcern,
    SocialMediaAccount,
)
from .organisations import Organisation, Role, Team, User

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "AgeAssessment",
    "Alias",
    "Child",
    "KnownAssociate",
    "LegalStatus",
    "Organisation",
    "PeriodOfCare",
    "PhoneNumber",
    "Photo",
    "PlaceOfConcern",
    "Placement",
    "Role",
    "SocialMediaAccount",
    "Team",
    "User",
]
