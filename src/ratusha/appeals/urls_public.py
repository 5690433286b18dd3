from django.urls import path

from ratusha.appeals import public_views as views

app_name = "appeals_public"

urlpatterns = [
    path("", views.services, name="services"),
    path("new/", views.new_appeal, name="new"),
    path("sent/<str:token>/", views.sent, name="sent"),
    path("track/", views.track, name="track"),
    path("track/answer/<uuid:pk>/", views.answer_download, name="answer"),
]
