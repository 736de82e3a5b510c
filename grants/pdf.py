"""The cost-benefit analysis as a PDF (WeasyPrint, ``pestor.pdf``): the same tables and charts
as the page, rendered from ``grants/analysis_pdf.html``."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pestor.pdf import html_to_pdf

from . import analysis, selectors


def analysis_context(*, competition=None, area=None) -> dict:
    """What the page and the PDF show of a competition's or an area's analysis."""
    if competition is not None:
        outcomes = selectors.competition_outcomes(competition=competition)
        return {
            "competition": competition,
            "analysis": analysis.competition_analysis(competition=competition, outcomes=outcomes),
            "budget": competition.budget,
        }
    outcomes = selectors.area_outcomes(area=area)
    competitions = selectors.area_competitions(area=area)
    return {
        "area": area,
        "competitions": competitions,
        "analysis": analysis.area_analysis(area=area, outcomes=outcomes),
        "budget": sum((competition.budget for competition in competitions), 0),
    }


def analysis_pdf(job) -> bytes:
    # Built by a worker with no request: in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        context = analysis_context(competition=job.competition, area=job.area)
        html = render_to_string(
            "grants/analysis_pdf.html", {**context, "generated_at": timezone.now()}
        )
    return html_to_pdf(html)
