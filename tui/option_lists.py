"""An OptionList that a click highlights and a second click selects, as DataTable rows do.

OptionList selects at the first click; in sitboard selecting opens another screen, and a click
that only meant to look (a claim's evidence, a city's marker on the map) would lose the view.
"""

from __future__ import annotations

from textual.events import Click
from textual.widgets import OptionList


class TwoClickOptionList(OptionList):
    async def _on_click(self, event: Click) -> None:
        event.prevent_default()  # not OptionList's own click handler, which selects at once
        clicked = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        if clicked == self.highlighted:
            self.action_select()
        else:
            self.highlighted = clicked
