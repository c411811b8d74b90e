"""``python -m openai_structs``: the ``openai-structs`` command (see :mod:`openai_structs.cli`)."""

from .cli import run

if __name__ == "__main__":
    run()
