"""The operator docs stay true to the code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_the_settings_read_is_documented():
    settings = (ROOT / "lienthong" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\"((?:LIENTHONG|DATABASE)_[A-Z0-9_]+)\"", settings))
    documented = (ROOT / "docs" / "van-hanh" / "cau-hinh.md").read_text(encoding="utf-8")
    assert read, "no variable found: the pattern no longer matches settings.py"
    assert sorted(name for name in read if name not in documented) == []


def test_every_command_in_the_help_page_is_documented_somewhere():
    from lienthong.cli import OUR_COMMANDS

    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    missing = [name.split()[0] for name, _ in OUR_COMMANDS if f"lienthong {name.split()[0]}" not in docs]
    assert missing == []
