from django.urls import path

from ratusha.core import views

app_name = "core"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.otp_verify_view, name="otp_verify"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("logout/", views.logout_view, name="logout"),
]
