"""The xpml command line.

    python -m xpml info                      each backend: version, device, float64
    python -m xpml demo [--backend NAME|all] train every model on shipped data sets, print a table
    python -m xpml bench [--quick] ...       time the algorithms on every backend and scikit-learn
"""

from __future__ import annotations

import argparse
import sys

from ._backend import LIBRARIES, all_targets, describe


def _info(args) -> int:
    rows = [describe(name) for name in LIBRARIES]
    print(f"{'backend':<18}{'version':<14}{'float64':<9}device")
    for r in rows:
        print(f"{r['backend']:<18}{r['version'] or '-':<14}{r['float64'] or '-':<9}{r['device']}")
    return 0


def _demo(args) -> int:
    from ._demo import run_demo

    backends = all_targets() if args.backend == "all" else [args.backend]
    run_demo(backends, skip=args.skip, once=args.once)
    return 0


def _bench(argv: list[str]) -> int:
    from .bench import main as bench_main

    return bench_main(argv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xpml", description="xpml: machine learning on any array library.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="list the backends: version, device, float64").set_defaults(run=_info)
    demo = commands.add_parser("demo", help="train every model on shipped data sets and print a table")
    demo.add_argument("--backend", default="numpy", help="a backend name (numpy, torch, jax, cupy, ...; "
                      "'torch:cuda' for a device), or 'all' for every one available (default: numpy)")
    demo.add_argument("--skip", nargs="+", default=(), metavar="MODEL",
                      help="models of the table to leave out, by their name in its first column")
    demo.add_argument("--once", action="store_true",
                      help="fit each model once, its time including compilation (default: time a second fit)")
    demo.set_defaults(run=_demo)
    commands.add_parser("bench", help="compare backends and scikit-learn (python -m xpml bench --help)",
                        add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        return _bench(argv[1:])
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ValueError as exc:  # a bad backend name, say: the message says what to do
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
