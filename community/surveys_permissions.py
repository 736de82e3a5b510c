"""Who may do what with the competence surveys (imported by ``community.permissions``).

- The monitoring team of a municipality (and the administrator) builds, publishes and reads the
  results of the municipality's surveys, and creates trainings from them; while a published
  survey is open, they may give it a later deadline.
- A survey is answered, while open, by the people it is addressed to: members of a verified PES
  and officials of the survey's municipality; once each (the service says so on a second try).
"""

from directory.permissions import verified_organisation_ids
from pestor import roles
from pestor.permissions import rule

from .surveys_models import RespondentGroup, Survey


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rule("community.create_survey")
def can_create_survey(user, obj=None):
    return roles.is_administrator(user) or bool(roles.monitoring_municipality_ids(user))


@rule("community.manage_survey")
def can_manage_survey(user, survey: Survey):
    return roles.is_administrator(user) or roles.is_monitoring_member(user, survey.municipality_id)


@rule("community.edit_survey")
def can_edit_survey(user, survey: Survey):
    """Questions change only before publication: later they would mix answers to two texts."""
    return survey.status == Survey.Status.DRAFT and can_manage_survey(user, survey)


@rule("community.extend_survey")
def can_extend_survey(user, survey: Survey):
    """An open survey's deadline may move later (its questions stay as they are); a closed one
    is not opened again: its results may already be in use."""
    return survey.is_open() and can_manage_survey(user, survey)


def respondent_groups(user, survey: Survey) -> list[str]:
    """The groups of the survey the user belongs to (both, for an official who also works for a
    PES, when the survey asks both)."""
    if not _signed_in(user):
        return []
    groups = []
    addressed = survey.groups()
    if RespondentGroup.PES in addressed and verified_organisation_ids(user):
        groups.append(RespondentGroup.PES)
    if RespondentGroup.OFFICIALS in addressed and roles.is_official(user, survey.municipality_id):
        groups.append(RespondentGroup.OFFICIALS)
    return groups


@rule("community.answer_survey")
def can_answer_survey(user, survey: Survey):
    return survey.is_open() and bool(respondent_groups(user, survey))


@rule("community.view_survey")
def can_view_survey(user, survey: Survey):
    """The survey's page: for the team, and for the people it is addressed to once published."""
    if can_manage_survey(user, survey):
        return True
    return survey.status == Survey.Status.PUBLISHED and bool(respondent_groups(user, survey))
