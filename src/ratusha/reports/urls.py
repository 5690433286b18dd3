from django.urls import path

from ratusha.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("execution/", views.execution, name="execution"),
    path("execution.xlsx", views.execution_xlsx, name="execution-xlsx"),
    path("execution.csv", views.execution_csv, name="execution-csv"),
]
