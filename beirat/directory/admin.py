from django.contrib import admin

from beirat.directory import models

for model in (
    models.Body,
    models.OrganizationalUnit,
    models.Committee,
    models.CommitteeName,
    models.Person,
    models.Membership,
    models.PartnerOrganization,
    models.PartnerContact,
    models.Cooperation,
    models.PartnerEvent,
    models.OfficeStaff,
):
    admin.site.register(model)
