from django.urls import path

from ratusha.appeals.reception import views, views_office

app_name = "reception"

urlpatterns = [
    path("", views.schedules, name="schedules"),
    path("book/<uuid:pk>/", views.book, name="book"),
    path("booked/<str:token>/", views.booked, name="booked"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("office/", views_office.day, name="office"),
    path("office/bookings/<uuid:pk>/mark/", views_office.booking_mark, name="office_mark"),
    path("office/bookings/<uuid:pk>/register/", views_office.register_appeal, name="office_register"),
    path("office/schedules/", views_office.schedule_list, name="office_schedules"),
    path("office/schedules/new/", views_office.schedule_edit, name="office_schedule_new"),
    path("office/schedules/<uuid:pk>/", views_office.schedule_edit, name="office_schedule_edit"),
]
