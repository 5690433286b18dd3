"""Answers to appeals become PERSONAL (Law 2297-VI; docs/legal.md §7).

Answer letters used to be registered INTERNAL with the applicant's full name as correspondent, so any
employee of the organisation could open them and find them by the applicant's surname. From now on the
registry makes every answer to an appeal PERSONAL; this migration does the same for the cards already
there: every card linked «Відповідь на» an appeal's card (kind «appeal» or registered in an appeals
journal) and every card recorded as an appeal's answer. Who registered the card, its executor and the
author of its resolution keep access (``registry.selectors.visibility_q``); the office search reads
visibility from the cards themselves, so nothing needs re-indexing.
"""

from django.db import migrations
from django.db.models import Q


def answers_make_personal(apps, schema_editor):
    Document = apps.get_model("registry", "Document")
    DocumentLink = apps.get_model("registry", "DocumentLink")
    Appeal = apps.get_model("appeals", "Appeal")
    appeal_cards = Document.objects.filter(Q(kind="appeal") | Q(journal__kind="appeals")).values("pk")
    linked = DocumentLink.objects.filter(kind="answer_to", target_id__in=appeal_cards).values("source_id")
    recorded = Appeal.objects.filter(answer_document__isnull=False).values("answer_document_id")
    return (
        Document.objects.filter(Q(pk__in=linked) | Q(pk__in=recorded))
        .exclude(access="personal")
        .update(access="personal")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_decision_and_sign_marks"),
        ("registry", "0002_list_order_indexes"),
    ]

    operations = [migrations.RunPython(answers_make_personal, migrations.RunPython.noop)]
