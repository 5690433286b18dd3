from django.urls import path

from ratusha.website.acts import views, views_office

app_name = "acts"
urlpatterns = [
    path("", views.act_list, name="list"),
    path("feed/", views.feed, name="feed"),
    path("office/", views_office.office, name="office"),
    path("office/new/", views_office.draft_new, name="office_new"),
    path("office/topics/", views_office.topics, name="office_topics"),
    path("office/topics/<uuid:pk>/", views_office.topics, name="office_topic"),
    path("office/<uuid:pk>/publish/", views_office.draft_publish, name="office_publish"),
    path("office/<uuid:pk>/link/", views_office.draft_link, name="office_link"),
    path("office/<uuid:pk>/withdraw/", views_office.draft_withdraw, name="office_withdraw"),
    path("office/<uuid:pk>/edit/", views_office.act_edit, name="office_edit"),
    path("<slug:segment>/<int:year>/<slug:slug>/", views.act_detail, name="detail"),
    path("<slug:segment>/<int:year>/<slug:slug>/pdf/", views.act_pdf, name="pdf"),
]
