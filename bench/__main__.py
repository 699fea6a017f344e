"""Run benchmarks by name: ``python -m bench [name ...]`` (default: the quick set).

Each benchmark is also a script of its own (``python bench/bench_<name>.py --help`` for options)
and writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = ("import", "cycle", "classify", "alert_latency")


def main(argv: list[str]) -> int:
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    names = argv or list(QUICK)
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name} ==", flush=True)
        code = subprocess.call([sys.executable, str(HERE / f"bench_{name}.py")])
        if code:
            return code
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
