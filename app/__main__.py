"""`python -m app` does what the `jiceng` console script does."""

from app.cli import main

raise SystemExit(main())
