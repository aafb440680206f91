"""gunicorn's configuration for beirat-web.service (docs/deployment.md)."""

import logging
import os
import time

# Only nginx on this machine talks to gunicorn. With several app servers, bind the address the
# proxy reaches instead (and allow only the proxy in the firewall).
bind = os.environ.get("BEIRAT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BEIRAT_WEB_WORKERS", "4"))
timeout = 120  # a large import of papers
graceful_timeout = 30
# nginx writes the access log (without tracking codes); gunicorn's own lines go to the journal.
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1,::1"
# No control socket (gunicorn 25.1+, for gunicornc): systemd starts, reloads and stops gunicorn.
# Its default place, $HOME/.gunicorn/, is /srv/beirat/.gunicorn, which beirat may not create: every
# start logged "Control server error: Permission denied" (found by deploy/test-runbook).
control_socket_disable = True
# gunicorn's own lines in UTC like the app's (Django sets TZ to Europe/Berlin in the workers).
logging.Formatter.converter = time.gmtime


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker that ended no longer counts in /metrics (prometheus-client multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
