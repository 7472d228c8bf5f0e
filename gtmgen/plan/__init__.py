"""``gtmgen plan``: what importing NEW into TARGET would do, before anyone imports it.

GTM's confirmation screen, entity by entity (added / modified / deleted, and the new
names merge-rename gives), and what will go wrong afterwards: TARGET entities gtmgen did
not make that are overwritten or deleted, TARGET tags that already send the same TikTok
or Meta events, references that would not resolve, and the merged web container's size.
The rules and how sure each one is: docs/plan.md.
"""

from __future__ import annotations

from pathlib import Path

from gtmgen.errors import ExitCode, InputError, Result
from gtmgen.gtm.export import dumps
from gtmgen.plan import report, rules
from gtmgen.plan import warnings as w
from gtmgen.plan.merge import Side, merged_export, plan_items, read_side
from gtmgen.plan.report import Plan

__all__ = ["Plan", "make_plan", "run_plan"]


def make_plan(
    target: Side, new: Side, mode: str = rules.MERGE_OVERWRITE
) -> tuple[Plan, dict[str, object]]:
    """The plan and the merged export."""
    if mode not in rules.MODES:
        raise InputError(f"unknown mode {mode!r} (one of {', '.join(rules.MODES)})")
    contexts = {target.container.context, new.container.context}
    if len(contexts) > 1:
        raise InputError(
            f"TARGET is a {target.container.context or 'unknown'} container "
            f"and NEW a {new.container.context or 'unknown'} one: import a web "
            "export into a web container, a server one into a server container",
            file=new.file,
        )
    items = plan_items(target, new, mode)
    merged = merged_export(target, new, items, mode)
    found = [
        *w.foreign_changes(items),
        *w.double_senders(target, new, items),
        *w.competing_clients(target, new, items),
        *w.unresolved(target, merged),
        *w.builtins_enabled(target, items),
        *w.size(target, merged, new.container.context),
    ]
    return Plan(target.file, new.file, mode, items, found), merged


def run_plan(
    target: Path,
    new: Path,
    *,
    mode: str = rules.MERGE_OVERWRITE,
    fmt: str = "text",
    write_merged: Path | None = None,
) -> Result:
    """Read both exports, plan, optionally write the merged container; never prints."""
    plan, merged = make_plan(read_side(target), read_side(new), mode)
    if write_merged is not None:
        try:
            write_merged.write_text(dumps(merged), encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write: {exc.strerror or exc}", file=str(write_merged)
            ) from None
        plan.merged_file = str(write_merged)
    lines = report.FORMATS[fmt](plan)  # escaped by the report itself
    return Result(
        ExitCode.DIFFERENT if plan.failing else ExitCode.OK,
        payload="".join(line + "\n" for line in lines),
    )
