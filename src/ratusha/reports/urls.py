from django.urls import path

from ratusha.reports import appeals_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("execution/", views.execution, name="execution"),
    path("execution.xlsx", views.execution_xlsx, name="execution-xlsx"),
    path("execution.csv", views.execution_csv, name="execution-csv"),
    path("appeals/", appeals_views.appeals, name="appeals"),
    path("appeals.xlsx", appeals_views.appeals_xlsx, name="appeals-xlsx"),
    path("appeals.csv", appeals_views.appeals_csv, name="appeals-csv"),
    path("appeals-lists.csv", appeals_views.appeals_lists_csv, name="appeals-lists-csv"),
]
