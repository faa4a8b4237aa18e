from django.urls import path

from phucvu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("06/", views.form06, name="form06"),
    path("ho-so/", views.drilldown, name="drilldown"),
    path("766/", views.index766, name="index766"),
    path("cong-khai/", views.public, name="public"),
    path("cong-khai.csv", views.public_csv, name="public_csv"),
]
