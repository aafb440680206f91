import datetime

import factory
from django.utils import timezone

from beirat.council.models import AgendaItem, Attendance, Consultation, Mandate, Meeting, Paper
from tests.factories.directory import BodyFactory, CommitteeFactory, UnitFactory


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    body = factory.SubFactory(BodyFactory)
    paper_type = Paper.Type.INQUIRY
    date = datetime.date(2021, 3, 1)
    name = factory.Sequence(lambda n: f"Anfrage zur Digitalisierung {n}")


class PublishedPaperFactory(PaperFactory):
    status = Paper.Status.PUBLISHED
    type_code = "AF"
    sequence = factory.Sequence(lambda n: n + 1)
    year = 2021
    reference = factory.LazyAttribute(lambda p: f"AF/{p.sequence:04d}/2021")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
    number = factory.Sequence(lambda n: f"Ö {n + 1}")
    name = "Bericht zum Stand der Digitalisierung"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    paper = factory.SubFactory(PublishedPaperFactory)
    committee = factory.SubFactory(CommitteeFactory)


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    paper = factory.SubFactory(PublishedPaperFactory)
    title = "Beratende Mitwirkung prüfen"
    responsible_unit = factory.SubFactory(UnitFactory)


class FixedAgendaMeetingFactory(MeetingFactory):
    """A meeting whose agenda the council office has fixed: its invitation exists."""

    agenda_fixed_at = factory.LazyAttribute(lambda meeting: meeting.start - datetime.timedelta(7))


class AttendanceFactory(factory.django.DjangoModelFactory):
    """Counts only; name people with ``present_persons=[...]`` (a post-generation list)."""

    class Meta:
        model = Attendance
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    present_count = 7
    excused_count = 2

    @factory.post_generation
    def present_persons(self, create, extracted, **kwargs):
        if create and extracted:
            self.present_persons.set(extracted)

    @factory.post_generation
    def excused_persons(self, create, extracted, **kwargs):
        if create and extracted:
            self.excused_persons.set(extracted)
