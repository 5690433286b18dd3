from django.urls import path

from ratusha.appeals import views, views_actions, views_classifier

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("submitted/", views.submitted, name="submitted"),
    path("register/<slug:kind>/", views.register, name="register"),
    path("classifier/", views_classifier.classifier, name="classifier"),
    path("classifier/apply/", views_classifier.classifier_apply, name="classifier_apply"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/attachments/<uuid:att_pk>/", views.attachment_download, name="attachment"),
    path("<uuid:pk>/register/", views_actions.register_submitted, name="register_submitted"),
    path("<uuid:pk>/work/", views_actions.take_into_work, name="take"),
    path("<uuid:pk>/code/", views_actions.code, name="code"),
    path("<uuid:pk>/sign/", views_actions.sign, name="sign"),
    path("<uuid:pk>/sign/suggest/", views_actions.sign_suggest, name="sign_suggest"),
    path("<uuid:pk>/term/", views_actions.term, name="term"),
    path("<uuid:pk>/return/", views_actions.return_, name="return"),
    path("<uuid:pk>/forward/", views_actions.forward, name="forward"),
    path("<uuid:pk>/not-considered/", views_actions.not_consider, name="not_consider"),
    path("<uuid:pk>/extend/", views_actions.extend, name="extend"),
    path("<uuid:pk>/close/", views_actions.close, name="close"),
    path("<uuid:pk>/route/", views_actions.route, name="route"),
    path("<uuid:pk>/answer/", views_actions.answer, name="answer"),
]
