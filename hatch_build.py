"""Wheel build hook: the editor's script (Decap CMS, from `npm ci`) goes into the package when it is there.

So `pip install netsite` from a wheel built after `npm ci` serves /admin/ without Node; a wheel
built without it still works, and /admin/ says what to run (see docs/redaktor-nastrojka.md).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SCRIPT = Path("node_modules") / "decap-cms" / "dist" / "decap-cms.js"


class EditorScriptHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":  # pip install -e: netsite finds node_modules/ in the checkout itself
            return
        script = Path(self.root) / SCRIPT
        if script.is_file():
            build_data["force_include"][str(script)] = "netsite/editor/decap-cms.js"
            notices = script.with_name(script.name + ".LICENSE.txt")  # MIT and its bundled libraries'
            build_data["force_include"][str(notices)] = "netsite/editor/decap-cms.js.LICENSE.txt"
        else:
            self.app.display_warning(f"{SCRIPT} is missing (run npm ci): the wheel has no browser editor")
