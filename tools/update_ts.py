"""Bring ``resources/i18n/jiceng_en.ts`` up to date with the strings the app can show.

Run with ``python -m tools.update_ts`` after adding or changing UI text. Existing
translations are kept; new strings are added as unfinished (Qt Linguist lists them for a
translator); strings the app no longer uses are marked obsolete, as lupdate does.
``--merge FILE.json`` also fills translations from {context: {source: translation}}.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from app.ui.i18n import I18N_DIR
from app.ui.i18n_catalog import sources

TS = I18N_DIR / "jiceng_en.ts"


def read(path: Path) -> dict[tuple[str, str], str]:
    if not path.exists():
        return {}
    known = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else translation.findall("numerusform")
            node = forms[-1] if forms else translation  # English: the plural form
            text = "" if node is None else (node.text or "").strip()
            if translation is not None and translation.get("type") in ("unfinished", "obsolete"):
                text = ""
            known[(name, message.findtext("source", ""))] = text
    return known


def write(path: Path, wanted: dict[str, set[str]], known: dict[tuple[str, str], str]) -> int:
    root = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="zh_CN")
    missing = 0
    for name in sorted(wanted):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for source in sorted(wanted[name]):
            message = ET.SubElement(context, "message")
            if "%n" in source:
                message.set("numerus", "yes")
            ET.SubElement(message, "source").text = source
            text = known.get((name, source), "")
            translation = ET.SubElement(message, "translation")
            if "%n" in source:
                ET.SubElement(translation, "numerusform").text = text
                ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = text
            if not text:
                translation.set("type", "unfinished")
                missing += 1
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", "utf-8"
    )
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--merge", type=Path, help="JSON {context: {source: translation}}")
    args = parser.parse_args()
    known = read(TS)
    if args.merge:
        for context, pairs in json.loads(args.merge.read_text("utf-8")).items():
            known.update({(context, s): t for s, t in pairs.items() if t})
    wanted = sources()
    missing = write(TS, wanted, known)
    total = sum(len(v) for v in wanted.values())
    print(f"{TS}: {total} strings, {missing} without a translation")


if __name__ == "__main__":
    main()
