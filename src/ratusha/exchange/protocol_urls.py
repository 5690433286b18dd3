from django.urls import path

from ratusha.exchange import views_protocol

app_name = "exchange_protocol"
urlpatterns = [
    path("", views_protocol.root, name="root"),
    path("messages", views_protocol.messages, name="messages"),
]
