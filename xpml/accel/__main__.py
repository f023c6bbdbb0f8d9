"""python -m xpml.accel [--backend NAME] [-v] script.py [args ...]: run a scikit-learn script on xpml."""

from __future__ import annotations

import argparse
import runpy
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m xpml.accel",
        description="Run an unchanged scikit-learn script with its estimators fitted on an xpml backend.")
    parser.add_argument("--backend", default="numpy", help="xpml backend: numpy, torch, jax, cupy, ... (default numpy)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print where each fit ran and why it fell back (also XPML_ACCEL_LOG=1)")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    args = parser.parse_args(argv)

    from . import install, uninstall

    try:
        install(backend=args.backend, verbose=args.verbose)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    saved_argv = sys.argv
    sys.argv = [args.script, *args.args]
    try:
        runpy.run_path(args.script, run_name="__main__")
    finally:
        sys.argv = saved_argv
        uninstall()
    return 0


if __name__ == "__main__":
    sys.exit(main())
