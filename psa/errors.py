"""Errors the ticket service adds to the client's hierarchy (all are ``ConnectWiseError``)."""

from __future__ import annotations

from datetime import datetime

from psa.connectwise.errors import Conflict, ConnectWiseError, InvalidObject
from psa.models import TicketRow


class StatusNotOnBoard(InvalidObject):
    """ConnectWise kept the old status: the requested one is not on the ticket's board."""

    def __init__(self, message: str, *, ticket: TicketRow, status_id: int,
                 endpoint: str | None = None) -> None:
        super().__init__(message, status=None, code="StatusNotOnBoard", endpoint=endpoint)
        self.ticket = ticket
        self.status_id = status_id


class TicketChanged(Conflict):
    """The ticket changed on the server since the caller loaded it; nothing was written.

    ``current`` is the server's state now, for the UI to show before the user decides again.
    """

    def __init__(self, message: str, *, current: TicketRow, expected: datetime,
                 endpoint: str | None = None) -> None:
        super().__init__(message, status=None, code="TicketChanged", endpoint=endpoint)
        self.current = current
        self.expected = expected


class CreateOutcomeUnknown(ConnectWiseError):  # noqa: N818 - named like AuthFailed, NotFound
    """A create failed in transit and the ticket could not be looked up: it may exist.

    Retrying blindly could duplicate it; ``token`` is the value in the ticket's externalXRef
    that identifies it if it was created.
    """

    def __init__(self, message: str, *, token: str, endpoint: str | None = None,
                 looked_up: bool = True) -> None:
        super().__init__(message, status=None, code="CreateOutcomeUnknown", endpoint=endpoint)
        self.token = token
        self.looked_up = looked_up
        """True: the lookup ran and did not find it (yet); False: the lookup failed too."""


class IdentityNotMapped(ConnectWiseError):  # noqa: N818 - named like AuthFailed, NotFound
    """"My tickets" was asked for, but the key's member is not known (see ``whoami``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=None, code="IdentityNotMapped")
