"""Included from ``registry/urls.py`` under ``generate/`` (namespace ``registry:generation``)."""

from django.urls import path

from ratusha.registry.generation import views

app_name = "generation"

urlpatterns = [
    path("documents/<uuid:pk>/", views.document_generate, name="document"),
    path("documents/<uuid:pk>/download/", views.document_download, name="download"),
    path("drafts/new/", views.draft_from_template, name="draft_new"),
    path("drafts/<uuid:pk>/", views.draft_created, name="draft_created"),
    path("drafts/<uuid:pk>/docx/", views.draft_docx, name="draft_docx"),
]
