from django import template
from django.utils.safestring import mark_safe

from phucvu.core import panels as panel_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (keeps filters across pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def panels(context, page: str, obj) -> str:
    """The panels other apps registered for this page (`phucvu.core.panels`), already rendered."""
    return mark_safe("".join(panel_registry.render(page, context["request"], obj)))
