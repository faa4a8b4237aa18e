from django.urls import path

from phucvu.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.calendar_year, name="year"),
    path("days/add/", views.calendar_day_add, name="day_add"),
    path("days/<int:pk>/deactivate/", views.calendar_day_deactivate, name="day_deactivate"),
]
