from django.urls import path

from phucvu.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("counts/", views.inspection_counts, name="counts"),
    path("new/", views.inspection_new, name="new"),
    path("rotations/", views.rotations, name="rotations"),
    path("now/", views.watch, name="watch"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/<slug:action>/", views.plan_act, name="plan_act"),
    path("plans/items/<int:pk>/open/", views.plan_item_open, name="plan_item_open"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/evidence/", views.evidence_file, name="evidence"),
    path("recommendations/<int:pk>/<slug:action>/", views.recommendation_act, name="recommendation_act"),
    path("relations/", views.relation_list, name="relations"),
    path("relations/<int:pk>/", views.relation_detail, name="relation"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("records/<int:pk>/file/", views.record_file, name="record_file"),
    path("checks/<int:pk>/photo/", views.check_photo, name="check_photo"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.inspection_act, name="act"),
]
