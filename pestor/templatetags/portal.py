from django import template

from pestor import roles
from pestor.permissions import has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    """``{% can "directory.edit_organisation" organisation as allowed %}``"""
    return has_permission(action, context["request"].user, obj)


@register.filter
def mfa_required(user):
    """``{% if user|mfa_required %}``: the user's role requires two-step verification."""
    return roles.mfa_required(user)


@register.simple_tag(takes_context=True)
def url_with_page(context, page_number):
    """The current URL's query with ``page`` replaced, for pagination links."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.simple_tag
def elided_pages(page_obj):
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.simple_tag
def chart(figure, prefix, key):
    """A figure's progress bar as inline SVG (``pestor.charts``), its id ``prefix-key`` unique
    on the page; show ``{% chart_text figure %}`` beside it, the same figures in words."""
    from pestor.charts import progress_bar

    return progress_bar(figure, chart_id=f"{prefix}-{key}")


@register.simple_tag
def chart_text(figure):
    from pestor.charts import describe

    return describe(figure)
