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
control_socket_disable = True  # several instances (tests, benchmarks) would otherwise share one socket path
accesslog = os.environ.get("ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def on_reload(server):
    """SIGHUP: load, check and test the rule files in the master before workers restart.

    Only if every check and test case passes does the new version go live (in the
    database, so running workers follow at their next decision); the restarted
    workers fork from the master with it already compiled.
    """
    app = server.app.wsgi()
    result = app.extensions["rulesets"].reload(actor="sighup")
    if result.loaded:
        server.log.info("rules reloaded: %s -> %s", result.previous_version, result.version)
    else:
        for line in [*result.problems, *result.test_failures]:
            server.log.error("rules NOT reloaded, %s stays live: %s", result.version, line)
    app.extensions["database"].dispose()  # no connection may cross the fork


def post_fork(server, worker):
    """Each worker opens its own database connections."""
    server.app.wsgi().extensions["database"].engine.dispose(close=False)
