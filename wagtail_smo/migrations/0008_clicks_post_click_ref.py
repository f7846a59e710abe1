# The post identifier of first-party click counting (issue 16). Posts that existed before keep a
# blank reference: their links were sent without it. The field is added with a blank default (a
# callable default would be called once and give every existing row the same value), then given
# its default for new posts.

from django.db import migrations, models

import wagtail_smo.models.posts


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_smo', '0007_analytics'),
    ]

    operations = [
        migrations.AddField(
            model_name='socialpost',
            name='click_ref',
            field=models.CharField(blank=True, db_index=True, default='', editable=False, max_length=16, verbose_name='click reference'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='socialpost',
            name='click_ref',
            field=models.CharField(blank=True, db_index=True, default=wagtail_smo.models.posts.new_click_ref, editable=False, max_length=16, verbose_name='click reference'),
        ),
    ]
