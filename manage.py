#!/usr/bin/env python
"""Django's command-line entry point for beirat."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration the settings or the production checks refuse: the message names the
        # variable (docs/configuration.md); a traceback would only hide it.
        sys.exit(f"beirat cannot start: {error}")


if __name__ == "__main__":
    main()
