"""The claims-by-source pane: claims grouped by who makes them, and the evidence sentence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from rich.segment import Segment
from rich.text import Text
from sitboard.ingest.model import Claim
from sitboard.ingest.profile import Profile
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import VisualType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .bidi import Mode, truncate_line
from .bidi_text import BidiText
from .display import claim_summary, fit, one_line, short_time, source_name
from .option_lists import TwoClickOptionList

TIME_WIDTH = 11
CITY_WIDTH = 10
MIN_CLAIM_WIDTH = 8
GAP = "  "
FIXED_WIDTH = TIME_WIDTH + CITY_WIDTH + 2 * len(GAP)

Groups = tuple[tuple[str, tuple[Claim, ...]], ...]
UNBUILT = Text()  # the prompt of every claim option until it is built (never drawn, never changed)


class ClaimsList(TwoClickOptionList):
    """One disabled header option per source, then its claims, newest first.

    A claim takes two lines: time, city and what is claimed; then the outlet. A click shows a
    claim's evidence; a click on the highlighted claim (or Enter) opens its item.
    """

    DEFAULT_CSS = """
    ClaimsList > .option-list--option-disabled {
        color: $text-accent;
        text-style: bold;
    }
    """

    def on_resize(self) -> None:
        # The lines are laid out for one width; the pane lays them out again for the new one.
        parent = self.parent
        if isinstance(parent, ClaimsPane):
            parent.relayout()

    # OptionList measures each option's height by laying its prompt out, which at hundreds of
    # claims was most of a filter change. Every prompt here is a no-wrap Text cut to the
    # width, so its height is its count of lines: counted, not drawn. Only the rows on screen
    # are rendered (OptionList.render_line).

    _drawing = False  # inside render_lines, where the lines were brought up to date once

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        self._drawing = True
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = False

    def _update_lines(self) -> None:
        if self._drawing:
            return  # OptionList asks again for every line it draws
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        options = self.options
        start = cache.lines[-1][0] + 1 if cache.lines else 0
        for index in range(start, len(options)):
            height = option_height(options[index])
            cache.index_to_line[index] = len(cache.lines)
            cache.heights[index] = height
            cache.lines.extend((index, row) for row in range(height))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        size = Size(width, len(cache.lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(option_height(option) for option in self.options)

    # OptionList draws a prompt by turning it into Content and laying that out again (about a
    # millisecond per claim, most of a filter change's drawing). These prompts are no-wrap Texts
    # already cut to the width: their lines are drawn as Rich renders them, over the option's
    # style, as Content does. Kept in OptionList's own cache (emptied with the options).

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        padding = self.get_component_styles("option-list--option").padding
        prompt = option.prompt
        if padding or option._divider or not isinstance(prompt, Text):
            return super()._get_option_render(option, style)
        key = (option, style, padding)
        strips = self._option_render_cache.get(key)
        if strips is None:
            width = self.scrollable_content_region.width - self._get_left_gutter_width()
            base = style.rich_style
            console = self.app.console
            meta = {"option": self._option_to_index[option]}
            strips = []
            for line in prompt.split("\n", allow_blank=True):
                segments = Segment.apply_style(line.render(console, end=""), base)
                strip = Strip(segments).crop_extend(0, width, base).apply_meta(meta)
                strips.append(strip)
            self._option_render_cache[key] = strips
        return strips


class ClaimOption(Option):
    """A claim's option, whose prompt is built the first time it is drawn or read: a filter
    change makes hundreds of these and the screen shows a dozen."""

    LINES = 2

    def __init__(self, build: Callable[[], Text], id: str) -> None:
        super().__init__(UNBUILT, id=id)  # one shared placeholder: a Text each cost ~1 ms a rebuild
        self._build: Callable[[], Text] | None = build

    @property
    def built(self) -> bool:
        """Whether the prompt has been made (drawn, or read)."""
        return self._build is None

    @property
    def prompt(self) -> VisualType:
        if self._build is not None:
            self._prompt = self._build()
            self._build = None
        return self._prompt


def option_height(option: Option) -> int:
    """Screen lines of a claims-list option: its prompt is never wrapped."""
    if isinstance(option, ClaimOption):
        return ClaimOption.LINES
    prompt = option.prompt
    return prompt.plain.count("\n") + 1 if isinstance(prompt, Text) else 1


class ClaimsPane(Vertical):
    """The grouped claims list with the highlighted claim's evidence below it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: Groups = ()
        self._claims: list[Claim] = []
        self._profile: Profile | None = None
        self._mode: Mode = "on"
        self._width = 0
        self._times: dict[str, datetime | None] = {}
        self._evidence: tuple[Claim | None, Profile | None, Mode] | None = None

    def compose(self) -> ComposeResult:
        yield ClaimsList(id="claims-list", markup=False)
        yield Static(id="evidence-label", markup=False)
        yield BidiText(id="evidence")

    def show(
        self,
        groups: Groups,
        profile: Profile,
        mode: Mode,
        item_times: dict[str, datetime | None] | None = None,
    ) -> None:
        times = item_times or {}
        same = (groups, profile, mode, times) == (
            self._groups,
            self._profile,
            self._mode,
            self._times,
        )
        if same and self._width == self._line_width():
            return  # nothing to redraw (a filter that leaves the claims as they were)
        self._groups = groups
        self._profile = profile
        self._mode = mode
        self._times = times
        self._rebuild()

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(self._claims)

    def relayout(self) -> None:
        if self._profile is not None and self._line_width() != self._width:
            self._rebuild()

    def _line_width(self) -> int:
        options = self.query_one(ClaimsList)
        # Leave room for the scrollbar even before it shows: its arrival sends no resize.
        room = options.content_region.width - options.styles.scrollbar_size_vertical
        return max(FIXED_WIDTH + MIN_CLAIM_WIDTH, room)

    def _rebuild(self) -> None:
        profile = self._profile
        if profile is None:
            return
        options = self.query_one(ClaimsList)
        previous = options.highlighted
        width = self._line_width()
        self._width = width
        self._claims = []
        prompts: list[Option] = []
        for source, claims in self._groups:
            name = truncate_line(source_name(profile, source), width - 8, self._mode, align=False)
            header = Text(f"{name} · {len(claims)}", no_wrap=True)
            prompts.append(Option(header, disabled=True))
            for claim in claims:
                build = partial(claim_prompt, claim, profile, width, self._mode, self._times)
                prompts.append(ClaimOption(build, id=f"claim-{len(self._claims)}"))
                self._claims.append(claim)
        options.set_options(prompts)
        if self._claims:
            index = previous if previous is not None and previous < len(prompts) else 1
            if prompts[index].disabled:
                index = 1
            options.highlighted = index
        self._show_evidence(self._claim_at(options.highlighted))

    def _claim_at(self, index: int | None) -> Claim | None:
        if index is None:
            return None
        option = self.query_one(ClaimsList).get_option_at_index(index)
        if option.id is None or not option.id.startswith("claim-"):
            return None
        return self._claims[int(option.id.removeprefix("claim-"))]

    @on(OptionList.OptionHighlighted, "#claims-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_evidence(self._claim_at(event.option_index))

    def _show_evidence(self, claim: Claim | None) -> None:
        if self._evidence == (claim, self._profile, self._mode):
            return  # the same evidence: an update would still lay the screen out again
        self._evidence = (claim, self._profile, self._mode)
        label = self.query_one("#evidence-label", Static)
        evidence = self.query_one("#evidence", BidiText)
        if claim is None or self._profile is None:
            label.update("")
            evidence.show("", self._mode)
            return
        who = source_name(self._profile, claim.source)
        outlet = truncate_line(one_line(claim.outlet), 20, self._mode, align=False)
        label.update(
            Text.assemble(
                ("Evidence", "bold"),
                f" · {round(claim.confidence * 100)}% · {who} · ",
                (outlet or "unknown outlet", "cyan"),
            )
        )
        evidence.show(claim.evidence, self._mode)


def claim_prompt(
    claim: Claim,
    profile: Profile,
    width: int,
    mode: Mode,
    times: dict[str, datetime | None],
) -> Text:
    """Two lines: time, city and what is claimed; then the outlet, often long Arabic."""
    line = Text(no_wrap=True, overflow="crop")
    when = claim.when or times.get(claim.item)
    line.append(fit(short_time(when), TIME_WIDTH, "off"), "dim")
    line.append(GAP)
    line.append(fit(profile.place_name(claim.city), CITY_WIDTH, "off"), "bold")
    line.append(GAP)
    line.append(fit(claim_summary(profile, claim), width - FIXED_WIDTH, "off"))
    line.append("\n" + " " * (TIME_WIDTH + len(GAP)))
    line.append("via ", "dim")
    outlet = one_line(claim.outlet) or "unknown outlet"
    outlet_width = width - TIME_WIDTH - len(GAP) - 4
    line.append(truncate_line(outlet, outlet_width, mode, align=False), "cyan")
    return line
