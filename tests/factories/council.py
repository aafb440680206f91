import datetime
import io

import factory
import pikepdf
from django.core.files.base import ContentFile
from django.utils import timezone
from pikepdf import Dictionary, Name

from beirat.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Mandate,
    Meeting,
    Paper,
    PaperAttachment,
)
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


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF with ``text`` (Windows-1252) in its text layer."""
    document = pikepdf.new()
    font = document.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )
    page = document.add_blank_page(page_size=(595, 842))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    page.obj.Contents = document.make_stream(
        f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("cp1252")
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class PaperAttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment as the upload stores it: a PDF whose text is ``text``."""

    class Meta:
        model = PaperAttachment

    paper = factory.SubFactory(PublishedPaperFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lageplan {n}")
    text = "Lageplan des Spielplatzes"
    file = factory.LazyAttribute(lambda o: ContentFile(pdf_with_text(o.text), name="anlage.pdf"))
    file_name = "anlage.pdf"
    media_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)
