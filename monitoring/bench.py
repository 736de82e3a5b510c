"""The monitoring's pages for ``bench_pages``; ``pestor.bench`` describes the module."""

from django.urls import reverse

from pestor.bench import BenchPage
from pestor.demo import MONITORING, TORUN

from .models import CooperationProgramme, Indicator


def pages() -> list[BenchPage]:
    found = [
        BenchPage("monitoring", "dashboards index", reverse("monitoring:dashboard-index"), "list"),
        BenchPage("monitoring", "team home", reverse("monitoring:team"), "list", MONITORING.email),
    ]
    adopted = CooperationProgramme.objects.adopted()
    slugs = [TORUN.slug]
    other = adopted.exclude(municipality__slug=TORUN.slug).order_by("pk")
    other_slug = other.values_list("municipality__slug", flat=True).first()
    if other_slug:
        slugs.append(other_slug)
    for slug in slugs:
        if not adopted.filter(municipality__slug=slug).exists():
            continue
        where = "Toruń" if slug == TORUN.slug else "generated"
        kwargs = {"slug": slug}
        found += [
            BenchPage(
                "monitoring",
                f"dashboard ({where})",
                reverse("monitoring:dashboard", kwargs=kwargs),
                "dashboard",
            ),
            BenchPage(
                "monitoring",
                f"indicators CSV ({where})",
                reverse("monitoring:dashboard-csv", kwargs=kwargs),
                "export",
            ),
            BenchPage(
                "monitoring",
                f"indicators XLSX ({where})",
                reverse("monitoring:dashboard-xlsx", kwargs=kwargs),
                "export",
            ),
        ]
    programme = adopted.filter(municipality__slug=TORUN.slug).values_list("pk", flat=True).first()
    if programme:
        kwargs = {"pk": programme}
        found += [
            BenchPage(
                "monitoring",
                "programme, team",
                reverse("monitoring:programme-detail", kwargs=kwargs),
                "detail",
                MONITORING.email,
            ),
            BenchPage(
                "monitoring",
                "reports, team",
                reverse("monitoring:report-list", kwargs=kwargs),
                "list",
                MONITORING.email,
            ),
        ]
        indicator = (
            Indicator.objects.filter(programme_id=programme, source=Indicator.MANUAL)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if indicator:
            found.append(
                BenchPage(
                    "monitoring",
                    "measurements, team",
                    reverse(
                        "monitoring:measurement-list",
                        kwargs={"pk": programme, "indicator_pk": indicator},
                    ),
                    "list",
                    MONITORING.email,
                )
            )
    return found
