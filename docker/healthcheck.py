"""The image's HEALTHCHECK: healthy only while /health answers 200 (database, Redis reachable).

Standard library only, so it costs no extra package in the runtime image.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:  # 503: a dependency is down; say which
        print(f"unhealthy: {exc.code} {exc.read()[:300]!r}", file=sys.stderr)
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
