from django import template

from pestor.permissions import has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    """``{% can "directory.edit_organisation" organisation as allowed %}``"""
    return has_permission(action, context["request"].user, obj)


@register.simple_tag(takes_context=True)
def url_with_page(context, page_number):
    """The current URL's query with ``page`` replaced, for pagination links."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()
