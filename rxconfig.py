import reflex as rx

from chatapp.settings import get_settings

config = rx.Config(
    app_name="chatapp",
    # `reflex db migrate` runs Alembic against this URL: keep it the app's DATABASE_URL.
    db_url=get_settings().database_url,
    show_built_with_reflex=False,
    telemetry_enabled=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.TailwindV4Plugin(),
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="violet", radius="medium", has_background=True)
        ),
    ],
)
