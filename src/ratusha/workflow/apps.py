from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _recompute(*, actor) -> int:
    from ratusha.workflow.services import deadlines_recompute

    return deadlines_recompute(actor=actor)


def _digest(on_date):
    from ratusha.workflow.digest import workflow_digest

    return workflow_digest(on_date)


class WorkflowConfig(AppConfig):
    name = "ratusha.workflow"
    label = "workflow"
    verbose_name = _("Резолюції, доручення і контроль виконання")

    def ready(self) -> None:
        # Rule-based deadlines are recomputed after a calendar change (docs/legal.md §1); the daily digest
        # carries each person's due and overdue assignments.
        from ratusha.calendar.recompute import register_recomputer
        from ratusha.notifications.digest import register_digest_provider

        register_recomputer("workflow", _recompute)
        register_digest_provider(_digest)
