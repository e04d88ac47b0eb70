"""The development table: our own phrasings, tuned against freely, measured like the held-out set.

Same expectation language and runner as tests/agent/heldout/evaluate.py (effects on the task
list and words in the reply); different sentences, written by us, one block per capability.
Run it: `python -m tests.agent.dev.evaluate` (-v prints each failure with its reasons).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.agent.heldout.evaluate import evaluate, load_cases, print_failures, table

DATA = Path(__file__).with_name("phrasings.yaml")
# Messages sent with files, run by tests/agent/heldout/attachments.py (`--data` takes this path).
ATTACHMENT_DATA = Path(__file__).with_name("attachments.yaml")


def main() -> int:
    results = asyncio.run(evaluate(load_cases(DATA)))
    if "-v" in sys.argv[1:]:
        print_failures(results)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
