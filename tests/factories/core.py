import factory
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from beirat.core.models import User
from beirat.core.roles import ROLES_REQUIRING_TWO_FACTOR, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@stadt.example")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.django.Password("Sehr-sicheres-Passwort-1")


def user_with_role(role: Role, **kwargs) -> User:
    """An account in ``role``; roles that require two factors get a TOTP authenticator."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    if role in ROLES_REQUIRING_TWO_FACTOR:
        Authenticator.objects.create(
            # A valid base32 secret: the second-factor forms decode it when a code is entered.
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": "JBSWY3DPEHPK3PXP"},
        )
    return user
