from django.urls import path

from ratusha.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("count/", views.unread_badge, name="count"),
    path("settings/", views.preferences, name="settings"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("<uuid:pk>/read/", views.mark_read, name="read"),
    path("<uuid:pk>/open/", views.notification_open, name="open"),
]
