"""Where the alert rule plugs into every episode write (the escalation issue fills these in).

Called inside the service's transaction, so an alert and its deliveries commit with the episode.
"""


def episode_opened(*, episode, by) -> None:
    """A child went missing or away (or an episode was reclassified into a new one)."""


def episode_closed(*, episode, by) -> None:
    """The child was found, returned, or left care while missing."""
