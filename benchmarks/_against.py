"""Run benchmark scripts on this tree and on an earlier commit, taking turns, in one run.

A refactoring must leave the figures no worse; comparing numbers taken on different days says
little on a shared 2-core machine. This script checks the earlier commit out into a temporary
git worktree and runs each named benchmark script once on each tree, alternating
(baseline, current, baseline, current ... for ``--rounds`` rounds), so that machine load falls on
both alike. Each run prints the script's own output under a header naming the tree; read the
same table of both trees side by side.

    python benchmarks/_against.py 4e534fd meta.py publish.py --rounds 2

The scripts run with the current virtualenv's Python and ``PYTHONPATH`` set to their own tree,
so each tree imports its own ``wagtail_smo``. The worktree is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(tree: Path, script: str, label: str) -> None:
    """Run ``benchmarks/<script>`` of ``tree`` with that tree first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    print(f"\n===== {script} on {label} ({tree})", flush=True)
    subprocess.run([sys.executable, str(tree / "benchmarks" / script)], cwd=tree, env=env,
                   check=True)


def main() -> None:
    """Parse the arguments, make the baseline worktree, run the rounds, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="the earlier commit (any git revision)")
    parser.add_argument("scripts", nargs="+", help="benchmark scripts, e.g. meta.py")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each script per tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smo-baseline-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), args.baseline],
                       cwd=ROOT, check=True)
        try:
            for _ in range(args.rounds):
                for script in args.scripts:
                    run(tree, script, f"baseline {args.baseline}")
                    run(ROOT, script, "this tree")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=False)


if __name__ == "__main__":
    main()
