"""The WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi``."""

import sys

from service import create_app
from service.rulebook import RuleBookError

try:
    app = create_app()
except RuleBookError as error:
    sys.stderr.write(f"The service cannot start: the rule files have problems.\n{error}\n")
    sys.exit(3)
