from django.urls import path

from ratusha.workflow import views

app_name = "workflow"

urlpatterns = [
    path("", views.home, name="home"),
    path("control/", views.control_board, name="control"),
    path("resolve/<uuid:document_pk>/", views.resolve, name="resolve"),
    path("resolutions/<uuid:pk>/", views.resolution_detail, name="resolution"),
    path("resolutions/<uuid:pk>/close/", views.resolution_close, name="resolution_close"),
    path("resolutions/<uuid:pk>/revoke/", views.resolution_revoke, name="resolution_revoke"),
    path("assignments/<uuid:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<uuid:pk>/accept/", views.assignment_accept, name="accept"),
    path("assignments/<uuid:pk>/start/", views.assignment_start, name="start"),
    path("assignments/<uuid:pk>/report/", views.assignment_report, name="report"),
    path("assignments/<uuid:pk>/report/accept/", views.assignment_accept_report, name="accept_report"),
    path("assignments/<uuid:pk>/report/return/", views.assignment_return, name="return"),
    path("assignments/<uuid:pk>/report/file/", views.report_file, name="report_file"),
    path("assignments/<uuid:pk>/subassign/", views.assignment_subassign, name="subassign"),
    path("assignments/<uuid:pk>/cancel/", views.assignment_cancel, name="cancel"),
    path("assignments/<uuid:pk>/deadline/", views.deadline_request, name="deadline_request"),
    path("deadline-requests/<uuid:pk>/decide/", views.deadline_decide, name="deadline_decide"),
]
