"""Domain exceptions shared by every app's services."""


class StaleVersion(Exception):  # noqa: N818 - the name says what happened
    """The caller edited an older version of the record: nothing was changed (HTTP 409)."""

    def __init__(
        self,
        message: str = "Someone else changed this record since you opened it. "
        "Reload it to see their changes, then make yours again.",
    ):
        super().__init__(message)
        self.message = message


class StateConflict(Exception):  # noqa: N818
    """The action does not fit the record's current state (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
