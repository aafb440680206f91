"""Who may see and do what with submissions. The only place that decides it."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role


def can_triage(user: AnyUser) -> bool:
    """IT management: sees every submission with its contact data and decides on it."""
    return has_role(user, Role.TRIAGE)


def can_work_as_office(user: AnyUser) -> bool:
    """Office staff: see the forwardings addressed to their office, never contact data."""
    return has_role(user, Role.OFFICE)
