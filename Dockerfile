# Pamoja: runs as a non-root user, the database on the /data volume, no secrets baked in.
# Build: docker build -t pamoja .
# Run:   docker compose up -d          (compose.yaml: restart policy, the volume, .env)
#   or:  docker run -d --restart unless-stopped --env-file .env -v pamoja-data:/data pamoja
#
# The base image is pinned to an exact Python release; to pin the very bytes, replace the tag
# with its digest (`docker pull python:3.11.13-slim-bookworm` prints it), for example
#   docker build --build-arg PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:<digest> .
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, in their own layer, exactly as locked (hashes checked): a change to the
# source does not reinstall them.
COPY requirements.lock ./
RUN python -m venv /opt/pamoja \
    && /opt/pamoja/bin/pip install --require-hashes --no-deps -r requirements.lock
# Then Pamoja itself, installed as a package (the image never runs the source tree).
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY emulator ./emulator
COPY config ./config
RUN /opt/pamoja/bin/pip install --no-deps . && /opt/pamoja/bin/pamoja --version

FROM ${PYTHON_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="Pamoja" \
      org.opencontainers.image.description="A Telegram bot for moderated virtual peer support groups" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later" \
      org.opencontainers.image.base.name="${PYTHON_IMAGE}"
# The image decides where the data lives: compose.yaml sets the same, so an .env made from
# config/example.env cannot move the database off the volume.
ENV PATH=/opt/pamoja/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PAMOJA_DATABASE_PATH=/data/pamoja.sqlite3 \
    PAMOJA_HEARTBEAT_PATH=/data/pamoja.heartbeat
COPY --from=build /opt/pamoja /opt/pamoja
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent pamoja \
    && mkdir -p /data \
    && chown pamoja /data \
    && chmod 0700 /data
USER pamoja
WORKDIR /data
VOLUME ["/data"]
# Webhook mode only (PAMOJA_MODE=webhook listens on PAMOJA_WEBHOOK_PORT, 8443 by default).
EXPOSE 8443
# Healthy: a successful Bot API exchange and database check in the last PAMOJA_HEALTH_MAX_AGE s.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["pamoja", "health"]
# Exec form: pamoja is PID 1 and receives SIGTERM (docker stop) to stop cleanly.
CMD ["pamoja"]
