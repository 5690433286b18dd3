"""A delivery keeps the file versions that were sent with it (``DeliveryFile``).

Deliveries made before this migration did not record what was sent. The best available is used:
for a delivery already registered by the addressee, the sender's file versions whose bytes the
registered card holds (registration copies them byte for byte, so these are exactly what was sent);
for every other delivery, the sender's card's current files as of this migration — a file added to
or replaced in the card between sending and now cannot be told apart and is taken as sent.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def record_existing(apps, schema_editor):
    Delivery = apps.get_model("exchange", "Delivery")
    DeliveryFile = apps.get_model("exchange", "DeliveryFile")
    DocumentFile = apps.get_model("registry", "DocumentFile")
    rows = []
    for delivery in Delivery.objects.filter(document__isnull=False).iterator():
        files = []
        if delivery.registered_document_id:
            received = set(DocumentFile.objects.filter(document_id=delivery.registered_document_id, is_current=True)
                           .values_list("blob_id", flat=True))
            seen = set()
            for f in DocumentFile.objects.filter(document_id=delivery.document_id,
                                                 blob_id__in=received).order_by("created_at"):
                if f.blob_id not in seen:
                    seen.add(f.blob_id)
                    files.append(f)
        if not files:
            files = list(DocumentFile.objects.filter(document_id=delivery.document_id, is_current=True)
                         .order_by("created_at"))
        rows += [DeliveryFile(delivery_id=delivery.pk, file_id=f.pk, position=i) for i, f in enumerate(files, 1)]
        if len(rows) >= 500:
            DeliveryFile.objects.bulk_create(rows)
            rows = []
    DeliveryFile.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0002_between_installations'),
        ('registry', '0002_list_order_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeliveryFile',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='створено')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='змінено')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sent_files', to='exchange.delivery')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.documentfile')),
            ],
            options={
                'verbose_name': 'надісланий файл',
                'verbose_name_plural': 'надіслані файли',
                'ordering': ['delivery', 'position'],
                'constraints': [models.UniqueConstraint(fields=('delivery', 'file'), name='exchange_delivery_file_unique')],
            },
        ),
        migrations.RunPython(record_existing, migrations.RunPython.noop),
    ]
