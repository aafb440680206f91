"""Who may see and do what in the board's work. The only place that decides it."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role


def can_manage_board(user: AnyUser) -> bool:
    """IT management: asks the board, publishes statements, tracks recommendations."""
    return has_role(user, Role.TRIAGE)


def is_board_member(user: AnyUser) -> bool:
    """A volunteer member: reads requests (redacted), answers, sees the board's meetings."""
    return has_role(user, Role.BOARD_MEMBER)


def can_enter_board_area(user: AnyUser) -> bool:
    return can_manage_board(user) or is_board_member(user)


def can_work_as_office(user: AnyUser) -> bool:
    """Office staff: the recommendations assigned to their office."""
    return has_role(user, Role.OFFICE)


def can_see_pseudonym_links(user: AnyUser) -> bool:
    """The privacy role alone learns which account is behind a member's pseudonym; not IT
    management, not administrators (docs/record-of-processing.md)."""
    return has_role(user, Role.PRIVACY)
