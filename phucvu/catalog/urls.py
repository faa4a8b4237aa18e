from django.urls import path

from phucvu.catalog import views

app_name = "catalog"
urlpatterns = [
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/picker/", views.procedure_picker, name="procedure_picker"),
]
