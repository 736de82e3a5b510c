"""Background work of the premises policy: thin, idempotent tasks that call services."""

from celery import shared_task

from . import services


@shared_task
def match_call_alerts(call_pk: int) -> int:
    """E-mail the PES whose alerts match a call just published (each once)."""
    return services.alerts_match_call(call_pk=call_pk)


@shared_task
def match_premises_alerts(premises_pk: int) -> int:
    """E-mail the PES whose alerts match premises that became vacant (each once)."""
    return services.alerts_match_premises(premises_pk=premises_pk)


@shared_task
def send_report_reminders() -> int:
    """Annual reports due within two weeks or overdue (each reminder once)."""
    return services.reminders_send()


@shared_task
def extend_support_years() -> int:
    """Each January: the new year's support of leases of indefinite term."""
    return services.support_extend_indefinite()
