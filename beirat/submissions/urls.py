from django.urls import path

from beirat.submissions import office_views, similarity_views, staff_views, views

app_name = "submissions"
staff = "arbeitsplatz/eingaben/"
office = "arbeitsplatz/amt/"

urlpatterns = [
    path("eingaben/", views.lookup, name="lookup"),
    path("eingaben/neu/", views.new, name="new"),
    path("eingaben/<str:code>/", views.track, name="track"),
    path("eingaben/<str:code>/ergaenzen/", views.add_information, name="add_information"),
    path("eingaben/<str:code>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("eingaben/<str:code>/kontaktdaten-loeschen/", views.erase_contact, name="erase_contact"),
    path("eingaben/<str:code>/meine-daten/", views.export, name="export"),
    path("eingaben/<str:code>/beleg.pdf", views.receipt, name="receipt"),
    path("eingaben/<str:code>/anhang/<int:pk>/", views.attachment, name="attachment"),
    path(
        "eingaben/<str:code>/bestaetigen/<str:token>/",
        views.confirm_email,
        name="confirm_email",
    ),
    path(staff, staff_views.queue, name="queue"),
    path(f"{staff}auswahl/", staff_views.bulk, name="staff_bulk"),
    path(f"{staff}auswahl/abschliessen/", staff_views.bulk_close, name="staff_bulk_close"),
    path(f"{staff}<int:pk>/", staff_views.detail, name="staff_detail"),
    path(f"{staff}<int:pk>/zustaendig/", staff_views.assign, name="staff_assign"),
    path(f"{staff}<int:pk>/thema/", staff_views.set_topic, name="staff_topic"),
    path(f"{staff}<int:pk>/notiz/", staff_views.add_note, name="staff_note"),
    path(f"{staff}<int:pk>/antworten/", staff_views.reply, name="staff_reply"),
    path(f"{staff}<int:pk>/weiterleiten/", staff_views.forward, name="staff_forward"),
    path(
        f"{staff}weiterleitung/<int:pk>/anhaenge/",
        staff_views.release_attachments,
        name="staff_release_attachments",
    ),
    path(f"{staff}<int:pk>/zusammenfuehren/", staff_views.merge, name="staff_merge"),
    path(
        f"{staff}<int:pk>/nicht-aehnlich/",
        similarity_views.not_similar,
        name="staff_not_similar",
    ),
    path(
        f"{staff}aehnlichkeit/urteile.csv",
        similarity_views.export_labels,
        name="staff_similarity_labels",
    ),
    path(f"{staff}<int:pk>/ablehnen/", staff_views.decline, name="staff_decline"),
    path(f"{staff}anhang/<int:pk>/", staff_views.attachment, name="staff_attachment"),
    path(f"{staff}themen/", staff_views.topics, name="staff_topics"),
    path(f"{staff}themen/neu/", staff_views.topic_edit, name="staff_topic_new"),
    path(f"{staff}themen/<int:pk>/", staff_views.topic_edit, name="staff_topic_edit"),
    path(f"{staff}textbausteine/", staff_views.text_blocks, name="staff_text_blocks"),
    path(f"{staff}textbausteine/neu/", staff_views.text_block_edit, name="staff_text_block_new"),
    path(
        f"{staff}textbausteine/<int:pk>/",
        staff_views.text_block_edit,
        name="staff_text_block_edit",
    ),
    path(office, office_views.office, name="office"),
    path(f"{office}<int:pk>/", office_views.forwarding, name="office_forwarding"),
    path(f"{office}<int:pk>/annehmen/", office_views.accept, name="office_accept"),
    path(f"{office}<int:pk>/zurueckgeben/", office_views.hand_back, name="office_hand_back"),
    path(f"{office}<int:pk>/stand/", office_views.progress, name="office_progress"),
    path(f"{office}<int:pk>/abschliessen/", office_views.close, name="office_close"),
    path(
        f"{office}<int:pk>/anhang/<int:attachment_pk>/",
        office_views.attachment,
        name="office_attachment",
    ),
]
