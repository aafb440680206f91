"""The roles (who may see and do what) and the predicates every app's rules.py builds on.

A role is a Django group with the role's key as its name; the groups are created by a migration.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from beirat.core.models import User


class Role(models.TextChoices):
    TRIAGE = "triage", _("IT-Management")
    BOARD_MEMBER = "board_member", _("Beiratsmitglied")
    OFFICE = "office", _("Fachamt")
    CLERK = "clerk", _("Sitzungsdienst")
    ADMIN = "admin", _("Administration")
    # Reads the link between board members' accounts and their pseudonyms, and nothing else.
    PRIVACY = "privacy", _("Datenschutz")


# Roles that see personal data or publish for the city: a second factor is required.
ROLES_REQUIRING_TWO_FACTOR = frozenset({Role.TRIAGE, Role.CLERK, Role.ADMIN, Role.PRIVACY})

AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The roles of a user, read once per request object and cached on it."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_beirat_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        setattr(user, "_beirat_roles", cached)  # noqa: B010  (a cache, not a model field)
    return cached


def has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff_member(user: AnyUser) -> bool:
    """Anyone who works in the workplace: every role except the public."""
    return bool(roles_of(user))


def needs_two_factor(user: AnyUser) -> bool:
    return bool(roles_of(user) & ROLES_REQUIRING_TWO_FACTOR)
