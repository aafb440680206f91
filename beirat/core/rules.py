"""Permissions of the core app."""

from beirat.core.roles import AnyUser, Role, has_role


def can_view_audit_log(user: AnyUser) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_sign_in(user: AnyUser) -> bool:
    """The single sign-on page: configuration and connection test."""
    return has_role(user, Role.ADMIN)
