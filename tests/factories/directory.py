import datetime

import factory

from beirat.directory.models import (
    Body,
    Committee,
    Cooperation,
    LegislativeTerm,
    Membership,
    OrganizationalUnit,
    PartnerContact,
    PartnerEvent,
    PartnerOrganization,
    Person,
)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ["name"]

    name = "Stadt Koblenz"
    short_name = "Koblenz"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationalUnit

    body = factory.SubFactory(BodyFactory)
    kind = OrganizationalUnit.Kind.OFFICE
    # Far from the two-digit numbers that tests give real offices ("80"), which must not collide.
    number = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Amt Nummer {n}")
    public_name = factory.LazyAttribute(lambda unit: unit.name)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    body = factory.SubFactory(BodyFactory)
    kind = Committee.Kind.COMMITTEE
    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    slug = factory.Sequence(lambda n: f"ausschuss-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Max"
    family_name = factory.Sequence(lambda n: f"Beispiel{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganization

    name = factory.Sequence(lambda n: f"Partner {n} e.V.")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = PartnerOrganization.Kind.ASSOCIATION


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory)


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    function = "Chief Digital Officer (CDO)"


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Kooperation {n}")


class PartnerEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerEvent

    partner = factory.SubFactory(PartnerFactory)
    kind = PartnerEvent.Kind.STARTUP_SLAM
    title = "Start-Up-Slam"


class PublicPersonFactory(PersonFactory):
    """A person the public may name, e.g. an elected council member."""

    public = True


class FractionFactory(CommitteeFactory):
    kind = Committee.Kind.FRACTION
    name = factory.Sequence(lambda n: f"Fraktion {n}")
    slug = factory.Sequence(lambda n: f"fraktion-{n}")


class LegislativeTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegislativeTerm

    body = factory.SubFactory(BodyFactory)
    name = "Wahlperiode 2024–2029"
    start_date = datetime.date(2024, 7, 1)
    end_date = datetime.date(2029, 6, 30)
