"""Run every ``benchmarks/bench_*.py``, print its figures against their targets, save them.

    .venv/bin/python benchmarks/run.py [--only core,pdf] [--quick] [--out results.json]

What a bench module provides:

- ``run()``, returning ``{figure name: number}``. A value may also be a mapping with ``value``
  and optionally ``target`` (a limit, or ``[op, limit]`` with op ``<``/``<=``/``>``/``>=``).
  ``run`` is called with the keyword arguments it declares and this runner knows: ``quick``
  (from ``--quick``), ``work_dir``/``workdir``/``tmp_dir`` (a scratch folder) and ``verbose``.
- optionally ``TARGETS = {figure name: limit or (op, limit)}``; a bare limit means ``<=``.

Figure names end in their unit (``_s``, ``_ms``, ``_mb``, ``_ratio`` …). Each module runs in
this process, one after the other; one that fails is reported and the others still run.
``results.json`` keeps the last figures of every bench, so running one bench updates its entry
only. Exit status: 0 every target met, 1 a target missed, 2 a bench failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import inspect
import json
import math
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUT = HERE / "results.json"

# Targets from the issues, for bench modules that do not declare TARGETS themselves.
FALLBACK_TARGETS: dict[str, dict[str, tuple[str, float]]] = {
    "pdf": {  # issue 4
        "pdf_1k_s": ("<", 2.0),
        "pdf_over_lo": ("<=", 0.2),
        "ratio_10k_1k": ("<=", 12.0),
    },
}

Target = tuple[str, float]
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
    ">": lambda v, t: v > t,
    ">=": lambda v, t: v >= t,
}
_SCRATCH_ARGS = ("work_dir", "workdir", "tmp_dir", "tmpdir", "scratch")


def discover(only: set[str] | None) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only is None or name in only:
            found.append((name, path))
    return found


def load(name: str, path: Path) -> ModuleType:
    for folder in (str(ROOT), str(HERE)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f"benchmarks.bench_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def call_run(fn: Callable[..., Any], *, quick: bool, scratch: Path) -> Any:
    """Call ``run`` with whichever of our arguments it declares; refuse unknown required ones."""
    kwargs: dict[str, Any] = {}
    for pname, param in inspect.signature(fn).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if pname == "quick":
            kwargs[pname] = quick
        elif pname in _SCRATCH_ARGS:
            kwargs[pname] = scratch
        elif pname == "verbose":
            kwargs[pname] = True
        elif param.default is param.empty:
            raise TypeError(f"run() needs an argument this runner does not know: {pname}")
    return fn(**kwargs)


def parse_target(raw: Any) -> Target | None:
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return ("<=", float(raw))
    if isinstance(raw, Mapping):
        return (str(raw.get("op", "<=")), float(raw["limit"]))
    op, limit = raw
    if op not in _OPS:
        raise ValueError(f"unknown comparison {op!r}")
    return (str(op), float(limit))


def normalise(result: Any) -> tuple[dict[str, float], dict[str, Target]]:
    """Figures and per-figure targets from whatever shape ``run()`` returned."""
    figures: dict[str, float] = {}
    targets: dict[str, Target] = {}
    items: Any
    if isinstance(result, Mapping):
        items = result.items()
    else:  # a sequence of (name, value) or (name, value, target)
        items = [(row[0], row[1] if len(row) == 2 else {"value": row[1], "target": row[2]})
                 for row in result]
    for key, value in items:
        if isinstance(value, Mapping):
            figures[str(key)] = float(value["value"])
            target = parse_target(value.get("target"))
            if target is not None:
                targets[str(key)] = target
        elif isinstance(value, int | float):  # bool included: a yes/no figure is 1 or 0
            figures[str(key)] = float(value)
        # Anything else (paths, notes) is not a figure.
    return figures, targets


def unit_of(name: str) -> str:
    for suffix, unit in (("_ms", "ms"), ("_s", "s"), ("_mb", "MB"), ("_ratio", "×")):
        if name.endswith(suffix):
            return unit
    return ""


def fmt(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if value == int(value) and abs(value) >= 10:
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def run_one(name: str, path: Path, *, quick: bool) -> dict[str, Any]:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    entry: dict[str, Any] = {"module": str(shown)}
    start = time.perf_counter()
    try:
        module = load(name, path)
        fn = getattr(module, "run", None)
        if not callable(fn):
            raise TypeError(f"{path.name} has no run() function")
        declared = {
            key: parse_target(raw) for key, raw in getattr(module, "TARGETS", {}).items()
        }
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
            result = call_run(fn, quick=quick, scratch=Path(tmp))
        figures, inline = normalise(result)
        targets = {**FALLBACK_TARGETS.get(name, {}), **declared, **inline}
        entry["figures"] = figures
        entry["targets"] = {k: list(t) for k, t in targets.items() if t and k in figures}
        entry["met"] = {
            k: _OPS[t[0]](figures[k], t[1]) for k, t in targets.items() if t and k in figures
        }
    except Exception as exc:  # one broken bench must not hide the others' figures
        entry["error"] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    entry["seconds"] = round(time.perf_counter() - start, 1)
    entry["quick"] = quick
    entry["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    return entry


def print_table(results: Mapping[str, Mapping[str, Any]]) -> None:
    rows = [("bench", "figure", "value", "target", "")]
    for bench, entry in results.items():
        # Quick runs use smaller ledgers: their verdicts say little about the real targets.
        name = f"{bench} (quick)" if entry.get("quick") else bench
        if "error" in entry:
            rows.append((name, "FAILED", "", "", entry["error"][:60]))
            continue
        for key, value in entry["figures"].items():
            unit = unit_of(key)
            target = entry["targets"].get(key)
            limit = f"{target[0]} {fmt(target[1])} {unit}".rstrip() if target else ""
            verdict = "" if key not in entry["met"] else ("ok" if entry["met"][key] else "MISSED")
            rows.append((name, key, f"{fmt(value)} {unit}".rstrip(), limit, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def save(out: Path, results: Mapping[str, Any]) -> None:
    try:
        existing = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    benches = dict(existing.get("benchmarks", {}))
    benches.update(results)
    data = {
        "updated": dt.datetime.now().isoformat(timespec="seconds"),
        "host": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "benchmarks": benches,
    }
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fazhi-desktop benchmarks.")
    parser.add_argument("--only", help="comma-separated bench names, e.g. core,pdf")
    parser.add_argument("--quick", action="store_true", help="smaller runs where supported")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON file")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    only = {n.strip() for n in args.only.split(",")} if args.only else None
    benches = discover(only)
    if not benches:
        print("no benchmarks/bench_*.py matched", file=sys.stderr)
        return 2
    results: dict[str, dict[str, Any]] = {}
    for name, path in benches:
        print(f"== {name} ({path.name}) …", file=sys.stderr, flush=True)
        results[name] = run_one(name, path, quick=args.quick)
    print()
    print_table(results)
    save(args.out, results)
    print(f"\nsaved {args.out}")
    if any("error" in e for e in results.values()):
        return 2
    return 1 if any(not ok for e in results.values() for ok in e["met"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
