from django.urls import path

from phucvu.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("counts/", views.inspection_counts, name="counts"),
]
