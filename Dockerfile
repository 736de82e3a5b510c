# PES-TOR production image: gunicorn serving pestor.wsgi on port 8000, static files by WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

# DEBUG is off by default too; said here so that nobody reads the image as a development one.
ENV DEBUG=false \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint's runtime libraries and a font for the PDF reports; gettext for compilemessages;
# pg_dump and pg_restore for manage.py backup and restore (they must be of the PostgreSQL
# server's major version or newer).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system pestor \
    && useradd --system --gid pestor --home-dir /app --no-create-home --shell /usr/sbin/nologin pestor

WORKDIR /app

# Runtime dependencies first (from pyproject.toml, pinned by constraints.txt; no dev tools), so
# that a change to the code reuses this layer. The code itself runs from /app.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Build-time only: settings refuse to load with DEBUG off and no real key. This value is not
# kept in the image's environment; the running containers must be given their own SECRET_KEY.
RUN SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdefghijk \
    sh -c 'if [ -d locale ]; then python manage.py compilemessages --ignore=node_modules; fi' \
    && SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdefghijk \
    python manage.py collectstatic --noinput

RUN mkdir -p /data/media /data/private && chown -R pestor:pestor /data

USER pestor

EXPOSE 8000

# The portal logs each request itself (pestor.middleware.RequestLogMiddleware); docker-compose.yml
# sizes workers and threads for the national installation.
CMD ["gunicorn", "pestor.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--worker-class", "gthread"]

HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=5)"]
