from .audit import AccessLogEntry
from .organisations import Organisation, Role, Team, User

__all__ = ["AccessLogEntry", "Organisation", "Role", "Team", "User"]
