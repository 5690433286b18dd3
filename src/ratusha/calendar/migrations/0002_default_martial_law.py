"""A new installation's calendar: martial law from 15.03.2022, open end (Law 2136-IX art. 6 part 6)."""

import datetime
import uuid

from django.db import migrations
from django.utils import timezone

BASIS = ("Указ Президента України № 64/2022 «Про введення воєнного стану в Україні», затверджений Законом "
         "№ 2102-IX; Закон № 2136-IX від 15.03.2022, ст. 6 ч. 6 (норма щодо свят — з 15.03.2022)")


def forwards(apps, schema_editor):
    state_model = apps.get_model("workcalendar", "CalendarState")
    period_model = apps.get_model("workcalendar", "MartialLawPeriod")
    version_model = apps.get_model("workcalendar", "CalendarVersion")
    if state_model.objects.exists():
        return
    state_model.objects.create(pk=1, version=1, token=uuid.uuid4(), shift="previous", term_amounts={})
    period_model.objects.create(id=uuid.uuid4(), start=datetime.date(2022, 3, 15), end=None, basis=BASIS)
    version_model.objects.create(number=1, at=timezone.now(), actor=None, action="calendar.initialise",
                                 summary="Початковий календар: воєнний стан з 15.03.2022",
                                 changes={"start": "2022-03-15", "end": None, "basis": BASIS})


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
