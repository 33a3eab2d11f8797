"""``python -m assb_model.cli``: the ``assb`` command."""

import sys

from assb_model.cli.main import main

sys.exit(main())
