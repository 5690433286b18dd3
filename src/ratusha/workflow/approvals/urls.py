from django.urls import path

from ratusha.workflow.approvals.views import drafts, route_templates

app_name = "approvals"

urlpatterns = [
    path("", drafts.index, name="index"),
    path("new/", drafts.draft_new, name="new"),
    path("drafts/<uuid:pk>/", drafts.draft_detail, name="draft"),
    path("drafts/<uuid:pk>/start/", drafts.draft_start, name="start"),
    path("drafts/<uuid:pk>/versions/", drafts.draft_version_add, name="version_add"),
    path("drafts/<uuid:pk>/withdraw/", drafts.draft_withdraw, name="withdraw"),
    path("drafts/<uuid:pk>/tasks/<uuid:task_pk>/decide/", drafts.task_decide, name="decide"),
    path("drafts/<uuid:pk>/tasks/<uuid:task_pk>/sign/", drafts.task_sign, name="sign"),
    path("versions/<uuid:pk>/", drafts.version_download, name="version_download"),
    path("versions/<uuid:pk>/view/", drafts.version_view, name="version_view"),
    path("templates/", route_templates.template_list, name="templates"),
    path("templates/new/", route_templates.template_new, name="template_new"),
    path("templates/<uuid:pk>/", route_templates.template_detail, name="template"),
    path("templates/<uuid:pk>/edit/", route_templates.template_edit, name="template_edit"),
    path("templates/<uuid:pk>/steps/", route_templates.template_step_add, name="template_step_add"),
    path("templates/<uuid:pk>/steps/<uuid:step_pk>/delete/", route_templates.template_step_remove,
         name="template_step_remove"),
]
