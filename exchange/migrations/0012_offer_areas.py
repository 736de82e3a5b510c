"""The municipalities each public offer is delivered in (``OfferArea``, issue 8): the table,
filled from the offers in one INSERT … SELECT, then its index (built once over the filled
table rather than entry by entry)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from exchange.models import insert_offer_areas

    insert_offer_areas(
        None,
        offer_model=apps.get_model("exchange", "Offer"),
        area_model=apps.get_model("exchange", "OfferArea"),
    )


def empty(apps, schema_editor):
    apps.get_model("exchange", "OfferArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0011_legal_form_of_legal_persons"),
        ("directory", "0010_cooperative_founders"),
        ("pestor", "0006_municipality_regon"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferArea",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "municipality",
                        "offer",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                (
                    "municipality",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="pestor.municipality",
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="areas",
                        to="exchange.offer",
                    ),
                ),
            ],
            options={
                "verbose_name": "municipality of a public offer",
                "verbose_name_plural": "municipalities of public offers",
            },
        ),
        migrations.RunPython(fill, empty, elidable=True),
        migrations.AddIndex(
            model_name="offerarea",
            index=models.Index(
                fields=["municipality", "created_at", "offer"], name="offer_area_newest"
            ),
        ),
    ]
