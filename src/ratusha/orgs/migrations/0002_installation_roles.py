"""Installation roles (docs/architecture.md rule 5), and what existing installations' people keep: the administrators
of the city council and its executive committee become installation, signatures administrators and
classifier keepers; their administrators and web editors become the council website's editors."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def grant_from_council(apps, schema_editor):
    from ratusha.orgs.services_installation import installation_roles_from_council

    installation_roles_from_council(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='InstallationRoleGrant',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='створено')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='змінено')),
                ('role', models.CharField(choices=[('installation_admin', 'Адміністратор установки'), ('website_editor', 'Редактор сайту ради'), ('signatures_admin', 'Адміністратор підписів'), ('classifier_keeper', 'Хранитель класифікатора звернень')], max_length=32, verbose_name='роль установки')),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='надано')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='відкликано')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='підстава')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='хто надав')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='хто відкликав')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='installation_role_grants', to=settings.AUTH_USER_MODEL, verbose_name='користувач')),
            ],
            options={
                'verbose_name': 'роль установки',
                'verbose_name_plural': 'ролі установки',
                'ordering': ['role', '-granted_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user', 'role'), name='installation_role_active_unique')],
            },
        ),
        migrations.RunPython(grant_from_council, migrations.RunPython.noop),
    ]
