from django.urls import path

from phucvu.notifications import views

app_name = "notifications"
urlpatterns = [
    path("choice/<str:token>/", views.choice, name="choice"),
    path("hooks/esms/<str:token>/", views.esms_report, name="esms_report"),
]
