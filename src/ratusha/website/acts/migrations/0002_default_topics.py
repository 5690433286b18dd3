"""The initial controlled list of topics (editors may change it afterwards)."""

from django.db import migrations

TOPICS = [
    ("biudzhet", "Бюджет і фінанси", "бюджет, фінанс, кошт, податк, збор, видатк, доход"),
    ("zemlia", "Земельні питання", "земел, ділянк, оренд"),
    ("osvita", "Освіта", "освіт, школ, заклад дошкіль, ліцей, гімназ, садок"),
    ("zhkh", "Житлово-комунальне господарство",
     "житл, комунал, благоустр, водопост, тепло, дорог, освітл, прибиран, ремонт"),
    ("sotszakhyst", "Соціальний захист", "соціальн, допомог, пільг, ветеран, пенсі, внутрішньо переміщ"),
    ("mistobuduvannia", "Містобудування", "містобуд, детальн, генеральн, забудов, архітект"),
    ("rehuliatorni", "Регуляторні акти", "регулятор, правил, положен, порядок, тариф"),
    ("inshe", "Інше", ""),
]


def add_topics(apps, schema_editor):
    import uuid

    Topic = apps.get_model("acts", "Topic")
    for position, (slug, name, keywords) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"id": uuid.uuid4(), "name": name, "keywords": keywords,
                                                         "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("acts", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
