"""gunicorn settings; each can be overridden by the environment variable named."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "2"))
preload_app = True  # rules are loaded and checked once, before the workers fork
max_requests = int(os.environ.get("MAX_REQUESTS", "20000"))  # recycles workers: old rulesets are never freed
max_requests_jitter = 2000
timeout = 30
accesslog = os.environ.get("ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
