from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Cooperation programme monitoring")

    def ready(self):
        from pestor import jobs, personal_data
        from pestor import sections as shared_sections

        from . import (
            permissions,  # noqa: F401  (registers the monitoring rules)
            sections,
            selectors,
            services,
        )
        from .models import Report, SnapshotRefresh

        jobs.register(
            Report, task="monitoring.tasks.render_report", on_failed=services.report_failed_notify
        )
        jobs.register(SnapshotRefresh, task="monitoring.tasks.compute_snapshots_now")

        shared_sections.dashboard.register(
            template="monitoring/_dashboard.html", context=sections.dashboard_panel
        )
        personal_data.register_collector(name="monitoring", collect=selectors.personal_data)
