from django.urls import include, path

from ratusha.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/<slug:kind>/", views.register, name="register"),
    path("documents/picker/", views.document_picker, name="picker"),
    path("documents/<uuid:pk>/", views.document_detail, name="document"),
    path("documents/<uuid:pk>/files/", views.document_file_add, name="file_add"),
    path("documents/<uuid:pk>/files/<uuid:file_pk>/version/", views.document_file_version, name="file_version"),
    path("documents/<uuid:pk>/links/", views.document_link_add, name="link_add"),
    path("documents/<uuid:pk>/cancel/", views.document_cancel, name="cancel"),
    path("documents/<uuid:pk>/status/", views.document_status, name="status"),
    path("files/<uuid:pk>/", views.file_download, name="file_download"),
    path("files/<uuid:pk>/view/", views.file_view, name="file_view"),
    path("journals/", views.journals, name="journals"),
    path("journals/<uuid:pk>/", views.journal_detail, name="journal"),
    path("generate/", include("ratusha.registry.generation.urls")),
]
