from django.urls import path

from ratusha.calendar import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.index, name="index"),
    path("martial-law/add/", views.period_add, name="period-add"),
    path("martial-law/<uuid:pk>/edit/", views.period_edit, name="period-edit"),
    path("martial-law/<uuid:pk>/remove/", views.period_remove, name="period-remove"),
    path("days/add/", views.override_add, name="override-add"),
    path("days/<uuid:pk>/remove/", views.override_remove, name="override-remove"),
    path("settings/shift/", views.shift_set, name="shift"),
    path("settings/terms/", views.terms_set, name="terms"),
    path("recompute/", views.recompute, name="recompute"),
]
