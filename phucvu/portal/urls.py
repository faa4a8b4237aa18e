from django.urls import path

from phucvu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("procedures/", views.catalogue, name="catalogue"),
    path("procedures/<int:procedure_id>/", views.catalogue_detail, name="catalogue_detail"),
    path("procedures/<int:procedure_id>/forms/<int:index>.pdf", views.catalogue_form, name="catalogue_form"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/vote/", views.vote, name="vote"),
    path("lookup/result/", views.result_copy, name="result_copy"),
    path("lookup/supplement/", views.supplement, name="supplement"),
    path("submit/", views.submit, name="submit"),
    path("submit/<int:procedure_id>/", views.submit_procedure, name="submit_procedure"),
    path("submit/done/", views.submit_done, name="submit_done"),
    path("submit/done/receipt.pdf", views.submit_receipt, name="submit_receipt"),
    path("feedback/", views.feedback_new, name="feedback_new"),
    path("feedback/done/", views.feedback_done, name="feedback_done"),
    path("feedback/lookup/", views.feedback_lookup, name="feedback_lookup"),
    path("feedback/answers/", views.feedback_answers, name="feedback_answers"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_detail, name="inbox_detail"),
    path("inbox/<int:pk>/files/<int:attachment_id>/", views.feedback_file, name="feedback_file"),
    path("dossier/<int:dossier_id>/papers/", views.papers, name="papers"),
    path("dossier/<int:dossier_id>/supplement/resume/", views.supplement_resume, name="supplement_resume"),
    path("dossier/<int:dossier_id>/papers/<int:paper_id>/", views.paper_file, name="paper_file"),
]
