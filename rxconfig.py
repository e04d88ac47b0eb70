import reflex as rx

from chatapp.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="chatapp",
    # `reflex db migrate` runs Alembic against this URL: keep it the app's DATABASE_URL.
    db_url=settings.database_url,
    # Set: Reflex keeps client state in Redis (any worker serves any tab). Same variable as
    # the login limiter's, so the two never disagree.
    redis_url=settings.reflex_redis_url,
    # CORS for the API and Socket.IO: "*" in dev, same-origin only in prod unless CORS_ORIGINS.
    cors_allowed_origins=tuple(settings.allowed_origins),
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
