from django.urls import path

from phucvu.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("intake/procedure/", views.intake_procedure, name="intake_procedure"),
    path("intake/appointment/", views.intake_preview, name="intake_preview"),
    path("register/", views.register, name="register"),
    path("register/pdf/", views.register_pdf, name="register_pdf"),
    path("access-log/", views.access_log, name="access_log"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/forms/<slug:kind>.pdf", views.form_pdf, name="form_pdf"),
    path("<int:pk>/result.pdf", views.result_document, name="result_document"),
]
