from django.urls import path

from ratusha.api import views

app_name = "api_office"
urlpatterns = [
    path("", views.keys, name="keys"),
    path("keys/<uuid:pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("webhooks/<uuid:pk>/disable/", views.webhook_disable, name="webhook_disable"),
]
