#!/usr/bin/env python
"""Django's command-line utility for MathPath."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mathpath.settings")
    if os.environ.get("MATHPATH_STACK"):
        from mathpath.stack import die_with_parent

        die_with_parent()
    if not os.environ.get("DATABASE_URL", "").strip():
        from mathpath import embedded_db

        try:
            embedded_db.attach()
        except embedded_db.EmbeddedDatabaseError as error:
            sys.exit(f"error: {error}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
