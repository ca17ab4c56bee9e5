"""``python -m psa``: see ``psa.cli``."""

from psa.cli import main

raise SystemExit(main())
