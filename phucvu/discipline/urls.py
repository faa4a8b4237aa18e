from django.urls import path

from phucvu.discipline.views import breaches

app_name = "discipline"
urlpatterns = [path("", breaches.violation_list, name="violation_list")]
