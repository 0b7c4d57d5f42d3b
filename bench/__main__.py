"""`make bench`: run every benchmark in turn; each writes its JSON into bench/results/.

Run one with `python -m bench intake` (names: the modules listed in BENCHES).
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHES = ["intake", "sweep", "import", "startpage", "attention", "insight", "socialmap"]


def main(argv: list[str]) -> int:
    chosen = argv or BENCHES
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    for name in chosen:
        started = time.monotonic()
        print(f"== bench {name} ==", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.main()
        print(f"== bench {name} done in {time.monotonic() - started:.0f} s ==", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
