"""`python -m bot`: the command line."""

import gc
import sys

gc.disable()  # start-up only; bot.cli turns collection back on once the bot is loaded

from .cli import main  # noqa: E402

sys.exit(main())
