# Pamoja: runs as a non-root user, the database on a volume, no secrets baked in.
# Build: docker build -t pamoja .
# Run:   docker run --env-file .env -v pamoja-data:/data pamoja
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PAMOJA_DATABASE_PATH=/data/pamoja.sqlite3

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app pamoja \
    && mkdir -p /data \
    && chown pamoja /data

USER pamoja
VOLUME ["/data"]
# Exec form: the bot is PID 1's child-free process and receives SIGTERM to stop cleanly.
CMD ["python", "-m", "bot"]
