"""Load the demo content of the example site. Safe to run again: nothing is duplicated."""

from __future__ import annotations

import datetime
import io
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from example_site.blog.demo_posts import create_demo_posts
from example_site.blog.models import BlogIndexPage, BlogPage, NewsIndexPage, NewsPage
from example_site.home.models import HomePage
from wagtail_smo.management.options import SmoCommand
from wagtail_smo.models import SocialChannel, SocialMediaSettings
from wagtail_smo.providers import channel_aliases

# (title, size, colours): drawn locally with Pillow; nothing is downloaded.
IMAGES = {
    "hero": ("Demo: harbour at dawn", (1600, 900), ("#0b4f8a", "#f4a261")),
    "section": ("Demo: blog section banner", (1400, 800), ("#2a9d8f", "#e9c46a")),
    "site": ("Demo: site default card", (1200, 630), ("#264653", "#e76f51")),
    "body": ("Demo: diagram in the body", (1300, 700), ("#6d597a", "#b56576")),
    "small": ("Demo: small thumbnail", (400, 300), ("#3d405b", "#81b29a")),
    "news": ("Demo: newsroom", (1280, 720), ("#1d3557", "#a8dadc")),
    "logo": ("Demo: organisation logo", (600, 600), ("#111111", "#ffd166")),
}

LOREM = (
    "Social networks build a card from the tags a page carries: a title, a description and an "
    "image. When these are missing, the card looks broken and fewer people click. This post shows "
    "what wagtail-smo resolves for each network and where every value comes from."
)


