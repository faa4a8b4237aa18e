from django.urls import path

from phucvu.discipline import views

app_name = "discipline"
urlpatterns = [path("", views.violation_list, name="violation_list")]
