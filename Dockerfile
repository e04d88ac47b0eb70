# syntax=docker/dockerfile:1
# chatapp image: `docker compose up` builds it (see compose.yaml and docs/DEPLOY.md).
#   node     : the Node.js binary only (Reflex builds its React Router frontend with it)
#   build    : Python dependencies, bun from the npm registry, the frontend built once
#   runtime  : python slim + node + bun + the venv + the app with its warmed .web; non-root
# Tags name a Debian release, so the node binary copied across runs on the same glibc.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS node


FROM ${PYTHON_IMAGE} AS build

ARG BUN_VERSION=1.4.4
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/opt/bun/node_modules/.bin:$PATH \
    PYTHONPATH=/app \
    REFLEX_DIR=/app/.reflex \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    NPM_CONFIG_REGISTRY=https://registry.npmjs.org/

COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && node --version && npm --version

# bun from the npm registry (Reflex's own installer downloads from bun.sh / GitHub).
RUN npm install --no-audit --no-fund --prefix /opt/bun "bun@${BUN_VERSION}" \
    && bun --version

WORKDIR /app

# Dependencies first (from pyproject.toml only), so code changes reuse this layer; with the s3
# extra, so ATTACHMENT_STORAGE=s3 works in the image.
COPY pyproject.toml ./
RUN python -m venv /opt/venv \
    && python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['s3']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY . .

# Compile the pages and build the frontend once: installs .web/node_modules from the committed
# reflex.lock (frozen) and proves the bundle builds. No `reflex init`: export initialises .web.
# Build-time settings only: a throwaway secret and database, neither kept in the image.
RUN JWT_SECRET=build-time-placeholder-never-used-at-runtime-000000 \
    DATABASE_URL=sqlite:////tmp/build.db \
    reflex export --frontend-only --no-zip --loglevel info \
    && rm -rf /tmp/build.db .states .secrets .data \
    && test -f .web/build/client/index.html


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    HOME=/app \
    REFLEX_DIR=/app/.reflex \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    CHATAPP_ENV=prod \
    HOST=0.0.0.0 \
    PORT=8000

RUN groupadd --system --gid 10001 chatapp \
    && useradd --system --uid 10001 --gid chatapp --home-dir /app --shell /usr/sbin/nologin chatapp

# `reflex run --env prod` compiles the pages and bundles the frontend at every start (from the
# warmed .web, offline): node and bun stay, npm and the build toolchain do not.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=build /opt/bun/node_modules/bun/bin/bun.exe /usr/local/bin/bun
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=chatapp:chatapp /app /app

WORKDIR /app
USER chatapp:chatapp

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
