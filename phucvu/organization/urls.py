from django.urls import path

from phucvu.organization import views

app_name = "organization"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("staff/", views.staff_list, name="staff_list"),
]
