from django.urls import path

from beirat.core.feeds import kept
from beirat.council import feeds, staff_views, views

app_name = "council"

staff = "arbeitsplatz/rat/"

urlpatterns = [
    path("vorlagen/", views.papers, name="papers"),
    path("vorlagen/feed/", kept(feeds.PapersFeed()), name="papers_feed"),
    path("vorlagen/<str:reference>/", views.paper, name="paper"),
    path("vorlagen/<str:reference>/pdf/", views.paper_pdf, name="paper_pdf"),
    path(
        "vorlagen/<str:reference>/anlagen/<int:pk>/",
        views.attachment_download,
        name="paper_attachment",
    ),
    path("sitzungen/", views.meetings, name="meetings"),
    path("sitzungen/feed/", kept(feeds.MeetingsFeed()), name="meetings_feed"),
    path("sitzungen/kalender.ics", views.calendar, name="calendar"),
    path("sitzungen/<int:pk>/", views.meeting, name="meeting"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_calendar, name="meeting_calendar"),
    path("sitzungen/<int:pk>/einladung.pdf", views.meeting_invitation, name="meeting_invitation"),
    path("sitzungen/<int:pk>/niederschrift.pdf", views.meeting_minutes, name="meeting_minutes"),
    path(
        "gremien/<slug:slug>/feed/",
        kept(feeds.CommitteeFeed()),
        name="committee_feed",
    ),
    path("gremien/<slug:slug>/kalender.ics", views.committee_calendar, name="committee_calendar"),
    path("beschlusskontrolle/", views.mandates, name="mandates"),
    path(staff, staff_views.workplace, name="workplace"),
    path(f"{staff}vorlagen/", staff_views.paper_list, name="staff_papers"),
    path(f"{staff}vorlagen/neu/", staff_views.paper_edit, name="staff_paper_new"),
    path(f"{staff}vorlagen/<int:pk>/", staff_views.paper_detail, name="staff_paper"),
    path(f"{staff}vorlagen/<int:pk>/bearbeiten/", staff_views.paper_edit, name="staff_paper_edit"),
    path(
        f"{staff}vorlagen/<int:pk>/registrieren/",
        staff_views.paper_register,
        name="staff_paper_register",
    ),
    path(
        f"{staff}vorlagen/<int:pk>/veroeffentlichen/",
        staff_views.paper_publish,
        name="staff_paper_publish",
    ),
    path(
        f"{staff}vorlagen/<int:pk>/zurueckziehen/",
        staff_views.paper_withdraw,
        name="staff_paper_withdraw",
    ),
    path(
        f"{staff}vorlagen/<int:paper_pk>/abschnitte/neu/",
        staff_views.section_edit,
        name="staff_section_new",
    ),
    path(f"{staff}abschnitte/<int:pk>/", staff_views.section_edit, name="staff_section_edit"),
    path(
        f"{staff}vorlagen/<int:paper_pk>/anlagen/neu/",
        staff_views.attachment_new,
        name="staff_attachment_new",
    ),
    path(
        f"{staff}anlagen/<int:pk>/umbenennen/",
        staff_views.attachment_rename,
        name="staff_attachment_rename",
    ),
    path(
        f"{staff}anlagen/<int:pk>/entfernen/",
        staff_views.attachment_remove,
        name="staff_attachment_remove",
    ),
    path(
        f"{staff}anlagen/<int:pk>/verschieben/",
        staff_views.attachment_move,
        name="staff_attachment_move",
    ),
    path(
        f"{staff}anlagen/<int:pk>/datei/",
        staff_views.attachment_download,
        name="staff_attachment_download",
    ),
    path(
        f"{staff}vorlagen/<int:paper_pk>/gremienweg/neu/",
        staff_views.consultation_new,
        name="staff_consultation_new",
    ),
    path(
        f"{staff}gremienweg/<int:pk>/ergebnis/",
        staff_views.consultation_outcome,
        name="staff_consultation_outcome",
    ),
    path(
        f"{staff}vorlagen/<int:paper_pk>/auftraege/neu/",
        staff_views.mandate_new,
        name="staff_mandate_new",
    ),
    path(f"{staff}sitzungen/", staff_views.meeting_list, name="staff_meetings"),
    path(f"{staff}sitzungen/neu/", staff_views.meeting_edit, name="staff_meeting_new"),
    path(f"{staff}sitzungen/<int:pk>/", staff_views.meeting_agenda, name="staff_meeting"),
    path(
        f"{staff}sitzungen/<int:pk>/bearbeiten/",
        staff_views.meeting_edit,
        name="staff_meeting_edit",
    ),
    path(
        f"{staff}sitzungen/<int:pk>/tagesordnung-festsetzen/",
        staff_views.agenda_fix,
        name="staff_agenda_fix",
    ),
    path(
        f"{staff}sitzungen/<int:pk>/tagesordnung-oeffnen/",
        staff_views.agenda_reopen,
        name="staff_agenda_reopen",
    ),
    path(
        f"{staff}sitzungen/<int:pk>/anwesenheit/",
        staff_views.attendance_edit,
        name="staff_attendance",
    ),
    path(
        f"{staff}sitzungen/<int:pk>/niederschrift-nichtoeffentlich.pdf",
        staff_views.closed_minutes,
        name="staff_closed_minutes",
    ),
    path(
        f"{staff}tagesordnung/<int:pk>/beschluss/", staff_views.decision_edit, name="staff_decision"
    ),
    path(
        f"{staff}tagesordnung/<int:pk>/bearbeiten/",
        staff_views.agenda_item_edit,
        name="staff_agenda_item_edit",
    ),
    path(
        f"{staff}tagesordnung/<int:pk>/entfernen/",
        staff_views.agenda_item_remove,
        name="staff_agenda_item_remove",
    ),
    path(
        f"{staff}tagesordnung/<int:pk>/verschieben/",
        staff_views.agenda_item_move,
        name="staff_agenda_item_move",
    ),
    path(f"{staff}auftraege/", staff_views.mandate_list, name="staff_mandates"),
    path(
        f"{staff}auftraege/<int:pk>/stand/",
        staff_views.mandate_progress,
        name="staff_mandate_progress",
    ),
]
