from django.conf import settings

from phucvu.core.nav import entries_for, grouped


def site(request) -> dict:
    context = {"SITE_NAME": "Phục Vụ", "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL, "nav_entries": []}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        staff = getattr(user, "staff", None) if hasattr(user, "staff") else None
        context["current_staff"] = staff
        context["nav_entries"] = entries_for(staff.role if staff else None, superuser=user.is_superuser)
        context["nav_groups"] = grouped(context["nav_entries"])
    return context
