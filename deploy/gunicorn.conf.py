"""gunicorn settings of the PTCE portal (deploy/systemd/ptce-portal.service runs
`gunicorn --config deploy/gunicorn.conf.py portal.wsgi:application`).

Command-line options and GUNICORN_CMD_ARGS override these (e.g. `--bind 127.0.0.1:8001`).
"""

import os

# Behind the nginx site of deploy/nginx/: loopback only.
bind = "127.0.0.1:8000"

# Sync workers: the portal is CPU-bound (templates, WeasyPrint) and short requests; two per
# core plus one keeps the cores busy while some workers wait on PostgreSQL. Each worker holds
# about 150 MiB once it has made a PDF. WEB_CONCURRENCY overrides the count.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"

# The slowest page, a first WeasyPrint render of the 15-page proceedings, takes about 2 s of
# CPU; a request still running after 30 s is stuck, and its worker is replaced. The database
# settings fail a database wait well before that, with the French 503 page (connect timeout
# 3 s, statement timeout 5 s, a 6 s deadline on each wait of a request: portal/settings.py),
# so a frozen PostgreSQL never gets a worker killed.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are recycled now and then, so that memory held by a large PDF is given back.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a slow disk never makes the arbiter think a worker hung.
worker_tmp_dir = "/dev/shm"

# Only the local proxy is believed about the scheme (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1,::1"
# Requests nginx already limited (client_max_body_size); headers stay reasonable.
limit_request_line = 8190
limit_request_fields = 100

# Logs on stderr, to the journal. The access log gives the client's address as nginx saw it
# (X-Forwarded-For), the request, status, size, duration in ms and user agent.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
capture_output = True
# Personal links carry their secret in the path (/referentiel/repondre/<token>/…): both logs
# go through ptce_portal.log_masking's filter, which writes « *** » in its place.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "ptce_portal.log_masking.MaskSecretsFilter"}},
    "formatters": {
        "access": {"format": "%(message)s"},
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["mask_secrets"],
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["mask_secrets"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
    },
}
proc_name = "ptce-portal"
