# Build durable_rules (a C extension) in a builder stage; run gunicorn as a non-root user.
FROM python:3.11-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ make && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 BIND=0.0.0.0:8000
RUN useradd --create-home --uid 10001 triage
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/* && rm -rf /wheels
WORKDIR /app
COPY --chown=triage:triage service/ service/
COPY --chown=triage:triage schemas/ schemas/
COPY --chown=triage:triage rules/ rules/
COPY --chown=triage:triage migrations/ migrations/
COPY --chown=triage:triage wsgi.py gunicorn.conf.py alembic.ini ./
RUN mkdir -p /app/instance && chown triage:triage /app/instance
USER triage
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
