from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from phucvu.api import api
from phucvu.core import views as core_views
from phucvu.organization import views as organization_views
from phucvu.organization.forms import ThrottledLoginForm

admin.site.site_header = "Quản trị Phục Vụ"
admin.site.site_title = "Phục Vụ"

# The apps with pages (the demo has none of its own: its section is on the landing page).
APPS = ["organization", "workcalendar", "catalog", "dossiers", "reports", "portal", "discipline",
        "inspections", "notifications"]

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("home/", organization_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, a JSON answer).
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledLoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
urlpatterns += [path(f"{app}/", include(f"phucvu.{app}.urls")) for app in APPS]

# The error pages in the house layout (phucvu/core/error_pages.py).
handler400 = "phucvu.core.error_pages.bad_request"
handler403 = "phucvu.core.error_pages.permission_denied"
handler404 = "phucvu.core.error_pages.page_not_found"
handler500 = "phucvu.core.error_pages.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
