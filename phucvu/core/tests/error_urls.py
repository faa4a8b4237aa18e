"""The project's URLs plus views that fail on purpose (for the error-page tests)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from phucvu.urls import handler400, handler403, handler404, handler500  # noqa: F401
from phucvu.urls import urlpatterns as project_urls


def missing(request):
    raise Http404("Biểu mẫu này không áp dụng cho hồ sơ.")


def refused(request):
    raise PermissionDenied("Hồ sơ thuộc đơn vị ngoài phạm vi của bạn.")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("thu/mat/", missing), path("thu/cam/", refused), path("thu/loi/", broken), *project_urls]
