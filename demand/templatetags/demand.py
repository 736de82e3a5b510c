from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def reserved_qualification(organisation):
    """Whether the organisation may answer a notice reserved under art. 94 PZP, with why."""
    from directory.selectors import qualifies_for_reserved_contract

    return qualifies_for_reserved_contract(organisation)


@register.filter
def pln(value):
    """An amount in PLN as Poles read it: "12 500,00 zł" (grouped, two decimals)."""
    if value is None or value == "":
        return ""
    return gettext("%(amount)s PLN") % {
        "amount": number_format(value, 2, use_l10n=True, force_grouping=True)
    }


EVENT_LABELS = {
    "notice.created": _("draft created"),
    "notice.updated": _("draft changed"),
    "notice.clause_checked": _("social-clause check recorded"),
    "notice.published": _("published"),
    "notice.deadline_extended": _("deadline for answers extended"),
    "notice.closed": _("closed for answers"),
    "notice.awarded": _("awarded"),
    "notice.cancelled": _("cancelled"),
    "answer.withdrawn": _("an answer withdrawn"),
    "notice.corrected": _("corrected"),
    "notice.question_asked": _("a question asked"),
    "notice.question_answered": _("a question answered"),
}


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)
