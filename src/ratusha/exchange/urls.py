from django.urls import path

from ratusha.exchange import views, views_ops

app_name = "exchange"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("in/<uuid:pk>/", views.inbox_item, name="inbox_item"),
    path("in/<uuid:pk>/files/<uuid:file_pk>/", views.inbox_file, name="inbox_file"),
    path("in/<uuid:pk>/package.asice", views.inbox_package, name="inbox_package"),
    path("sent/", views.sent, name="sent"),
    path("send/<uuid:pk>/", views.send, name="send"),
    # «Обмін: операції» (administrators): the outbox, the inbound log, the directory, our participants.
    path("ops/", views_ops.ops, name="ops"),
    path("ops/outbox/<uuid:pk>/retry/", views_ops.outbox_retry, name="ops_outbox_retry"),
    path("ops/outbox/<uuid:pk>/resend/", views_ops.outbox_resend, name="ops_outbox_resend"),
    path("ops/peers/add/", views_ops.peer_add, name="ops_peer_add"),
    path("ops/peers/<uuid:pk>/", views_ops.peer_edit, name="ops_peer_edit"),
    path("ops/peers/<uuid:pk>/active/", views_ops.peer_active, name="ops_peer_active"),
    path("ops/participants/enable/", views_ops.participant_enable, name="ops_participant_enable"),
    path("ops/participants/<uuid:pk>/disable/", views_ops.participant_disable, name="ops_participant_disable"),
    path("ops/card/<uuid:pk>.json", views_ops.participant_card_json, name="ops_card"),
]
