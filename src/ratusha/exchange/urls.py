from django.urls import path

from ratusha.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("in/<uuid:pk>/", views.inbox_item, name="inbox_item"),
    path("in/<uuid:pk>/files/<uuid:file_pk>/", views.inbox_file, name="inbox_file"),
    path("in/<uuid:pk>/package.asice", views.inbox_package, name="inbox_package"),
    path("sent/", views.sent, name="sent"),
    path("send/<uuid:pk>/", views.send, name="send"),
]
