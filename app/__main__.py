"""``python -m app`` runs Dispatch Desk."""

from app.main import main

raise SystemExit(main())
