from django.urls import path

from ratusha.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.staff_list, name="staff"),
    path("structure/", views.structure, name="structure"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<uuid:pk>/revoke/", views.delegation_revoke, name="delegation-revoke"),
    path("import/", views.staff_import, name="import"),
    path("installation-roles/", views.installation_roles, name="installation-roles"),
    path("installation-roles/<uuid:pk>/revoke/", views.installation_role_revoke, name="installation-role-revoke"),
]
