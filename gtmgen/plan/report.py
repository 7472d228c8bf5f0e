"""The plan as text, JSON or Markdown (for a pull-request comment). Lines only: the CLI
prints them. Values never appear, only names and field names; warning texts go through
the secret mask all the same."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gtmgen.display import escape, quote
from gtmgen.gtm.secrets import masked_text
from gtmgen.plan import rules
from gtmgen.plan.merge import ADDED, DELETED, MODIFIED, UNCHANGED, Item
from gtmgen.plan.warnings import PlanWarning

JSON_FORMAT_VERSION = 1
ACTIONS = (ADDED, MODIFIED, DELETED)
_MARK = {ADDED: "+", MODIFIED: "~", DELETED: "-", UNCHANGED: "="}


@dataclass
class Plan:
    target: str
    new: str
    mode: str
    items: list[Item]
    warnings: list[PlanWarning] = field(default_factory=list)
    merged_file: str | None = None

    @property
    def failing(self) -> list[PlanWarning]:
        return [w for w in self.warnings if w.fails]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for kind in rules.KINDS:
            row = {
                a: sum(1 for i in self.items if i.kind == kind and i.action == a)
                for a in (*ACTIONS, UNCHANGED)
            }
            if any(row.values()):
                out[kind] = row
        return out

    def sentence(self) -> str:
        """GTM's confirmation sentence: "14 tags, 5 triggers, 13 variables, 1 tag template
        and 1 folder added, 0 modified, 0 deleted" (built-in variables left out: R9)."""
        parts = []
        for action in ACTIONS:
            counted = [i for i in self.items if i.action == action and i.kind != "builtInVariable"]
            if action != ADDED:
                parts.append(f"{len(counted)} {action}")
                continue
            entries = []
            for kind in rules.KINDS:
                if kind == "customTemplate":
                    for code, words in TEMPLATE_WORDS.items():
                        n = sum(
                            1 for i in counted if i.kind == kind and (i.template_type or "") == code
                        )
                        if n:
                            entries.append(f"{n} {words}{'' if n == 1 else 's'}")
                    continue
                n = sum(1 for i in counted if i.kind == kind)
                if n:
                    entries.append(f"{n} {rules.label(kind, n)}")
            if not entries:
                parts.append("0 added")
            elif len(entries) == 1:
                parts.append(f"{entries[0]} added")
            else:
                parts.append(f"{', '.join(entries[:-1])} and {entries[-1]} added")
        return ", ".join(parts)


TEMPLATE_WORDS = {
    "TAG": "tag template",
    "MACRO": "variable template",
    "CLIENT": "client template",
    "": "template",
}


def _item_line(item: Item) -> str:
    what = f"{rules.label(item.kind)} {quote(item.name)}"
    if item.new_name:
        line = f"{what} added as {quote(item.new_name)} (its name is taken in TARGET)"
    elif item.kind == "builtInVariable":
        line = (
            f"{what} {'enabled' if item.action == ADDED else 'disabled'}"
            if item.action in (ADDED, DELETED)
            else f"{what} {item.action}"
        )
    else:
        line = f"{what} {item.action}"
    if item.action == MODIFIED and item.fields:
        line += ": " + ", ".join(escape(f) for f in item.fields)
    if item.action in (MODIFIED, DELETED) and item.kind != "builtInVariable":
        line += (
            " [TARGET's was made by gtmgen]"
            if item.ours_in_target
            else " [TARGET's was NOT made by gtmgen]"
        )
    return line


def text(plan: Plan, *, verbose: bool = False) -> list[str]:
    out = [
        f"gtmgen plan: import {plan.new} into {plan.target}",
        f"mode: {rules.MODE_WORDS[plan.mode]}",
        "",
        f"GTM's confirmation should read: {plan.sentence()}",
    ]
    for kind, n in plan.counts().items():
        out.append(
            f"  {rules.label(kind, 2)}: {n[ADDED]} added, {n[MODIFIED]} modified, "
            f"{n[DELETED]} deleted ({n[UNCHANGED]} unchanged)"
        )
    out.append("")
    shown = [i for i in plan.items if verbose or i.action != UNCHANGED]
    for item in shown:
        out.append(f"{_MARK[item.action]} {_item_line(item)}")
    if not shown:
        out.append("(nothing changes)")
    out.append("")
    for warning in plan.warnings:
        level = "error" if warning.fails else "warning"
        out.append(f"{level}: {masked_text(warning.message)} [{warning.code}]")
    if plan.merged_file:
        out.append(f"wrote the merged container to {plan.merged_file}")
    out.append(_verdict(plan))
    return out


def _verdict(plan: Plan) -> str:
    if plan.failing:
        return (
            f"{len(plan.failing)} problem(s) to resolve before importing "
            f"({len(plan.warnings) - len(plan.failing)} warning(s))"
        )
    if plan.warnings:
        return f"no problem found ({len(plan.warnings)} warning(s) to check)"
    return "no problem found"


def as_json(plan: Plan) -> list[str]:
    data: dict[str, Any] = {
        "format": JSON_FORMAT_VERSION,
        "target": plan.target,
        "new": plan.new,
        "mode": plan.mode,
        "confirmation": plan.sentence(),
        "counts": plan.counts(),
        "entities": [
            {
                "kind": i.kind,
                "name": i.name,
                "action": i.action,
                "new_name": i.new_name,
                "fields": list(i.fields),
                "target_made_by_gtmgen": i.ours_in_target
                if i.action in (MODIFIED, DELETED)
                else None,
            }
            for i in plan.items
        ],
        "warnings": [
            {"code": w.code, "fails": w.fails, "message": masked_text(w.message)}
            for w in plan.warnings
        ],
        "ok": not plan.failing,
    }
    if plan.merged_file:
        data["merged_file"] = plan.merged_file
    return [json.dumps(data, ensure_ascii=False, indent=2)]


def _md(value: str) -> str:
    out = escape(value)
    for char in "\\`*_[]|<>~$#":
        out = out.replace(char, "\\" + char)
    return out


def markdown(plan: Plan) -> list[str]:
    status = "❌ resolve before importing" if plan.failing else "✅ safe to import"
    out = [
        f"### gtmgen plan: {status}",
        "",
        f"Import `{_md(plan.new)}` into `{_md(plan.target)}` with "
        f"**{rules.MODE_WORDS[plan.mode]}**.",
        "",
        f"GTM's confirmation should read: *{plan.sentence()}*",
        "",
        "| kind | added | modified | deleted | unchanged |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, n in plan.counts().items():
        out.append(
            f"| {rules.label(kind, 2)} | {n[ADDED]} | {n[MODIFIED]} | {n[DELETED]} "
            f"| {n[UNCHANGED]} |"
        )
    if plan.warnings:
        out += ["", "**Problems**" if plan.failing else "**Warnings**", ""]
        for w in plan.warnings:
            icon = "❌" if w.fails else "⚠️"
            out.append(f"- {icon} {_md(masked_text(w.message))} (`{w.code}`)")
    changed = [i for i in plan.items if i.action != UNCHANGED]
    if changed:
        out += ["", "<details><summary>Entities</summary>", ""]
        out += [f"- `{_MARK[i.action]}` {_md(_item_line(i))}" for i in changed]
        out += ["", "</details>"]
    return out


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
