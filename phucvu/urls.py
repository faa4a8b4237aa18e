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

APPS = ["organization", "workcalendar", "catalog", "dossiers", "reports", "portal", "discipline",
        "inspections", "notifications", "demo"]

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("home/", organization_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
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

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
