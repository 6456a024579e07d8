"""Finds and runs every app's demo_data step, in ORDER."""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps


@dataclass
class DemoContext:
    seed: int
    scale: str
    password: str
    rng: random.Random
    progress_factory: object = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, where
    summary: list[str] = field(default_factory=list)

    def progress(self, total: int, desc: str):
        """A progress bar (tqdm in a terminal) or a no-op for tests."""
        if self.progress_factory is None:
            return _Silent()
        return self.progress_factory(total=total, desc=desc)


class _Silent:
    def update(self, n=1):
        pass

    def reset(self, total=None):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def steps():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cegah."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo_data":
                raise
            continue
        found.append((module.ORDER, config.name, module.build))
    return sorted(found)


def build(seed: int = 2026, scale: str = "small", password: str = "", progress_factory=None):
    ctx = DemoContext(
        seed=seed,
        scale=scale,
        password=password,
        rng=random.Random(seed),
        progress_factory=progress_factory,
    )
    for _order, _name, step in steps():
        step(ctx)
    return ctx
