"""gunicorn settings for the bare endpoint: every setting of gunicorn.conf.py, none of its hooks.

The service's hooks (``post_fork``, ``on_reload``, ...) work on the service's own
app (its database, its rule sets), which the bare app does not have. They run once
per worker or per reload, not per request, so leaving them out does not change
throughput; workers, threads, worker class and every other setting are the same.
"""

import inspect
import runpy
from pathlib import Path

_SERVICE_CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
_settings = runpy.run_path(str(_SERVICE_CONF))

HOOKS_LEFT_OUT = sorted(name for name, value in _settings.items() if not name.startswith("_") and inspect.isfunction(value))
globals().update({name: value for name, value in _settings.items()
                  if not name.startswith("_") and not callable(value) and not inspect.ismodule(value)})
