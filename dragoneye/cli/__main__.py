"""`python -m dragoneye.cli`: the same as the `dragoneye` command."""

from . import main

raise SystemExit(main())
