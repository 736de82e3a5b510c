import tempfile
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from directory import selectors as directory_selectors
from pestor import selectors as pestor_selectors
from pestor.exports import FORMATS, NUMBER, Column, export_response

from . import datasets, dcat, selectors
from .forms import LedgerMunicipalityForm
from .ledger import ledger

# How far back "since a date" reaches; older changes are in the yearly files.
SINCE_DAYS = 31


class CatalogueView(TemplateView):
    template_name = "opendata/catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entries=selectors.catalogue(),
            licence_name=settings.OPEN_DATA_LICENCE_NAME,
            licence_url=settings.OPEN_DATA_LICENCE_URL,
            publisher=settings.OPEN_DATA_PUBLISHER,
            since_days=SINCE_DAYS,
            since_example=(timezone.localdate() - timedelta(days=7)).isoformat(),
            ledger_form=LedgerMunicipalityForm(),
        )
        return context


class DcatView(View):
    """The catalogue as DCAT-AP: RDF/XML (``katalog.rdf``) or JSON-LD (``katalog.jsonld``)."""

    FORMATS = {"rdf": ("xml", "application/rdf+xml"), "jsonld": ("json-ld", "application/ld+json")}

    def get(self, request, fmt):
        serializer, content_type = self.FORMATS[fmt]
        with translation.override("pl"):
            graph = dcat.catalogue_graph(
                selectors.catalogue(), catalogue_url=reverse("opendata:catalogue")
            )
        return HttpResponse(graph.serialize(format=serializer), content_type=content_type)


class DatasetFileView(View):
    """A dataset's file as last built, with its build time as Last-Modified."""

    def get(self, request, dataset, variant, fmt):
        if dataset not in datasets.DATASETS:
            raise Http404
        found = selectors.dataset_file_get(dataset=dataset, variant=variant, fmt=fmt)
        response = FileResponse(
            found.file.open("rb"),
            content_type=datasets.MEDIA_TYPES.get(fmt, "application/octet-stream"),
            filename=f"{dataset}-{variant}.{fmt}",
        )
        response["Last-Modified"] = http_date(found.built_at.timestamp())
        return response


class ReleasesSinceView(View):
    """The releases of the last days (``?od=YYYY-MM-DD``, at most SINCE_DAYS back), built for
    the request: a bounded slice; the years are in the built files."""

    def get(self, request):
        today = timezone.localdate()
        try:
            since_day = date.fromisoformat(request.GET.get("od", ""))
        except ValueError:
            return self._refuse(_("Give the date as YYYY-MM-DD in the parameter od."))
        if since_day > today:
            return self._refuse(_("The date cannot be in the future."))
        if since_day < today - timedelta(days=SINCE_DAYS):
            return self._refuse(
                _(
                    "The releases of at most the last %(days)s days are given here; older ones "
                    "are in the yearly files of the catalogue."
                )
                % {"days": SINCE_DAYS}
            )
        since = timezone.make_aware(datetime.combine(since_day, time.min))
        # FileResponse closes the file when the response is done.
        stream = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        with translation.override("pl"):
            datasets.write_ocds_releases(stream, "all", "json", since=since)
        stream.seek(0)
        return FileResponse(stream, content_type=datasets.MEDIA_TYPES["json"])

    def _refuse(self, message):
        return JsonResponse({"error": message}, status=400)


LEDGER_COLUMNS = (
    Column(gettext_lazy("Year"), lambda row: row[0], NUMBER),
    Column(gettext_lazy("Kind of support"), lambda row: row[1]),
    Column(pgettext_lazy("ledger column", "How many"), lambda row: row[2], NUMBER),
    Column(gettext_lazy("Value (PLN)"), lambda row: row[3], NUMBER),
)


class OrganisationLedgerExportView(View):
    """An organisation's ledger as CSV or XLSX (public for a public organisation)."""

    def get(self, request, slug, fmt):
        if fmt not in FORMATS:
            raise Http404
        organisation = directory_selectors.organisation_get_for_user(user=request.user, slug=slug)
        return export_response(
            rows=ledger(organisation=organisation).rows(),
            columns=LEDGER_COLUMNS,
            filename=f"wsparcie-{organisation.slug}",
            fmt=fmt,
        )


class LedgerFindView(TemplateView):
    """The catalogue's form: the named municipality's ledger, or the form again with what was
    typed and a message in Polish."""

    template_name = "opendata/ledger_find.html"

    def get(self, request, *args, **kwargs):
        form = LedgerMunicipalityForm(request.GET or None)
        if form.is_valid():
            municipality = form.cleaned_data["gmina"]
            if municipality is not None:
                return redirect("opendata:ledger", slug=municipality.slug)
            form.add_error("gmina", form.fields["gmina"].error_messages["required"])
        return self.render_to_response(self.get_context_data(form=form))


class MunicipalityLedgerView(TemplateView):
    """What a municipality bought from and gave to PES, per year and kind, summed."""

    template_name = "opendata/municipality_ledger.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = pestor_selectors.municipality_get(slug=self.kwargs["slug"])
        context.update(municipality=municipality, ledger=ledger(municipality=municipality))
        return context


class MunicipalityLedgerExportView(View):
    def get(self, request, slug, fmt):
        if fmt not in FORMATS:
            raise Http404
        municipality = pestor_selectors.municipality_get(slug=slug)
        return export_response(
            rows=ledger(municipality=municipality).rows(),
            columns=LEDGER_COLUMNS,
            filename=f"wsparcie-pes-{municipality.slug}",
            fmt=fmt,
        )
