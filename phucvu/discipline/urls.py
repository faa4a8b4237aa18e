from django.urls import path

from phucvu.discipline.views import (
    breaches,
    cases,
    commitments,
    emulation,
    evaluation,
    printing,
    staff,
    tasks,
)

app_name = "discipline"
urlpatterns = [
    path("", breaches.violation_list, name="violation_list"),
    path("breaches/new/", breaches.violation_new, name="violation_new"),
    path("breaches/<int:violation_id>/", breaches.violation_detail, name="violation_detail"),
    path("breaches/<int:violation_id>/evidence/<int:evidence_id>/", breaches.evidence_file, name="evidence_file"),
    path("signals/", breaches.signal_list, name="signal_list"),
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/<int:text_id>/", commitments.commitment_detail, name="commitment_detail"),
    path("evaluation/", evaluation.sheet_list, name="sheet_list"),
    path("evaluation/open/", evaluation.sheet_open, name="sheet_open"),
    path("evaluation/sheets/<int:sheet_id>/", evaluation.sheet_detail, name="sheet_detail"),
    path("evaluation/grades/", evaluation.grades, name="grades"),
    path("evaluation/grades/<int:agency_id>/", evaluation.ranking, name="ranking"),
    path("evaluation/grades/<int:agency_id>/national.csv", printing.national_export, name="national_export"),
    path("evaluation/sheets/<int:sheet_id>/pdf/", printing.sheet_pdf, name="sheet_pdf"),
    path("staff/<int:staff_id>/year.pdf", printing.year_pdf, name="year_pdf"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("tasks/", tasks.task_mine, name="task_mine"),
    path("tasks/overview/", tasks.task_overview, name="task_overview"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("tasks/items/", tasks.item_list, name="item_list"),
    path("emulation/", emulation.campaign_list, name="campaign_list"),
    path("emulation/<int:campaign_id>/", emulation.campaign_detail, name="campaign_detail"),
    path("emulation/awards/", emulation.award_list, name="award_list"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
]
