"""Office addresses of signatures (mounted at /office/signatures/)."""

from django.urls import path

from ratusha.signatures import views, views_documents

app_name = "signatures"
urlpatterns = [
    path("", views.keys, name="keys"),
    path("import/", views.key_import, name="import"),
    path("issue/", views.key_issue, name="issue"),
    path("keys/<uuid:pk>/certificate.cer", views.certificate, name="certificate"),
    path("keys/<uuid:pk>/revoke/", views.revoke, name="revoke"),
    path("mine/", views.my_signatures, name="mine"),
    path("verify/", views.office_verify, name="verify"),
    path("admin/", views.admin, name="admin"),
    path("admin/ca/", views.ca_create, name="ca_create"),
    path("admin/trust/", views.trust_add, name="trust_add"),
    path("admin/trust/<uuid:pk>/remove/", views.trust_remove, name="trust_remove"),
    path("admin/seals/", views.seal_issue, name="seal_issue"),
    path("document/<uuid:pk>/", views_documents.document_signatures, name="document"),
    path("document/<uuid:pk>/sign/", views_documents.document_sign, name="document_sign"),
    path("document/<uuid:pk>/files/<uuid:file_pk>/cades/", views_documents.file_cades, name="file_cades"),
    path("document/<uuid:pk>/asice/", views_documents.document_asice, name="asice"),
    path("records/<uuid:pk>/download/", views_documents.record_download, name="record_download"),
]