def make_image(key: str):
    """Return the demo image ``key``, drawing and saving it the first time."""
    image_model = get_image_model()
    title, size, (start, end) = IMAGES[key]
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", size, start)
    draw = ImageDraw.Draw(canvas)
    end_rgb = tuple(int(end[i : i + 2], 16) for i in (1, 3, 5))
    for x in range(0, size[0], 8):
        draw.rectangle([x, size[1] * 2 // 3, x + 7, size[1]], fill=end_rgb)
    draw.ellipse([size[0] // 3, size[1] // 6, size[0] * 2 // 3, size[1] * 2 // 3], fill=end_rgb)
    draw.text((40, 40), title, fill="white")
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    filename = title.split(": ")[1].replace(" ", "-") + ".png"
    return image_model.objects.create(title=title, file=ImageFile(buffer, name=filename))


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


class Command(SmoCommand):
    help = (
        "Load the example site's demo content (at least 12 pages, generated images, site "
        "settings). Running it again updates nothing that exists and creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hostname", default="127.0.0.1", help="Site hostname (default 127.0.0.1)."
        )
        parser.add_argument("--port", type=int, default=8000, help="Site port (default 8000).")
        parser.add_argument(
            "--with-posts",
            action="store_true",
            help="Also create demo social posts in every state (scheduled, sent, failed...), "
                 "once: the dashboard and the calendar then have something to show.",
        )
        parser.add_argument(
            "--create-admin",
            action="store_true",
            help="Also create the demo superuser admin / changeme (demo only).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        images = {key: make_image(key) for key in IMAGES}
        home = self._home(options["hostname"], options["port"])
        site = Site.objects.get(root_page=home)
        self._site_settings(site, images)
        self._channels(site)

        blog = self._child(
            home,
            BlogIndexPage,
            "blog",
            title="Blog",
            intro="Notes on making pages travel well through social networks.",
            social_image=images["section"],
            social_image_alt="Green and yellow banner of the blog section",
        )
        news = self._child(
            home, NewsIndexPage, "news", title="News", intro="Announcements from the SMO demo team."
        )
        russian_blog = self._russian_blog(home, blog)
        day = datetime.date(2026, 11, 2)
        posts = [
            dict(
                slug="social-cards-explained",
                title="Social cards, explained",
                intro="How a page becomes a link card on every network.",
                main_image=images["hero"],
                social_image=images["hero"],
                social_image_alt="A harbour at dawn, drawn in blue and orange",
                social_title="Social cards explained in five minutes",
                body=[paragraph(LOREM), {"type": "image", "value": images["body"].pk}],
                tags=["social", "open graph", "howto"],
                author="Ada Lovelace",
            ),
            dict(
                slug="only-a-body-image",
                title="A post whose only image is in its body",
                intro="",
                body=[
                    paragraph(
                        "The first paragraph of this post becomes its description "
                        "because it has no intro and no social description."
                    ),
                    {"type": "image", "value": images["body"].pk},
                ],
                tags=["images"],
                author="Grace Hopper",
            ),
            dict(
                slug="inherits-section-image",
                title="A post with no image inherits its section's",
                intro="This post has no image of its own, so the blog's banner is used.",
                body=[paragraph("Section defaults keep cards consistent.")],
                tags=["images", "sections"],
                author="Grace Hopper",
            ),
            dict(
                slug="kak-sdelat-kartochki",
                title="Как сделать карточки для соцсетей 🚀",
                intro="Карточка ссылки собирается из тегов страницы: заголовок, описание, картинка 🙂.",
                body=[paragraph("Русский текст с эмодзи 👍🏽 и «кавычками» — проверка кодировки.")],
                main_image=images["news"],
                tags=["русский", "соцсети"],
                author="Лев Толстой",
                # A Russian page (og:locale ru_RU) in the Russian tree when Wagtail i18n is on.
                parent=russian_blog,
            ),
            dict(
                slug="quotes-and-brackets",
                title="\"Quotes\", 'apostrophes' & <angle> brackets",
                intro='Escaping matters: "quotes" & <b>tags</b> must stay text.',
                body=[paragraph("A title like this one breaks naive templates.")],
                main_image=images["small"],
                tags=["security", "escaping"],
                author="O'Brien & Sons",
            ),
            dict(
                slug="very-long-title",
                title=(
                    "A very long title that goes on and on well past the sixty characters a "
                    "social card shows, so that every network has to cut it somewhere sensible"
                ),
                intro="Long titles are cut differently on each network.",
                body=[paragraph(LOREM)],
                main_image=images["hero"],
                tags=["titles"],
                author="Ada Lovelace",
            ),
            dict(
                slug="hashtags-and-reach",
                title="Hashtags and reach",
                intro="Which tags become hashtags in post drafts, and how many each network takes.",
                body=[paragraph(LOREM)],
                main_image=images["site"],
                tags=["social", "hashtags", "reach", "marketing"],
                author="Ada Lovelace",
            ),
            # On purpose for the SMO audit (manage.py smo_audit, the editor's checks): no image
            # of its own (a generated card instead), a too-short description, and the same
            # social title as another live page.
            dict(
                slug="shared-without-an-image",
                title="Shared without an image, on purpose",
                intro="No image here.",
                social_image_fallback=False,
                social_card="always",
                social_title="Hashtags and reach",
                body=[paragraph("The editor unticked “find an image automatically” and asked "
                                "for a generated card.")],
                tags=["audit"],
                author="Grace Hopper",
            ),
        ]
        for offset, data in enumerate(posts):
            tags = data.pop("tags")
            data.setdefault("date", day - datetime.timedelta(days=offset))
            parent = data.pop("parent", None) or blog
            page = self._child(parent, BlogPage, data.pop("slug"), **data)
            if set(page.tags.names()) != set(tags):
                page.tags.set(tags)
                page.save_revision().publish()

        news_items = [
            dict(
                slug="demo-launched",
                title="The SMO demo is live",
                body=f'<p>Everything on this site is generated locally.</p><embed embedtype="image" id="{images["news"].pk}" format="fullwidth" alt="Newsroom"/>',
                tags=["announcement"],
            ),
            dict(
                slug="no-image-at-all",
                title="A news item with no image at all",
                social_image_fallback=True,
                body="<p>Nothing here but text, so the site default image is used.</p>",
                tags=["announcement"],
            ),
            dict(
                slug="feeds-and-exports",
                title="Feeds & exports are coming",
                body="<p>RSS, Atom and JSON Feed for every section.</p>",
                tags=["feeds"],
            ),
        ]
        for offset, data in enumerate(news_items):
            tags = data.pop("tags")
            data.setdefault("date", day - datetime.timedelta(days=offset))
            page = self._child(news, NewsPage, data.pop("slug"), **data)
            if set(page.tags.names()) != set(tags):
                page.tags.set(tags)
                page.save_revision().publish()

        if options["with_posts"]:
            made = create_demo_posts(site)
            if made:
                self.stdout.write(f"Created {len(made)} demo social posts.")
        if options["create_admin"]:
            self._admin()
        total = home.get_descendants(inclusive=True).count()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {total} pages on {site.root_url}")
        )

    def _home(self, hostname: str, port: int) -> HomePage:
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(slug="home").first()
        if home is None:
            # Replace Wagtail's welcome page with the demo home page.
            old = Page.objects.filter(depth=2, slug="home").first()
            if old is not None:
                Site.objects.filter(root_page=old).delete()
                old.delete()
            home = root.add_child(
                instance=HomePage(
                    title="SMO Demo",
                    slug="home",
                    intro="A demo of wagtail-smo: social cards, share buttons, feeds and post drafts.",
                )
            )
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="SMO Demo",
            )
        elif (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port):
            site.root_page, site.hostname, site.port = home, hostname, port
            site.site_name = site.site_name or "SMO Demo"
            site.save()
        return home

    def _russian_blog(self, home: Page, blog: Page) -> Page | None:
        """The blog's Russian translation (and the home page's), with Wagtail i18n on; else None."""
        if not settings.WAGTAIL_I18N_ENABLED:
            return None
        try:
            code = get_supported_content_language_variant("ru")
        except LookupError:
            return None  # Russian is not one of WAGTAIL_CONTENT_LANGUAGES
        russian = Locale.objects.get_or_create(language_code=code)[0]
        translations = {}
        for page, title in ((home, "SMO Демо"), (blog, "Блог")):
            translation = page.get_translation_or_none(russian)
            if translation is None:
                translation = page.specific.copy_for_translation(russian)
                translation.title = title
                translation.save_revision().publish()
            translations[page.pk] = translation
        return translations[blog.pk]

    def _child(self, parent: Page, model, slug: str, **fields):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        body = fields.pop("body", None)
        page = model(slug=slug, **fields)
        if body is not None:
            page.body = json.dumps(body) if isinstance(body, list) else body
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _site_settings(self, site: Site, images) -> None:
        smo = SocialMediaSettings.for_site(site)
        if smo.site_name:
            return
        smo.site_name = "SMO Demo"
        smo.default_description = (
            "A demo site for wagtail-smo, the social media toolkit for Wagtail."
        )
        smo.default_image = images["site"]
        smo.default_image_alt = "The SMO Demo card: dark teal with an orange disc"
        smo.x_handle = "@smodemo"
        smo.fediverse_creator = "@demo@mastodon.example"
        smo.profile_links = [
            (
                "profile",
                {
                    "network": "Mastodon",
                    "url": "https://mastodon.example/@demo",
                    "label": "Mastodon",
                },
            ),
            (
                "profile",
                {
                    "network": "Bluesky",
                    "url": "https://bsky.app/profile/smodemo.example",
                    "label": "Bluesky",
                },
            ),
        ]
        smo.organisation_name = "SMO Demo Ltd"
        smo.organisation_logo = images["logo"]
        smo.card_logo = images["logo"]
        smo.save()

    def _channels(self, site: Site) -> None:
        """Enable every configured channel on the demo site, so that publishing creates drafts."""
        for alias in channel_aliases():
            SocialChannel.objects.get_or_create(site=site, channel=alias)

    def _admin(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@example.com", "changeme")
            self.stdout.write("Created the demo admin user admin / changeme (demo only).")
