"""Claim extraction: who says what about which city, in one news item.

Each sentence of the title and body is read in four steps:
1. marks: actor names (profile), reporting verbs, control events and grammar words (lexicon.py)
   are found on normalised tokens, longest phrase first, actor names before everything else;
2. frames: each reporting verb opens a frame with a speaker (verb first, actor first, trailing
   "وفق ما أفاد", or a continuation of the previous speaker); text outside every frame is the
   outlet's own voice;
3. events: each control event gets its subject (the actor doing it), its city (PlaceMatcher,
   with scopes and back-references) and its modality (negation, future, intent, history);
4. claims: the event's kind and the subject's side give the state the speaker says the city is
   in; the reporting verb gives the stance (an admission against interest is `admit`).

The extractor holds only read-only tables built once, so `extract` is safe from any thread.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from . import lexicon as lx
from .arabic import Token, normalize, sentences, tokenize
from .attribution import (
    ACTOR,
    OUTLET,
    SPEAKER,
    Frame,
    Mark,
    addressee,
    find_frames,
    frame_for,
    name_words,
    profile_marker,
)
from .lexicon import Sense
from .model import PARTIES, Claim, Item
from .places import PlaceMatcher, PlaceMention
from .profile import Profile
from .when import REGION_OFFSET, time_reference

# The side a party loses a city to when the sentence names no other party.
DEFAULT_OPPONENT = {"gov": "opp", "opp": "gov", "sdf": "opp"}

# How far (in tokens) the extractor looks for the pieces of a statement.
PLACE_SPAN = 16  # from an event to its city
MODALITY_SPAN = 4  # from a negation / intent word to the event it governs

_YEAR = re.compile(r"(19|20)\d\d")
_HISTORY_LEADS = frozenset(normalize(w) for w in ["عام", "العام", "سنة", "منذ", "في", "خلال"])
_SINCE = normalize("منذ")
_SINCE_FORMS = frozenset((_SINCE, "و" + _SINCE, "ف" + _SINCE))
# Kinds whose noun takes the city with a preposition (سيطرتها على): a suffix is the subject.
_INTRANSITIVE = frozenset({"capture", "hold", "fighting", "withdrawal", lx.INCURSION})
_QUESTION_END = ("?", "؟")
_THAT = frozenset(normalize(w) for w in ["ذلك", "هذا", "هذه", "تلك", "ذلك،"])
# Marks that end the clause an event's city is looked for in.
_CLAUSE_ENDS = frozenset(
    {lx.EVENT, lx.REPORT, lx.INTENT, lx.FUTURE, lx.FAILED, lx.ABLE, lx.GOAL}
    | {lx.CLAUSE, lx.CONDITION}
)
# Marks after which an event's subject is no longer looked for.
_SUBJECT_ENDS = frozenset(
    {lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER, lx.CONNECTOR, lx.RELATIVE, lx.CLAUSE}
)
# "من يسيطر على حمص يسيطر على …": whoever does it, a generic statement, no event
_WHOEVER = frozenset(normalize(w) for w in ["من", "ومن", "فمن", "كل_من"])
# Nouns that introduce a settlement by name (بلدة الزربة): when the name that follows is not a
# place of the profile, the event is about that other place, not a city named further on.
_SETTLEMENT_NOUNS = frozenset(
    normalize(w)
    for w in ["بلدة", "بلدات", "قرية", "قرى", "مدينة", "منطقة", "ناحية", "بلدتي", "قريتي"]
)
_ON_IT = frozenset(normalize(w) for w in ["عليها", "عليه", "إليها", "إليه", "منها", "منه"])
_TIME_CONJUNCTIONS = frozenset(
    p + normalize(w) for w in ["قبل", "بعد", "منذ", "عقب"] for p in ("", "و", "ف")
)
_STILL_BETWEEN = frozenset(
    normalize(w)
    for w in ["التي", "الذي", "لا", "ما", "تزال", "يزال", "زالت", "زال", "تبقى", "يبقى", "بقيت"]
)
_QUESTION_LEADS = frozenset(normalize(w) for w in ["س", "سؤال", "السؤال"])
_ANSWER_LEADS = frozenset(normalize(w) for w in ["ج", "جواب", "الجواب"])
# Sentences after a quoted statement that are the outlet's own background again.
_BACKGROUND_LEADS = frozenset(
    normalize(w)
    for w in [
        "ويأتي", "يأتي", "وتأتي", "تأتي", "وكان", "وكانت", "يذكر", "ويذكر", "وتجدر", "يشار",
        "ويشار", "وجاء", "وفي", "في", "من", "ومن", "على", "وعلى",
    ]
)  # fmt: skip
_INTERVIEWS = frozenset(
    p + normalize(w)
    for w in ["مقابلة", "حوار", "لقاء", "حديث", "مقابلته", "حواره", "لقائه", "حديثه"]
    for p in ("", "و", "ب", "في", "ف", "وب", "ل")
)
_INTERVIEW_WITH = frozenset(normalize(w) for w in ["مع", "ومع"])


_STATEMENT_NOUNS = frozenset(
    p + normalize(w)
    for w in ["البيان", "بيان", "بيانها", "بيانه", "نص", "النص", "التصريح", "الرسالة", "الكلمة"]
    for p in ("", "و", "ف")
)


def _name_label(
    text: str, tokens: Sequence[Token], names: dict[str, str]
) -> tuple[str, int] | None:
    """A line that starts with one to three words of a name the item gave before, then a
    colon (الحموي: …، أبو حسن الحموي: …): that speaker's words."""
    if not names:
        return None
    actors: set[str] = set()
    for k, token in enumerate(tokens[:3]):
        actor = names.get(token.norm)
        if actor is None:
            return None
        actors.add(actor)
        end = tokens[k + 1].start if k + 1 < len(tokens) else len(text)
        if ":" in text[token.end : end]:
            return (actors.pop(), k + 1) if len(actors) == 1 else None
    return None


def _interviewee(tokens: Sequence[Token], marks: list[Mark]) -> Mark | None:
    """أجرى الموقع مقابلة مع القيادي …، في حوار خاص مع مظلوم عبدي: the party's speaker the
    interview is with (a title of up to three words may come before the name)."""
    for k, token in enumerate(tokens):
        if token.norm not in _INTERVIEWS:
            continue
        at = next(
            (n for n in range(k + 1, min(len(tokens), k + 3)) if tokens[n].norm in _INTERVIEW_WITH),
            None,
        )
        if at is None:
            continue
        for mark in marks:
            if at < mark.i <= at + 4 and mark.role in (ACTOR, SPEAKER):
                return mark
    return None


@dataclass(slots=True)
class _State:
    """What carries from one sentence of an item to the next."""

    speaker: str | None = None  # last explicitly named speaker
    last_city: str | None = None
    # sentences (with their tokens) not yet searched for cities
    pending: list[tuple[str, list[Token]]] = field(default_factory=list)
    when: datetime | None = None  # time the last named statement was made
    timed: bool = False  # whether this sentence's frames were timed
    read: list[tuple[str, list[Token], list[Mark]]] = field(default_factory=list)
    attacker: str | None = None  # the party the item shows taking cities (worked out lazily)
    attacker_known: bool = False
    topic: str | None = None  # the city the title names first
    background: list[Claim] = field(default_factory=list)  # holds told in a description
    paragraph: list[str] = field(default_factory=list)  # earlier sentences of this paragraph
    names: dict[str, str] = field(default_factory=dict)  # words of named speakers -> actor
    source: str | None = None  # speaker of the last named statement (OUTLET for مصادر)
    # the speaker of a statement that goes on past its sentence: an open «…, a paragraph that
    # ends with a colon, an interview's answers; None when nothing goes on
    carry: str | None = None
    carry_colon: bool = False  # carried since a colon (ends at the outlet's own background)
    clock: datetime | None = None  # the time of a live blog's entry ("10:45 - …"), this line
    guest: str | None = None  # the party an interview in the item is with
    asked: bool = False  # the sentence before was an interview's question
    # the party each city was last said (in this item) to be held by, for a neutral "calm"
    holders: dict[str, str] = field(default_factory=dict)


class Extractor:
    """Reads items into claims; build once per profile, call `extract` from any thread."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.places = PlaceMatcher(profile)
        self.marker = profile_marker(profile)
        lexicon = self.marker.lexicon
        self._event_words = (
            frozenset(
                norm for norm, senses in lexicon.items() if any(s.role == lx.EVENT for s in senses)
            )
            | {p.split()[0] for p in lx.POSSESSION}
            | _INSIDE
        )
        self._sides = {a.id: a.side for a in profile.actors.values()}
        self._sides[OUTLET] = "media"

    # --- public ---------------------------------------------------------------------------

    def extract(self, item: Item) -> list[Claim]:
        """The claims of one item, in text order (title first)."""
        # the very string the feed parser searched for places: its tokens are cached (a line
        # break always ends a sentence, so the title's sentences come first, as they are)
        whole = f"{item.title}\n{item.text}"
        # most items tell of no control event: one set test per word, no further reading
        if self._event_words.isdisjoint(t.norm for t in tokenize(whole)):
            return []
        split = _sentence_tokens(whole)
        read = [
            (text, tokens, _presence(tokens, _lost(tokens, self.marker.marks(tokens))))
            for text, tokens, _ in split
        ]
        if not any(_is_event(tokens, m) for _, tokens, marks in read for m in marks):
            return []
        voice = self._outlet_voice(item)
        state = _State(read=read)
        claims: list[Claim] = []
        state.topic = next(iter(self.places.places(item.title)), None) if item.title else None
        for (text, tokens, marks), (_, _, paragraph) in zip(read, split, strict=True):
            if paragraph:
                state.paragraph.clear()
                clock = _entry_clock(text, item.published)
                if clock is not None:
                    # a live blog's entry: its own statement, not the one before it goes on;
                    # the paragraphs under it with no clock of their own are the same entry's
                    state.clock = clock
                    state.speaker = state.carry = None
            told = self._sentence(text, tokens, marks, item, voice, state)
            for claim in told:
                if claim.state in PARTIES:
                    state.holders[claim.city] = claim.state
                else:
                    state.holders.pop(claim.city, None)
            claims.extend(told)
            state.paragraph.append(text)
        return _drop_superseded_background(claims, state.background)

    # --- setup ----------------------------------------------------------------------------

    def _outlet_voice(self, item: Item) -> str:
        names = f"{item.outlet}\x1f{item.feed}".lower()
        for fragment, actor in self.profile.outlets.items():
            if fragment in names:
                return actor
        return OUTLET

    def _side(self, actor: str) -> str:
        return self._sides.get(actor, "media")

    # --- step 1: marks --------------------------------------------------------------------

    # --- the sentence ---------------------------------------------------------------------

    def _sentence(
        self,
        text: str,
        tokens: list[Token],
        marks: list[Mark],
        item: Item,
        voice: str,
        state: _State,
    ) -> list[Claim]:
        # frames matter even with no city: "وقال الجيش …" names whom a next "وأضاف" continues
        frames = find_frames(text, tokens, marks, state.speaker, voice, state.names, state.source)
        frames = self._carried(text, tokens, marks, frames, state)
        claims: list[Claim] = []
        state.timed = False
        # المدينتين: the two cities named last, maybe in an earlier sentence only
        pair = any(t.norm in _PAIR_REFS for t in tokens)
        if any(_is_event(tokens, m) for m in marks) and (pair or self.places.may_mention(tokens)):
            if state.pending and any(_may_refer(t.norm) for t in tokens):
                state.last_city = self._last_city(state)
            mentions = self.places.find(text, state.last_city, tokens)
            mentions = self._pronouns_in_paragraph(mentions, state)
            if mentions or pair:
                claims = self._claims(text, tokens, marks, frames, mentions, item, voice, state)
        # what a later المدينة refers to is worked out only if a later sentence has an event
        state.pending.append((text, tokens))
        explicit = [f for f in frames if f.explicit]
        if explicit and not state.timed:
            # "وقال الجيش في بيان بوقت سابق …" with no claim of its own: a next "وأضاف" was
            # said at that time
            opening = _opening(text, tokens, marks, explicit[-1])
            said = _time_with_label(opening, item.published) if opening else None
            state.when = said[0] if said is not None and said[2] else None
        for frame in frames:
            if frame.explicit and not frame.trailing:
                state.source = frame.speaker
            if frame.explicit and frame.speaker != OUTLET:
                state.speaker = frame.speaker
                for word in name_words(text, tokens, marks, frame):
                    state.names[word] = frame.speaker
        self._carry_on(text, tokens, frames, state)
        return claims

    def _carried(
        self,
        text: str,
        tokens: list[Token],
        marks: list[Mark],
        frames: list[Frame],
        state: _State,
    ) -> list[Frame]:
        """A sentence inside a statement that goes on (the rest of an open quote, the paragraphs
        after "قال في بيان:", an interview's answer) is the statement's speaker's; an interview
        introduced with "مقابلة مع X" names who answers."""
        lead = tokens[0].norm if tokens else ""
        head = text.lstrip()
        asked, state.asked = state.asked, False
        if (lead in _QUESTION_LEADS and head[len(tokens[0].text) :].lstrip()[:1] in ":-/") or (
            state.guest is not None and text.rstrip().endswith(_QUESTION_END)
        ):
            # س: / a question in an interview: the interviewer asks; the answer follows
            state.carry = None
            state.asked = True
            return frames
        if (
            lead in _ANSWER_LEADS
            and head[len(tokens[0].text) :].lstrip()[:1] in ":-/"
            and not frames
            and state.speaker is not None
        ):
            state.carry, state.carry_colon = state.speaker, False
            state.guest = state.guest or state.speaker
        elif asked and not frames and state.guest is not None:
            # an answer paragraph right after the question, with no label
            state.carry, state.carry_colon = state.guest, False
        if not frames:
            labelled = _name_label(text, tokens, state.names)
            if labelled is not None:
                # الحموي: دخلنا من جهة …: an answer labelled with a name the item gave before
                state.carry = None
                return [Frame(0, labelled[1], labelled[0], "assert", False, True)]
        guest = _interviewee(tokens, marks) if state.guest is None else None
        if guest is not None and self._side(guest.value) == "media":
            # قال عبدي في مقابلة مع وكالة فرانس برس: the agency asks, the speaker answers
            named = [f.speaker for f in frames if f.explicit and self._side(f.speaker) in PARTIES]
            state.guest = named[-1] if named else None
            guest = None
        if guest is not None:
            state.guest = guest.value
            if not frames:
                state.speaker = guest.value
            # the guest's title and name, up to the first comma (… أبو حسن الحموي، تحدث)
            end = guest.j
            while (
                end < len(tokens)
                and end - guest.j < 9
                and not set("،,:.") & set(text[tokens[end - 1].end : tokens[end].start])
            ):
                end += 1
            for word in (t.norm for t in tokens[guest.i : end] if len(t.norm) > 2):
                state.names.setdefault(word, guest.value)
        if frames or state.carry is None:
            return frames
        if state.carry_colon and lead in _BACKGROUND_LEADS:
            state.carry = None
            return frames
        return [Frame(0, 0, state.carry, "assert", False, False)]

    @staticmethod
    def _carry_on(text: str, tokens: list[Token], frames: list[Frame], state: _State) -> None:
        """Whether the statement of this sentence goes on into the next one."""
        opened = text.count("«") + text.count("\u201c") - text.count("»") - text.count("\u201d")
        named = [f for f in frames if not f.trailing and f.speaker != OUTLET]
        if named and opened > 0:
            state.carry, state.carry_colon = named[-1].speaker, False
        elif named and text.rstrip().endswith(":"):
            state.carry, state.carry_colon = named[-1].speaker, True
        elif (
            not frames
            and state.speaker is not None
            and text.rstrip().endswith(":")
            and any(t.norm in _STATEMENT_NOUNS for t in tokens)
        ):
            # أصدرت قسد بياناً … وفيما يلي نص البيان: the text that follows is the statement
            state.carry, state.carry_colon = state.speaker, True
        elif opened < 0 and state.carry is not None and not state.carry_colon:
            state.carry = None  # the quote closes
        elif named and frames[-1].explicit:
            state.carry = None  # somebody else speaks now

    def _last_city(self, state: _State) -> str | None:
        """The city a back-reference at the start of this sentence means (المدينة، فيها),
        chained through the sentences before it by the place matcher."""
        last = state.last_city
        for text, tokens in state.pending:
            if self.places.may_mention(tokens):
                last = self.places.referent(text, last, tokens)
        state.pending.clear()
        return last

    # --- step 2: frames -------------------------------------------------------------------

    # --- steps 3 and 4: events and claims -------------------------------------------------

    def _claims(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        frames: list[Frame],
        mentions: list[PlaceMention],
        item: Item,
        voice: str,
        state: _State,
    ) -> list[Claim]:
        question = text.rstrip().endswith(_QUESTION_END) or (tokens[0].norm in ("هل", "وهل", "فهل"))
        all_marks = marks
        if question:
            return []
        mentions = _not_speakers(text, tokens, marks, mentions)
        mentions = _not_controllers(tokens, marks, mentions)
        mentions = _not_doers(tokens, marks, mentions)
        starts = [t.start for t in tokens]
        placed = [
            (
                bisect.bisect_right(starts, m.start) - 1,
                max(bisect.bisect_left(starts, m.end) - 1, 0),
                m,
            )
            for m in mentions
        ]
        events = [
            m
            for m in marks
            if m.role == lx.EVENT
            or (
                _is_event(tokens, m)
                # سقطت حماة بيد الفصائل: the fall owns its winner
                and not any(e.role == lx.EVENT and 0 <= m.i - e.j <= 8 for e in marks)
            )
        ]
        # each event is read with the marks and places around it only, so that one very long
        # sentence costs time in proportion to its length
        starts = [m.i for m in marks]
        all_placed = placed
        place_starts = [i for i, _, _ in placed]
        # events that can own a year told near them (not a verb's object noun): once a sentence
        owners = [
            m
            for m in marks
            if m.role == lx.EVENT and _verb_of_object(_near(marks, starts, m), m) is None
        ]
        owner_starts = [m.i for m in owners]
        times = self._frame_times(text, tokens, marks, frames, item, state)
        retractions = _retractions(tokens)
        found: dict[tuple[str, str, str, str], Claim] = {}
        dated: list[Mark] = []  # events told with a past year
        origin: dict[tuple[str, str, str, str], int] = {}  # claim key -> its event's token
        for event in events:
            marks = _near(all_marks, starts, event)
            placed = _near_places(all_placed, place_starts, event)
            frame_index = frame_for(frames, event.i)
            frame = frames[frame_index] if frame_index is not None else None
            if frame is not None and (frame.negated or frame.stance == lx.SPECULATE):
                continue  # لم تؤكد مصادر مستقلة دخول، يتوقع محللون أن …: claimed by nobody
            speaker = frame.speaker if frame else voice
            stance = frame.stance if frame else "assert"
            when, historic = times[frame_index] if frame_index is not None else times[None]
            near_owners = _near(owners, owner_starts, event)
            if self._historic_near(tokens, near_owners, event, item.published):
                dated.append(event)
                continue
            if dated and _before_that(text, tokens, dated[-1], event, item.published):
                continue  # سيطرت على حلب عام 2012 قبل أن تستعيدها القوات الحكومية: history too
            if historic:
                # the sentence's past year is not this event's (… خسرت تل رفعت التي سيطرت
                # عليها عام 2016; الخاضعة لسيطرة الهيئة منذ عام 2015): told at the item's time
                when = item.published
            modality = self._modality(marks, event)
            if modality == "skip" or self._object_of_verb(marks, event):
                continue
            if _may_follow(tokens, event):
                continue  # سقوط حماة قد يفتح الطريق: what a fall may lead to, not a fall
            if _unverified(tokens, event):
                continue  # لم يتسن التحقق من سيطرة الفصائل على حمص: nobody claims it
            if tokens[event.i].norm in _GIVE_UP and not _gives_up_place(tokens, placed, event):
                continue  # تخلت روسيا عن دعم النظام في حلب: what is given up is no city
            if retractions and _retracted(retractions, marks, event):
                continue
            if _pulled_not_forces(tokens, marks, event):
                continue
            if _generic(tokens, event):
                continue
            deny = stance == "deny" or self._denied(marks, frame, frames, event)
            hedge = 1.0
            if not deny and _rumoured(marks, event):
                # أنباء غير مؤكدة عن، ما يتداول عن: hearsay. The outlet and a party relaying it
                # stand behind none of it; a named neutral source relaying it alleges it
                if frame is None or not frame.explicit or self._side(speaker) in PARTIES:
                    continue
                if speaker == OUTLET:
                    continue
                stance, hedge = "allege", 0.6
            shared = _shared(tokens, marks, event)
            if shared == "was":
                continue
            for claim_state, kind, where, confidence in self._readings(
                state.last_city,
                text,
                tokens,
                marks,
                event,
                placed,
                speaker,
                modality,
                frame,
                state,
            ):
                if shared and claim_state in PARTIES:
                    claim_state, kind = "contested", "hold"  # تتقاسم قسد والحكومة السيطرة
                if deny:
                    denied = self._denial(speaker, claim_state, kind)
                    if denied is None:
                        continue
                    claim_state, kind = denied
                    claim_stance = "deny"
                elif kind == "denial":
                    claim_stance = "deny"
                else:
                    claim_stance = self._stance(stance, speaker, claim_state)
                confidence *= hedge
                if frame is None:
                    confidence *= 0.95
                elif not frame.explicit:
                    confidence *= 0.85
                background = kind == _BACKGROUND_HOLD
                if background:
                    kind = "hold"
                claim = Claim(
                    item=item.id,
                    source=speaker,
                    side=self._side(speaker),
                    city=where.place,
                    state=claim_state,
                    kind=kind,
                    stance=claim_stance,
                    when=when,
                    evidence=text,
                    confidence=round(max(0.05, min(1.0, confidence)), 2),
                    outlet=item.outlet,
                )
                if background:
                    state.background.append(claim)
                key = (claim.source, claim.city, claim.state, claim.kind)
                if key not in found or found[key].confidence < claim.confidence:
                    found[key] = claim
                    origin[key] = event.i
        if len(origin) > 1:
            found = _drop_undone(tokens, found, origin)
        claims = _drop_weaker_contested(list(found.values()))
        return claims + self._denials_of_that(tokens, all_marks, frames, claims, times, item)

    def _denials_of_that(
        self,
        tokens: Sequence[Token],
        marks: list[Mark],
        frames: list[Frame],
        claims: list[Claim],
        times: dict[int | None, tuple[datetime | None, bool]],
        item: Item,
    ) -> list[Claim]:
        """ "… دخلوا أحياء حمص، بينما نفت وزارة الدفاع ذلك": a party denying what was just
        told holds the cities it was told of."""
        out: list[Claim] = []
        for n, frame in enumerate(frames):
            if frame.stance != "deny" or self._side(frame.speaker) not in PARTIES:
                continue
            after = tokens[frame.start : frame.start + 2]
            if not any(t.norm in _THAT for t in after):
                continue
            if any(m.role == lx.EVENT and m.i >= frame.start for m in marks):
                continue
            side = self._side(frame.speaker)
            told = [c for c in claims if c.state != side]
            for city in dict.fromkeys(c.city for c in told):
                out.append(
                    Claim(
                        item=item.id,
                        source=frame.speaker,
                        side=side,
                        city=city,
                        state=side,
                        kind="denial",
                        stance="deny",
                        when=times.get(n, times[None])[0],
                        evidence=told[0].evidence,
                        confidence=0.7,
                        outlet=item.outlet,
                    )
                )
        return out

    def _frame_times(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        frames: list[Frame],
        item: Item,
        state: _State,
    ) -> dict[int | None, tuple[datetime | None, bool]]:
        """Each frame's time and whether it is background history: the time said with the
        reporting verb (أعلنت في وقت سابق اليوم أنها …), else the words of its statement, else
        the sentence's; a continuation with none goes on at its statement's time."""
        whole_when, whole_historic, whole_specific = _time_with_label(text, item.published)
        if not whole_specific and state.clock is not None:
            whole_when = state.clock  # "11:20 - …": the entry's own time
        whole = (whole_when, whole_historic)
        out: dict[int | None, tuple[datetime | None, bool]] = {None: whole}
        state.timed = True
        # only a sentence with a time word and several statements needs each one's own reading
        several = whole_specific and sum(not f.trailing for f in frames) > 1
        for n, frame in enumerate(frames):
            if frame.trailing:
                out[n] = whole
                continue
            opening = _opening(text, tokens, marks, frame) if whole_specific else ""
            header = _time_with_label(opening, item.published) if opening else None
            said = header is not None and header[2]
            if header is not None and said:
                when, historic, specific = header
            elif several:
                later = [f.verb for f in frames[n + 1 :] if not f.trailing]
                end = tokens[later[0]].start if later else len(text)
                segment = text[tokens[frame.verb].start : end]
                when, historic, specific = _time_with_label(segment, item.published)
            else:
                when, historic, specific = whole_when, whole_historic, whole_specific
            if not specific:
                when, historic = whole
                if not whole_specific and not frame.explicit and state.when is not None:
                    when = state.when  # وأضاف: the statement goes on at the time it was made
            out[n] = (when, historic)
            if frame.explicit:
                # only the time the statement was made carries on, not the times it speaks of
                # ("قال الجيش: «على مدى الأيام الماضية …»" was said today)
                state.when = when if said else None
        return out

    @staticmethod
    def _historic_near(
        tokens: Sequence[Token], events: list[Mark], event: Mark, published: datetime | None
    ) -> bool:
        """A past year told with this event ("سيطرت عليها عام 2016"), not "منذ عام 2015".
        `events` are the sentence's events that can own a year (not a verb's object noun)."""
        lo, hi = max(0, event.i - 6), min(len(tokens), event.j + 14)
        for k in range(max(lo, 1), hi):
            norm = tokens[k].norm
            if len(norm) != 4 or not _YEAR.fullmatch(norm):
                continue
            # a year belongs to the event told before it (سيطرت عليها عام 2016), else the next
            before = [m for m in events if m.i < k]
            owner = before[-1] if before else next((m for m in events if m.i > k), None)
            if owner is not event:
                continue
            if any(t.norm in _SINCE_FORMS for t in tokens[max(0, k - 3) : k]):
                continue  # منذ عام 2015: a state that still holds, told with its start
            if published is not None:
                if int(norm) < published.year:
                    return True
            elif tokens[k - 1].norm in _HISTORY_LEADS:
                return True
        return False

    @staticmethod
    def _modality(marks: list[Mark], event: Mark) -> str:
        """'skip' (negated, future, intent), 'failed' (لن يتمكن من …), 'no-longer' or ''."""
        sense = event.sense
        if sense is not None and sense.future:
            return "skip"
        if sense is not None and sense.noun and "ل" in sense.prefix:
            # تخضع (مدينة منبج) لسيطرة …: a state, not a purpose
            under = [
                m
                for m in marks
                if m.role == lx.UNDER
                and 0 <= event.i - m.j <= 6
                and not any(
                    o.role in (lx.EVENT, lx.REPORT, ACTOR) and m.j <= o.i < event.i for o in marks
                )
            ]
            denied = any(m.role == lx.DENY and m.j == event.i for m in marks)
            if not under and not denied:
                return "skip"  # لدخول، للسيطرة: purpose, not a result (لا صحة لدخول: denied)
        if sense is not None and sense.noun and sense.prefix.startswith("و"):
            # لصد وإفشال: a masdar joined to a purpose masdar is a purpose too
            joined = next((m for m in marks if m.j == event.i and m.role == lx.EVENT), None)
            if joined is not None and joined.sense is not None and "ل" in joined.sense.prefix:
                return "skip"
        if (
            sense is not None
            and not sense.noun
            and sense.prefix in ("و", "ف")
            and Extractor._joined_to_future(marks, event)
        ):
            return "skip"  # «سنستعيد حلب ونطرد الإرهابيين منها»: the joined verb is future too
        # تعهدت إدارة العمليات العسكرية في بيان بتحرير …: before a masdar, the actor's name
        # does not count
        named_between = (
            {k for m in marks if m.role == ACTOR for k in range(m.i, m.j)}
            if sense is not None and sense.noun
            else set()
        )

        def near(m: Mark) -> bool:
            gap = event.i - m.j
            if gap <= MODALITY_SPAN:
                return True
            if gap - len(named_between) > MODALITY_SPAN:
                return False  # too far even if every named word in between is discounted
            return gap - sum(k in named_between for k in range(m.j, event.i)) <= MODALITY_SPAN

        before = [m for m in marks if m.j <= event.i and near(m)]
        before = [m for m in before if m.role != ACTOR]
        for n in range(len(before) - 1, -1, -1):
            mark = before[n]
            if mark.role in (lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER):
                break
            if mark.role == lx.FAILED:
                return "failed"
            if mark.role == lx.ABLE:
                prior = before[n - 1] if n > 0 else None
                if prior is not None and prior.role == lx.NEGATION and mark.i - prior.j <= 1:
                    return "failed"
                continue
            if mark.role in (lx.FUTURE, lx.INTENT, lx.CONDITION):
                return "skip"
            if mark.role == lx.PAST and sense is not None and sense.present and not sense.noun:
                return "skip"  # كانت قوات النظام تسيطر على حلب: what was going on, not now
            if mark.role == lx.NEGATION:
                after = next((m for m in marks if m.i == mark.j), None)
                if after is not None and after.role == lx.STILL:
                    return ""  # لا تزال: still
                if after is not None and after.role == lx.NO_LONGER:
                    return "no-longer"  # لم يعد الجيش يسيطر
                named = sum(m.j - m.i for m in marks if m.role == ACTOR and mark.j <= m.i < event.i)
                if event.value == lx.FALL and event.i == mark.j and not (sense and sense.noun):
                    return "not-fallen"  # لم تسقط حلب، لن تسقط: whoever says so holds it
                if (
                    event.value in ("withdrawal", "loss")
                    and event.i - mark.j - named == 0
                    and sense is not None
                    and not sense.noun
                    and (_first_person_doer(marks, event) or _self_before(marks, mark))
                ):
                    return "not-left"  # «لم ننسحب من حماة»: a party that did not leave holds it
                if (
                    event.value in ("withdrawal", "loss")
                    and event.i - mark.j - named == 0
                    and sense is not None
                    and (not sense.noun or not sense.prefix)
                ):
                    # الجيش لم يفقد السيطرة: told of a named side; «لا انسحاب من حمص»
                    return "not-left-named"
                if (
                    event.value in ("capture", "entry")
                    and event.i == mark.j
                    and sense is not None
                    and not sense.noun
                    and not sense.first_person
                ):
                    return "not-taken"  # «لم يدخل المسلحون حماة»: a party denies the enemy took it
                if event.i - mark.j - named <= 2:
                    return "skip"
        lead = next((m for m in marks if m.j == event.i), None)
        if lead is not None and lead.role == lx.GOAL and sense is not None and sense.noun:
            return "skip"  # حتى تحرير دمشق: a goal
        far = _ability(marks, event)
        if far is not None and far.j < event.i - MODALITY_SPAN:
            # «لم تتمكن المجموعات الإرهابية، رغم كل محاولاتها، من دخول حماة»: the ability
            # verb governs its masdar (or أن + verb) however long its subject is
            if far.role == lx.FAILED:
                return "failed"
            negation = next((m for m in marks if m.j == far.i and m.role == lx.NEGATION), None)
            if negation is not None:
                return "failed"
        if (
            event.value == "loss"
            and sense is not None
            and sense.first_person
            and sense.present
            and not sense.noun
        ):
            return "skip"  # «نسلم بأن …» (we grant that), نتخلى: only «لم ولن نسلم» is a claim
        return ""

    @staticmethod
    def _joined_to_future(marks: list[Mark], event: Mark) -> bool:
        """The verb before a joined verb (و/ف), in the same clause, is future or intended."""
        for mark in reversed(marks):
            if mark.j > event.i:
                continue
            if event.i - mark.j > 12 or mark.role in (lx.REPORT, lx.COMPLEMENTIZER, lx.CLAUSE):
                return False
            if mark.role == lx.EVENT and mark.sense is not None and not mark.sense.noun:
                return Extractor._modality(marks, mark) == "skip" and (
                    mark.sense.future
                    or any(
                        m.role in (lx.FUTURE, lx.INTENT) and 0 <= mark.i - m.j <= MODALITY_SPAN
                        for m in marks
                    )
                )
        return False

    @staticmethod
    def _denied(marks: list[Mark], frame: Frame | None, frames: list[Frame], event: Mark) -> bool:
        """A denial phrase (لا صحة، عار عن الصحة، الأنباء الكاذبة عن) in the event's frame; with
        no frame, one before the event, or after it with no other event between: what it
        covers is asserted by nobody."""
        if frame is None:
            for mark in marks:
                if mark.role != lx.DENY:
                    continue
                if mark.i < event.i:
                    return True
                between = [m for m in marks if event.j <= m.i < mark.i and m.role == lx.EVENT]
                if not between:
                    return True
            return False
        lo = frame.start if not frame.trailing else 0
        later = [f.verb for f in frames if f.verb > frame.verb and not f.trailing]
        hi = later[0] if later else 10**9
        return any(m.role == lx.DENY and lo <= m.i < hi for m in marks)

    def _denial(self, speaker: str, state: str, kind: str) -> tuple[str, str] | None:
        """A party denying an event holds the city; a neutral denier only tells us the fighting
        goes on (كذّب المرصد … مؤكداً أن الاشتباكات لا تزال تدور)."""
        side = self._side(speaker)
        if side in PARTIES:
            return side, "denial"
        if kind == "fighting":
            return state, kind
        return None

    @staticmethod
    def _object_of_verb(marks: list[Mark], event: Mark) -> bool:
        """سيستعيد السيطرة، استعاد الجيش السيطرة: the noun is the verb's object; the verb
        carries the claim."""
        return _verb_of_object(marks, event) is not None

    def _stance(self, stance: str, speaker: str, state: str) -> str:
        side = self._side(speaker)
        if stance == "assert" and side in PARTIES and state in PARTIES and state != side:
            return "admit"  # a party says another holds the city: against its interest
        return stance

    # --- one event ------------------------------------------------------------------------

    def _readings(
        self,
        last_city: str | None,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
        speaker: str,
        modality: str,
        frame: Frame | None,
        state: _State | None = None,
    ) -> list[tuple[str, str, PlaceMention, float]]:
        """(state, kind, city mention, confidence) for each city the event is about."""
        kind = event.value
        described = False
        calm: str | None = None  # who holds a city a neutral voice calls calm
        covered = frozenset(k for i, j, _ in placed for k in range(i, j + 1))
        if event.role == lx.WINNER:
            return self._possession(text, tokens, marks, event, placed, covered, speaker)
        if kind == "withdrawal" and _went_out_of_control(tokens, marks, event):
            return []  # بخروج حمص عن سيطرة النظام: the control noun after عن tells it
        lead = next((m for m in marks if m.j == event.i), None)
        if lead is None or lead.role not in (lx.UNDER, lx.OUT_OF):
            lead = _governing(tokens, marks, event, covered) or lead
        under = lead is not None and lead.role in (lx.UNDER, lx.OUT_OF)
        gone = lead is not None and lead.role == lx.OUT_OF
        # what the city was named before: the state phrase, or the "went out" verb
        anchor = event
        if not under and _left_control(tokens, marks, event):
            under = gone = True  # خرجت درعا عن سيطرة النظام
            lead = next(m for m in marks if m.role == lx.EVENT and m.j <= event.i)
            went = next(m for m in reversed(marks) if m.role == lx.EVENT and m.j <= event.i)
            # درعا خرجت عن سيطرة النظام: the city before the verb; not past a negation or a
            # relative (المدينة التي لم تخرج عن سيطرة الحكومة)
            if not any(m.role == lx.NEGATION and 0 <= went.i - m.j <= 1 for m in marks) and not any(
                tokens[k].norm in _RELATIVES for k in range(max(0, went.i - 2), went.i)
            ):
                anchor = went
        if under and any(m.role == lx.PAST and 0 <= lead.i - m.j <= 4 for m in marks):
            return []  # كانت تحت سيطرة الحكومة: what the city was, not what it is
        if under and _until_past(tokens, marks, event):
            return []  # ظلت درعا تحت سيطرة الحكومة حتى الأسبوع الماضي: no longer
        if kind == lx.STABLE:
            # الوضع في حماة مستقر: only a party saying so of a place it holds; غير آمنة is not
            if event.i > 0 and tokens[event.i - 1].norm in _NOT_WORDS:
                return []
            if event.i > 0 and tokens[event.i - 1].norm in _SAFE_HAVENS:
                return []  # نحو مناطق آمنة، ممرات آمنة: an attribute of somewhere else
            where = [
                m
                for m in self._places_before(text, tokens, marks, event, placed)
                if any(m is p and event.i - i <= 6 for i, _, p in placed)
            ]
            subject = speaker if self._side(speaker) in PARTIES else None
            sure, kind = 0.85, "hold"
            if subject is None and state is not None and where and not where[0].ref:
                # وقال المرصد إن الوضع في حلب مستقر: calm says no one is fighting there; held
                # by whoever the item said holds it (nothing when it said no one)
                calm = state.holders.get(where[0].place)
                where = where[:1]
                sure = 0.7
        elif kind == lx.FALL and modality == "not-fallen":
            # «لم تسقط حلب ولن تسقط»: a party saying so holds the city; nobody else claims
            holder = self._side(speaker)
            if holder not in PARTIES:
                return []
            where = self._places_before(text, tokens, marks, event, placed) or self._places_after(
                text, tokens, marks, event, placed
            )
            return [(holder, "hold", m, 0.8 * (0.85 if m.ref else 1.0)) for m in where]
        elif kind == lx.FALL or under:
            where = (
                self._places_before(text, tokens, marks, event, placed)
                or self._places_before(text, tokens, marks, anchor, placed)
                or self._places_after(text, tokens, marks, event, placed)
            )
            if kind == lx.FALL and not under and event.sense is not None:
                # وبعد حلب، سقطت حماة، حماة بعد أيام من سقوط حلب: the city right after the verb
                # (VS) or the noun (its genitive) is what fell, not a city named before it
                after = self._places_after(text, tokens, marks, event, placed)
                if after and not after[0].ref and _subject_of_fall(tokens, placed, event, after[0]):
                    where = after
            winner = self._winner(marks, event, under, covered, speaker)
            if winner is None and under and self._side(speaker) in PARTIES:
                winner = speaker  # قال المحافظ إن المدينة تحت السيطرة: the speaker's side holds it
            if winner is None and not under and state is not None:
                # سقطت حلب، انهارت معرة النعمان: the city itself fell, to the attacking side
                fallen = [m for m in where if _subject_of_fall(tokens, placed, event, m)]
                # انهارت معرة النعمان وخان شيخون وسراقب: the list joined to the first fell too
                where = where if fallen and fallen[0] is where[0] else fallen
                attacker = self._attacker(state) or self.profile.attacker
                if where and attacker is not None:
                    return [
                        (attacker, "capture", m, 0.75 * (0.85 if m.ref else 1.0)) for m in where
                    ]
            if winner is None and under and _shared(tokens, marks, event) == "shared":
                # الحسكة تخضع لسيطرة مشتركة بين قسد والحكومة: held by two parties at once
                return [("contested", "hold", m, 0.8) for m in where if m.scope == "city"]
            if winner is None:
                return []
            subject, sure = winner, 0.9
            kind = "capture"
            if under and not any(m.role == lx.BECAME and 0 <= lead.i - m.j <= 4 for m in marks):
                kind = "hold"  # خاضعة لسيطرة، تحت سيطرة: a state; باتت تحت سيطرة: a change
                described = _describing(tokens, lead)
            if gone:
                kind = "loss"  # خارج سيطرة الحكومة: the government lost it
        else:
            where = self._places_after(text, tokens, marks, event, placed)
            if not where and kind == "fighting":
                # "حماة تشهد اشتباكات": only a city right before the fighting
                # (not a pronoun: تحدث فيها عن سير المعارك, "in it", is no city fighting)
                where = [
                    m
                    for m in self._places_before(text, tokens, marks, event, placed)
                    if any(i <= event.i <= j + 3 for i, j, p in placed if p is m)
                    and not (m.ref and normalize(m.surface).endswith("ها"))
                ]
            if not where and event.sense is not None and event.sense.noun:
                where = self._witnessed(text, tokens, marks, event, placed)
            if not where:
                where = self._pronoun_city(
                    tokens, event, placed, self._pronoun_fallback(last_city, state)
                )
            if not where and state is not None:
                where = self._pair_city(tokens, event, placed, state)
            if not where and kind == "withdrawal":
                where = self._stationed_in(text, tokens, marks, event, placed)
            subject, sure = self._subject(tokens, marks, event, speaker, covered, text)
            if kind == lx.EXPEL:
                kind = "capture"
            elif kind == lx.ARRIVAL:
                # وصلوا إلى وسط حمص: inside the city; reaching its edge claims nothing
                where = [m for m in where if m.scope in ("city", "partial") and not m.ref]
                kind = "entry"
            elif kind in lx.PRESENT_MEANS_HOLD and event.sense is not None and event.sense.present:
                kind = "hold"  # تسيطر الفصائل على إدلب: holds it
            elif (
                kind == "capture"
                and event.sense is not None
                and event.sense.noun
                and event.i > 0
                and tokens[event.i - 1].norm in _CONTINUING
            ):
                kind = "hold"  # استمرار سيطرة دمشق على حلب: control that goes on
            elif (
                kind == "capture"
                and event.sense is not None
                and event.sense.noun
                and _located(tokens, placed, event, where)
            ):
                kind = "hold"  # مناطق سيطرة قسد في الرقة: control that is there, not taken
        if any(m.ref for m in where) and (
            _relative_of_non_city(tokens, placed, event) or _part_antecedent(tokens, event)
        ):
            # المواقع التي انسحبت منها، أحياء تسيطر عليها قسد: the pronoun is not the city
            where = [m for m in where if not m.ref]
        if not where:
            return []
        if modality == "failed":
            subject = self._unable(text, tokens, marks, event, speaker, subject)
        subject_side = self._side(subject) if subject else None
        if subject_side not in PARTIES:
            subject_side = calm
        if modality == "not-left-named":
            # مصدر عسكري: الجيش لم يفقد السيطرة على حمص: a party saying it of its own side by
            # name holds the city, unless it goes on with what did happen (… بل انسحب منها)
            if any(t.norm in _RATHER for t in tokens[event.j :]):
                return []
            modality = "not-left"
        if modality == "not-taken":
            # a party saying the enemy (named or "they") did not enter or take a city holds it
            holder = self._side(speaker)
            # «لم يدخل أي مسلح إلى حمص»: a doer not named in the clause (VS, or SV with no
            # colon or quote between) is not the speaker itself
            named = (
                subject_side if sure > 0.8 and _clause_subject(text, tokens, marks, event) else None
            )
            if holder not in PARTIES or named == holder:
                return []
            return [
                (holder, "denial", m, 0.75 * (0.85 if m.ref else 1.0))
                for m in where
                if m.scope == "city"
            ]
        if modality == "not-left":
            # «لم ننسحب من حماة»، «لم تنسحب قواتنا»: only a party saying it of its own side
            holder = self._side(speaker)
            if holder not in PARTIES or subject_side != holder:
                return []
            return [
                (holder, "hold", m, 0.8 * (0.85 if m.ref else 1.0))
                for m in where
                if m.scope == "city" and not _destination(tokens, placed, m)
            ]
        passive = _passive(tokens, event)
        if subject_side is None and passive and kind in ("capture", "entry"):
            # تم تحرير حماة، جرى دخول المدينة: said with no doer. A party saying it speaks of its
            # own side's deed; otherwise the side the item shows taking cities, else the war's
            subject_side = self._side(speaker) if self._side(speaker) in PARTIES else None
            subject_side = subject_side or (self._attacker(state) if state else None)
            subject_side = subject_side or self.profile.attacker
            sure = min(sure, 0.7)
        other = self._opponent(marks, subject_side, state, speaker)
        if modality == "failed" and subject_side is None and self._side(speaker) in PARTIES:
            # «لن يتمكنوا من دخول إدلب»: an unnamed "they" a party speaks of is its enemy
            other = self._side(speaker)
        if (
            subject_side is None
            and kind in ("withdrawal", "loss")
            and state is not None
            and _bare_noun(tokens, event)
        ):
            # جرى انسحاب من حماة: nobody named left; the item's attacker took it, if it shows one
            other = self._attacker(state) or "contested"
            if other == "contested" and passive and self.profile.attacker is not None:
                # تم الانسحاب من حمص: an announced withdrawal, to the war's attacking side
                other = self.profile.attacker
            sure = min(sure, 0.6)
        if subject_side is None and kind == "loss":
            # جرى تسليم السويداء للفصائل: handed over to the party named with ل
            recipient = next(
                (
                    m
                    for m in marks
                    if m.i >= event.j
                    and m.role == ACTOR
                    and _prepositional(m)
                    and "ل" in (m.sense.prefix if m.sense else "")
                    and self._side(m.value) in PARTIES
                ),
                None,
            )
            if recipient is not None:
                other, sure = self._side(recipient.value), 0.8
        out: list[tuple[str, str, PlaceMention, float]] = []
        for mention in where:
            if kind in ("withdrawal", "loss") and _destination(tokens, placed, mention):
                continue  # انسحابهم إلى دمشق: where they went, not what they left
            scope = _share_of(text, mention) or mention.scope
            if not mention.ref and _positions_between(tokens, placed, event, mention):
                # سيطرت على مواقع في حماة / نقاط في محيطها: positions, at most part of the city
                if scope != "city":
                    continue
                scope = "partial"
            if scope == "city" and not mention.ref:
                at = next((i for i, _, m in placed if m is mention), None)
                if at is not None and _in_a_neighbourhood(tokens, event.j, at):
                    scope = "partial"
            reading = _reading(kind, scope, subject_side, other, modality)
            if reading is None:
                continue
            state, final_kind = reading
            if described and final_kind == "hold":
                final_kind = _BACKGROUND_HOLD
            confidence = 0.9 * sure
            if mention.ref:
                confidence *= 0.85
            if mention.scope != "city":
                confidence *= 0.9
            out.append((state, final_kind, mention, confidence))
        return out

    @staticmethod
    def _places_after(
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
    ) -> list[PlaceMention]:
        """The city an event is about: the first place after it in its clause, and places
        joined to that one by و (حلب وإدلب)."""
        stop = next(
            (
                m.i
                for m in marks
                if m.i >= event.j
                and (m.role in _CLAUSE_ENDS or _joined_content(m))
                and _verb_of_object(marks, m) is not event
                and not _attempt_object(marks, event, m)
            ),
            10**9,
        )
        chosen: list[PlaceMention] = []
        last_end = -1
        prep = None  # the preposition before the first city (على حلب وعلى إدلب)
        nouns = {m.i for m in marks if m.sense is not None and m.sense.noun}
        for index, end, mention in placed:
            if index < event.j or index >= stop:
                continue
            if not chosen:
                k = index - 1 - (index > 1 and tokens[index - 1].norm in _CITY_HEADS)
                prep = tokens[k].norm if k >= event.j and tokens[k].norm in _LIST_PREPS else None
                if index - event.j > PLACE_SPAN or _other_place(tokens, event.j, index):
                    break
                if any(
                    _verb_like(tokens[k].norm) and k not in nouns for k in range(event.j, index)
                ):
                    # … على الزربة وتقطع طريق حلب: a second verb starts another clause (not a
                    # masdar that looks like one: أعادت انتشارها وتموضعها خارج حماة)
                    break
            elif chosen[-1].scope in ("governorate", "countryside") and _including(
                tokens, last_end, index
            ):
                # محافظة الرقة بما فيها مدينة الرقة: the city is named as part of the claim
                pass
            elif not _joined(text, tokens, last_end, index, prep):
                break
            elif (
                chosen[0].scope != "city"
                and mention.scope == "city"
                and not mention.ref
                and not any(
                    tokens[k].norm in _CITY_HEADS or tokens[k].norm in _JOINED_HEADS
                    for k in range(last_end + 1, index)
                )
            ):
                # نحو حماة ثم حمص: the list shares the first city's scope unless it names its
                # own head noun (ثم على مدينة حمص)
                mention = replace(mention, scope=chosen[0].scope)
            chosen.append(mention)
            last_end = end
        if chosen and chosen[-1].scope == "governorate" and _including_centre(tokens, last_end):
            # محافظة إدلب بما فيها مركز المحافظة: the governorate's own city
            chosen.append(replace(chosen[-1], scope="city"))
            chosen = [m for m in chosen if m.scope == "city"] + [
                m for m in chosen if m.scope != "city"
            ]
        elif chosen and chosen[0].scope != "city":
            # the city named as included in a governorate first: it decides its own scope
            chosen = [m for m in chosen if m.scope == "city"] + [
                m for m in chosen if m.scope != "city"
            ]
        # One city once: the scope written first decides (مدينة حماة وريفها).
        seen: set[str] = set()
        unique = []
        for mention in chosen:
            if mention.place not in seen:
                seen.add(mention.place)
                unique.append(mention)
        return unique

    def _pair_city(
        self,
        tokens: Sequence[Token],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
        state: _State,
    ) -> list[PlaceMention]:
        """سيطرت الفصائل على المدينتين: the two cities named last, earlier in the sentence or
        in its paragraph; nothing unless there are two."""
        at = next(
            (
                k
                for k in range(event.j, min(len(tokens), event.j + 4))
                if tokens[k].norm in _PAIR_REFS
            ),
            None,
        )
        if at is None or any(event.j <= i < at for i, _, _ in placed):
            return []
        named = [m.place for i, _, m in placed if i < event.i and not m.ref]
        for earlier in reversed(state.paragraph):
            named = [*self.places.places(earlier), *named]
        pair: list[str] = []
        for place in reversed(named):
            if place not in pair:
                pair.append(place)
            if len(pair) == 2:
                break
        if len(pair) < 2:
            return []
        token = tokens[at]
        return [
            PlaceMention(place, "city", token.start, token.end, token.text, ref=True)
            for place in reversed(pair)
        ]

    @staticmethod
    def _pronoun_city(
        tokens: Sequence[Token],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
        last_city: str | None,
    ) -> list[PlaceMention]:
        """دخلوها، ودخولها، سيطروا عليها: with no city after it, the event's pronoun is the city
        named last (earlier in the sentence, else in the item)."""
        sense = event.sense
        suffixed = sense is not None and sense.suffix and event.value not in _INTRANSITIVE
        follows = event.j < len(tokens) and tokens[event.j].norm in _ON_IT
        if not (suffixed or follows):
            return []
        if _relative_of_non_city(tokens, placed, event):
            return []
        pronoun = tokens[event.j - 1].norm if suffixed else tokens[event.j].norm
        if pronoun.endswith("ه") and not pronoun.endswith(("ها", "هما")):
            return []  # كل شبر دخله الإرهابيون: a masculine pronoun is no city (a feminine noun)
        before = [(index, end, m) for index, end, m in placed if index < event.i]
        if before:
            # the nearest noun: not a city if the last place is its countryside, or a town
            # the profile lacks stands between (وسيطرت على بلدة سرمين وطردتهم منها)
            _, end, nearest = before[-1]
            if nearest.scope not in ("city", "partial", "edge", "outside"):
                return []
            if _other_place(tokens, end + 1, event.i + 1):
                return []
            city = nearest.place
        elif last_city is not None:
            city = last_city
        else:
            return []
        token = tokens[event.j - 1] if suffixed else tokens[event.j]
        return [PlaceMention(city, "city", token.start, token.end, token.text, ref=True)]

    def _possession(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
        covered: frozenset[int],
        speaker: str,
    ) -> list[tuple[str, str, PlaceMention, float]]:
        """باتت حماة في قبضة الفصائل، لا تزال اللاذقية بيد الحكومة: the party named after
        holds (or, after بات/أصبح, has taken) the place named just before."""
        # حمص التي لا تزال بيد الجيش: a relative and "still" may come between; إدلب وحماة
        # وحمص باتت في أيدي المعارضة: the list whose last city is next to the phrase
        listed = self._places_before(text, tokens, marks, event, placed)
        near = (
            any(
                listed[-1] is p
                and (
                    event.i - j <= 2
                    or all(tokens[k].norm in _STILL_BETWEEN for k in range(j + 1, event.i))
                )
                for _, j, p in placed
            )
            if listed
            else False
        )
        where = listed if near else []
        agents = (ACTOR, SPEAKER, lx.FORCES)
        holder = next((m for m in marks if m.i == event.j and m.role in agents), None)
        if not where or holder is None:
            return []
        first = min(i for i, _, p in placed if any(p is m for m in where))
        if any(m.role == lx.PAST and 0 <= first - m.j <= 2 for m in marks):
            return []  # كانت حماة بيد الحكومة: what it was
        agent = self._agent(holder, marks, speaker)
        side = self._side(agent) if agent else None
        if side not in PARTIES:
            return []
        became = any(m.role == lx.BECAME and 0 <= first - m.j <= 2 for m in marks)
        kind = "capture" if became else "hold"
        out = []
        for mention in where:
            scope = mention.scope
            if scope not in ("city", "partial"):
                continue
            state = side if scope == "city" else "contested"
            out.append((state, kind, mention, 0.8))
        return out

    def _pronouns_in_paragraph(
        self, mentions: list[PlaceMention], state: _State
    ) -> list[PlaceMention]:
        """فيها، عليها، منها with no city before them in the sentence: the city named last only
        if this paragraph names it, else the title's city (or nothing)."""
        out: list[PlaceMention] = []
        named = False
        for mention in mentions:
            if not mention.ref:
                named = True
            elif not named and mention.place == state.last_city and _is_pronoun(mention.surface):
                place = self._pronoun_fallback(state.last_city, state)
                if place is None:
                    continue
                mention = replace(mention, place=place)
            out.append(mention)
        return out

    def _pronoun_fallback(self, last_city: str | None, state: _State | None) -> str | None:
        """The city a pronoun with no antecedent in its sentence means: the last city named,
        if this paragraph names it, else the city of the title."""
        if state is None or last_city is None:
            return last_city
        if last_city == state.topic:
            return last_city
        for text in state.paragraph:
            if last_city in self.places.places(text):
                return last_city
        return state.topic

    def _witnessed(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
    ) -> list[PlaceMention]:
        """شهدت مدينة حمص انسحاب عناصر النظام: the place a "witness" verb names is where
        the event noun after it happened."""
        witness = next(
            (m for m in reversed(marks) if m.role == lx.WITNESS and m.j <= event.i), None
        )
        if witness is None or event.i - witness.j > 5:
            return []
        return [
            m
            for i, _, m in placed
            if witness.j <= i < event.i
            and i - witness.j <= 1 + (tokens[witness.j].norm in _CITY_HEADS)
        ]

    def _stationed_in(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
    ) -> list[PlaceMention]:
        """وحداتها في مدينة حماة نفذت إعادة انتشار: units said to be in a city before their
        redeployment left it (every city listed with و)."""
        before = self._places_before(text, tokens, marks, event, placed)
        if not before:
            return []
        at = next(i for i, _, m in placed if m is before[0])
        k = at - 1
        if k > 0 and tokens[k].norm in _CITY_HEADS:
            k -= 1
        if k < 0 or tokens[k].norm not in _IN:
            return []
        return [m for m in before if m.scope == "city"]

    @staticmethod
    def _places_before(
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        placed: list[tuple[int, int, PlaceMention]],
    ) -> list[PlaceMention]:
        """The city named just before a state phrase (حماة تحت سيطرة …), with the places
        listed with it (إدلب وحماة وحمص باتت تحت سيطرة …)."""
        start = max(
            (
                m.j
                for m in marks
                if m.j <= event.i
                and m.role in (lx.EVENT, lx.REPORT)
                # حمص مستقرة وتحت سيطرة الجيش: a state joined to the state phrase shares its city
                and not (m.value == lx.STABLE and m.role == lx.EVENT and event.i - m.j <= 2)
            ),
            default=0,
        )
        before = [p for p in placed if start <= p[0] < event.i]
        if not before or event.i - before[-1][0] > 8:
            return []
        chosen = [before[-1]]
        for previous in reversed(before[:-1]):
            if not _joined(text, tokens, previous[1], chosen[0][0]):
                break
            chosen.insert(0, previous)
        return [m for _, _, m in chosen]

    def _winner(
        self,
        marks: list[Mark],
        event: Mark,
        under: bool,
        covered: frozenset[int],
        speaker: str,
    ) -> str | None:
        """Who a city fell to (سقطت حماة بيد الفصائل) or is under (تحت سيطرة الجيش)."""
        agents = (ACTOR, SPEAKER, lx.SELF, lx.FORCES)
        if under and event.sense is not None and event.sense.first_person:
            return speaker if speaker != OUTLET else None  # تحت سيطرتنا
        after = [m for m in marks if m.i >= event.j and m.i - event.j <= 8]
        # خارج سيطرة دمشق: a capital right after the control noun is the government
        after = [
            m
            for m in after
            if m.i not in covered or m.role not in (ACTOR, SPEAKER) or (under and m.i == event.j)
        ]
        if under:
            # تحت سيطرة الفصائل: the genitive right after the control noun
            for mark in after:
                if mark.i <= event.j + 1 and mark.role in agents:
                    return self._agent(mark, marks, speaker)
            return None
        for n, mark in enumerate(after):
            if mark.role == lx.WINNER:
                for nxt in after[n + 1 : n + 3]:
                    if nxt.role in agents:
                        return self._agent(nxt, marks, speaker)
        return None

    def _subject(
        self,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        speaker: str,
        covered: frozenset[int],
        text: str = "",
    ) -> tuple[str | None, float]:
        """The actor doing the event, and how sure the reading is."""
        sense = event.sense
        if sense is not None and sense.first_person:
            return speaker, 0.95
        agents = [
            m
            for m in marks
            if m.role in (ACTOR, SPEAKER, lx.SELF, lx.FORCES)
            and m.i not in covered  # دمشق the city is not دمشق the government here
        ]
        # an observer or an agency reports events, it does not take cities; who an agent mark
        # stands for is worked out only for the marks looked at (a long sentence has many)
        by_start = {m.i: m for m in marks}
        cache: dict[int, str | None] = {}

        def party(i: int) -> str | None:
            if i not in cache:
                agent = self._agent(by_start[i], marks, speaker)
                cache[i] = agent if agent and self._side(agent) in PARTIES else None
            return cache[i]

        noun = sense is not None and sense.noun
        object_genitive = event.value in lx.OBJECT_GENITIVE
        stop = next(
            (
                k
                for k in range(event.j, event.j + 4)
                # التي تسيطر عليها هيئة تحرير الشام: the pronoun of the city is no stop
                if (k in covered and not (k == event.j and tokens[k].norm in _ON_IT))
                or (k in by_start and by_start[k].role in _SUBJECT_ENDS)
            ),
            10**9,
        )
        span = 3 if noun else 2
        following = [m for m in agents if event.j <= m.i <= event.j + span and m.i < stop]
        # وتصد هجمات الفصائل: the genitive of an attack noun is the attacker, the object
        following = [m for m in following if tokens[m.i - 1].norm not in _ATTACK_NOUNS]
        preceding = [m for m in agents if m.j <= event.i]
        # مصدر في الجيش: «لم يدخل …»: a speaker before a colon or a quote is not the subject
        adjacent = [
            m
            for m in preceding
            if event.i - m.j <= 1
            and not _QUOTE_MARKS & set(text[tokens[m.j - 1].end : tokens[event.i].start])
        ]
        if not noun:
            # a verb's subject never carries a preposition (… الموالية لإيران منها، وتنتشر)
            following = [m for m in following if not _prepositional(m)]
            adjacent = [m for m in adjacent if not _prepositional(m)]
        lead = next((m for m in marks if m.j == event.i), None)
        pronoun = (
            lead is not None
            and lead.role == lx.COMPLEMENTIZER
            and tokens[lead.i].norm.endswith(("ه", "ها", "هم", "هما"))
        )
        if noun and object_genitive:
            order = [adjacent]  # إبعاد الفصائل: the factions were pushed back, by someone else
        elif noun:
            order = [following, adjacent]  # خروج الجيش من المدينة: the genitive is the subject
        elif pronoun:
            order = [adjacent]  # إنها أبعدت الفصائل: the subject is the pronoun's antecedent
        else:
            order = [adjacent, following]  # SV (الجيش أبعد …) before VS (سيطرت الفصائل على)
        for group in order:
            known = [m for m in group if party(m.i)]
            if known:
                mark = known[0] if group is following else known[-1]
                return party(mark.i), 0.95
        if (
            noun
            and not object_genitive
            and event.j < len(tokens)
            and event.j not in by_start
            and event.j not in covered
            and tokens[event.j].norm in _UNNAMED_FORCES
        ):
            # انسحاب قوات الأمن منها: the genitive is a force we cannot name; the doer is not
            # an actor of an earlier clause
            return None, 0.5
        if not noun and sense is not None and sense.prefix in ("و", "ف"):
            # دخلت قسد المدينة …، وتنتشر في أحيائها: a joined verb shares the first one's subject
            first = next(
                (
                    m
                    for m in reversed(marks)
                    if m.j <= event.i
                    and m.role == lx.EVENT
                    and m.sense is not None
                    and not m.sense.noun
                ),
                None,
            )
            if first is not None:
                return self._subject(tokens, marks, first, speaker, covered, text)
        opener = next(
            (m for m in reversed(marks) if m.j <= event.i and m.role == lx.COMPLEMENTIZER), None
        )
        unnamed = (
            opener is not None
            and not tokens[opener.i].norm.endswith(("ه", "ها", "هم", "هما"))
            and not any(opener.j <= m.i < event.i for m in agents)
            # سيطرت الفصائل على حمص، قبل أن تدخل دمشق: a time clause shares the main subject
            and not (opener.i > 0 and tokens[opener.i - 1].norm in _TIME_CONJUNCTIONS)
        )
        # دخولها، أنها سيطرت: a pronoun subject points back to the nearest actor, else the
        # speaker; "وأن الوحدات العسكرية … قامت بـ": a subject we cannot name is not the last
        # actor of an earlier clause
        # هروب قوات النظام … بعد ساعات من السيطرة على حمص: the genitive of another event noun
        # is that event's doer, not this one's
        owned = {m.j for m in marks if m.role == lx.EVENT and m.sense is not None and m.sense.noun}
        preceding = [m for m in preceding if m.i not in owned]
        if noun and object_genitive and sense is not None and sense.suffix and not unnamed:
            # تمكنت قواتنا من إبعادها عن حماة: the pronoun is who was pushed back (the party
            # named last); the doer is the party named before it on the other side
            sides = [party(m.i) for m in reversed(preceding)]
            known = [s for s in sides if s]
            if known:
                pushed = self._side(known[0])
                doer = next((a for a in known[1:] if self._side(a) != pushed), None)
                if doer is not None:
                    return doer, 0.85
                if self._side(speaker) in PARTIES and self._side(speaker) != pushed:
                    return speaker, 0.8
                return None, 0.5
        for mark in [] if unnamed else reversed(preceding):
            if party(mark.i):
                return party(mark.i), 0.85
        if (
            noun
            and sense is not None
            and sense.suffix
            and not object_genitive
            and event.i > 0
            and tokens[event.i - 1].norm in _TIME_CONJUNCTIONS
        ):
            # بعد سيطرتها على حلب، دخلت الفصائل حماة: the pronoun of a fronted time phrase is
            # the subject of the clause after it
            for mark in agents:
                if mark.i >= event.j and party(mark.i):
                    return party(mark.i), 0.8
        if speaker != OUTLET and self._side(speaker) in PARTIES:
            return speaker, 0.8
        following = [m for m in following if party(m.i)]
        if object_genitive and following:
            # صد هجوم الفصائل in a neutral voice: whoever the attackers' opponent is
            pushed = self._side(party(following[0].i) or "")
            other = DEFAULT_OPPONENT.get(pushed)
            for actor in self.profile.actors.values():
                if other is not None and actor.side == other:
                    return actor.id, 0.7
        return None, 0.5

    def _unable(
        self,
        text: str,
        tokens: Sequence[Token],
        marks: list[Mark],
        event: Mark,
        speaker: str,
        subject: str | None,
    ) -> str | None:
        """Who was not able (لن يتمكن الإرهابيون من دخول …، الجيش لم يتمكن من …): the actor
        with the verb of ability; "they" with none named (لن يتمكنوا، in a quote) is nobody
        known, never an actor named before the quote."""
        able = next(
            (
                m
                for m in reversed(marks)
                if m.role == lx.ABLE and m.j <= event.i and event.i - m.j <= MODALITY_SPAN
            ),
            None,
        )
        if able is None:
            far = _ability(marks, event)
            able = far if far is not None and far.role == lx.ABLE else None
        if able is None:
            return subject
        if tokens[able.i].norm.startswith("ن") or tokens[able.i].norm.endswith("نا"):
            # «لم نتمكن من دخول حماة»: the speaker's own side
            return speaker if self._side(speaker) in PARTIES else None
        negation = next(
            (m for m in reversed(marks) if m.role == lx.NEGATION and m.j <= able.i), None
        )
        first = negation.i if negation is not None and able.i - negation.j <= 1 else able.i
        agents = (ACTOR, SPEAKER, lx.SELF, lx.FORCES)
        named = [
            m
            for m in marks
            if m.role in agents
            and (
                able.j <= m.i < event.i
                # الجيش لم يتمكن: right before it, no quote or colon between (قال الوزير: «لن)
                or (
                    m.j == first
                    and not _QUOTE_MARKS & set(text[tokens[m.j - 1].end : tokens[first].start])
                )
            )
        ]
        for mark in named:
            agent = self._agent(mark, marks, speaker)
            if agent is not None and self._side(agent) in PARTIES:
                return agent
        return None

    def _attacker(self, state: _State) -> str | None:
        """The party the item shows taking cities: the most frequent subject side of its
        capture and entry verbs (past tense), None when it shows none."""
        if not state.attacker_known:
            state.attacker_known = True
            counts: dict[str, int] = {}
            for _text, tokens, marks in state.read:
                starts = [m.i for m in marks]
                for mark in marks:
                    sense = mark.sense
                    if (
                        mark.role != lx.EVENT
                        or mark.value not in ("capture", "entry", lx.INCURSION)
                        or sense is None
                        or sense.noun
                        or sense.present
                        or sense.first_person
                    ):
                        continue
                    near = _near(marks, starts, mark)
                    subject, _ = self._subject(tokens, near, mark, OUTLET, frozenset(), _text)
                    side = self._side(subject) if subject else None
                    if side in PARTIES:
                        counts[side] = counts.get(side, 0) + 1
            if counts:
                state.attacker = max(counts, key=lambda side: counts[side])
        return state.attacker

    def _agent(self, mark: Mark, marks: list[Mark], speaker: str) -> str | None:
        if mark.role in (ACTOR, SPEAKER):
            return mark.value
        if mark.role == lx.SELF:
            return speaker if speaker != OUTLET else None
        # قواته، قواتها: the speaker's forces when a party speaks, else the party named before
        if speaker != OUTLET and self._side(speaker) in PARTIES:
            return speaker
        for other in reversed([m for m in marks if m.j <= mark.i]):
            if (
                other.role in (ACTOR, SPEAKER)
                and not addressee(other)
                and self._side(other.value) in PARTIES
            ):
                return other.value
        return speaker if speaker != OUTLET else None

    def _opponent(
        self,
        marks: list[Mark],
        side: str | None,
        state: _State | None = None,
        speaker: str | None = None,
    ) -> str | None:
        """Who a party loses a city to: another party named in the sentence (the speaker's
        own side when it says قواتنا: «انتشرت قواتنا في دير الزور بعد انسحاب قوات النظام منها»),
        else the party the item shows taking cities (if not the loser), else the default."""
        if side is None:
            return None
        for mark in marks:
            if mark.role in (ACTOR, SPEAKER) or (mark.role == lx.SELF and speaker is not None):
                other = self._side(mark.value if mark.role != lx.SELF else speaker or "")
                if other in PARTIES and other != side:
                    return other
        attacker = self._attacker(state) if state is not None else None
        if attacker is not None and attacker != side:
            return attacker
        return DEFAULT_OPPONENT.get(side)


# --- helpers ------------------------------------------------------------------------------


def _reading(
    kind: str, scope: str, subject: str | None, other: str | None, modality: str
) -> tuple[str, str] | None:
    """The state a control event puts a city in, given where it happened; None: no claim."""
    if scope in ("countryside", "governorate"):
        return None
    if modality == "failed":
        # لن يتمكن المسلحون من دخول المدينة: the other side holds it
        if kind in ("capture", "entry", "recapture", lx.INCURSION) and other is not None:
            return (other, "repel") if scope in ("city", "edge", "towards") else None
        return None
    if modality == "no-longer":
        # لم تعد المدينة تحت سيطرة الجيش / لم يعد الجيش يسيطر: a loss
        if kind in ("capture", "hold", "recapture") and other is not None:
            return (other, "loss") if scope == "city" else None
        return None
    if kind == "fighting":
        return ("contested", "fighting") if scope in ("city", "edge", "partial") else None
    if kind == lx.INCURSION:
        return ("contested", "entry") if scope in ("city", "edge", "partial") else None
    if scope == "partial":
        return ("contested", "capture" if kind == "hold" else kind)
    if kind in ("capture", "entry", "recapture"):
        if subject is None:
            return None
        if scope == "city":
            return (subject, kind)
        return ("contested", kind) if scope == "edge" else None
    if kind in ("loss", "withdrawal"):
        if other is None:
            return None
        if scope in ("city", "outside"):
            return (other, kind)
        return ("contested", kind) if scope == "edge" else None
    if kind in ("hold", "repel"):
        if subject is None:
            return None
        if scope == "outside" and kind == "hold":
            return (other, "withdrawal") if other is not None else None
        if scope == "edge" and kind == "hold":
            return None  # positions on the outskirts say nothing of the city itself
        return (subject, kind)
    return None


_ATTACK_NOUNS = frozenset(
    normalize(w)
    for w in ["هجوم", "هجمات", "هجوما", "الهجوم", "الهجمات", "محاولة", "محاولات", "تقدم", "زحف"]
)
_UNNAMED_FORCES = frozenset(
    p + normalize(w)
    for w in [
        "قوات", "عناصر", "وحدات", "مقاتلي", "مقاتلو", "جنود", "ميليشيات", "ميليشيا", "مسلحي",
        "كتائب", "ألوية", "لواء", "فرقة", "الأمن", "الشرطة", "حرس", "رتل", "أرتال",
    ]
    for p in ("", "ال")
)  # fmt: skip
_NOT_WORDS = frozenset(normalize(w) for w in ["غير", "وغير", "ليست", "ليس"])
# Indefinite nouns a stability word describes as an attribute (مناطق آمنة), not a city's state.
_SAFE_HAVENS = frozenset(
    p + normalize(w)
    for w in ["مناطق", "منطقة", "ممرات", "ممر", "طرق", "طريق", "أماكن", "مكان", "ملاذ", "مخيمات"]
    for p in ("", "و", "ب", "ل")
)
_CONTINUING = frozenset(
    p + normalize(w)
    for w in ["استمرار", "بقاء", "تعزيز", "ترسيخ", "إحكام", "تثبيت"]
    for p in ("", "و", "ب", "ل")
)
_IN_WORD = normalize("في")
_ON = frozenset(normalize(w) for w in ["على", "علي"])
_IN = frozenset(normalize(w) for w in ["في", "داخل", "بمدينة"])
_TOWARDS = frozenset(normalize(w) for w in ["إلى", "الى", "نحو", "باتجاه", "صوب", "وإلى"])
_CITY_HEADS = frozenset(normalize(w) for w in ["مدينة", "المدينة", "بلدة", "العاصمة"])


def _destination(
    tokens: Sequence[Token], placed: list[tuple[int, int, PlaceMention]], mention: PlaceMention
) -> bool:
    """The mention follows إلى / نحو (with or without مدينة between): a destination."""
    if mention.ref:
        return False
    at = next((i for i, _, m in placed if m is mention), None)
    if at is None or at == 0:
        return False
    k = at - 1
    if tokens[k].norm in _CITY_HEADS and k > 0:
        k -= 1
    return tokens[k].norm in _TOWARDS


_FROM_WORDS = frozenset(normalize(w) for w in ["من", "عن"])


_PASSIVE_AUX = frozenset(
    p + normalize(w) for w in ["تم", "يتم", "جرى", "يجري", "تمت"] for p in ("", "و", "ف", "ل")
)


def _relative_of_non_city(
    tokens: Sequence[Token], placed: list[tuple[int, int, PlaceMention]], event: Mark
) -> bool:
    """المناطق التي خسرها، المواقع التي انسحبت منها: an event right after a relative pronoun
    whose antecedent is no city; its pronoun stands for that noun."""
    if event.i < 2 or tokens[event.i - 1].norm not in _RELATIVES:
        return False
    ante = event.i - 2
    if any(i <= ante <= j for i, j, _ in placed):
        return False
    return not tokens[ante].norm.endswith(_CITY_WORDS)


_PARTS = frozenset(
    p + normalize(w)
    for w in [
        "أحياء", "حي", "مناطق", "منطقة", "مواقع", "أجزاء", "قرى", "بلدات", "نقاط", "مقرات",
        "حواجز",
    ]
    for p in ("", "و")
)  # fmt: skip


def _part_antecedent(tokens: Sequence[Token], event: Mark) -> bool:
    """باستثناء أحياء تسيطر عليها قسد: a verb right after an indefinite noun of parts (a
    relative clause with no التي) has that noun as its pronoun's antecedent."""
    return event.i > 0 and tokens[event.i - 1].norm in _PARTS


def _joined_content(mark: Mark) -> bool:
    """وأن، وإن: a further reported clause begins; an event's city is not looked for past it."""
    return (
        mark.role == lx.COMPLEMENTIZER
        and mark.sense is not None
        and mark.sense.prefix in ("و", "ف")
    )


def _passive(tokens: Sequence[Token], event: Mark) -> bool:
    """تم تحرير، جرى الانسحاب: an event noun made the subject of "was done"."""
    sense = event.sense
    if sense is None or not sense.noun or sense.suffix or event.i == 0:
        return False
    return tokens[event.i - 1].norm in _PASSIVE_AUX


def _bare_noun(tokens: Sequence[Token], event: Mark) -> bool:
    """انسحاب من المدينة: an event noun with no doer after it (not خرج السكان من …)."""
    sense = event.sense
    if sense is None or not sense.noun or sense.suffix or sense.first_person:
        return False
    return event.j < len(tokens) and tokens[event.j].norm in _FROM_WORDS


def _subject_of_fall(
    tokens: Sequence[Token],
    placed: list[tuple[int, int, PlaceMention]],
    event: Mark,
    mention: PlaceMention,
) -> bool:
    """سقطت (مدينة) حلب، حلب سقطت: the city is what fell; not سقوط قذائف على حلب."""
    if mention.ref:
        return True
    at = next(((i, j) for i, j, m in placed if m is mention), None)
    if at is None:
        return False
    start, end = at
    if end == event.i - 1:
        return True
    k = event.j
    if k < len(tokens) and (tokens[k].norm in _CITY_HEADS or tokens[k].norm in _DUAL_HEADS):
        k += 1  # سقطت مدينة حماة، سقطت مدن حلب وإدلب وحماة
    return start == k


_ATTEMPTS = frozenset({"incursion", "capture", "entry", "fighting"})


def _attempt_object(marks: list[Mark], event: Mark, mark: Mark) -> bool:
    """أحبط محاولة تسلل إلى حماة، صد هجوماً على حمص: what a repel verb foils is its object,
    not a new clause (the city after it is the one defended)."""
    if event.value != "repel" or mark.i - event.j > 2:
        return False
    return mark.role == lx.INTENT or (mark.role == lx.EVENT and mark.value in _ATTEMPTS)


_AN = normalize("عن")
_WENT_OUT = normalize("خرج")
_GOING_OUT = normalize("خروج")


def _went_out_of_control(tokens: Sequence[Token], marks: list[Mark], event: Mark) -> bool:
    """خرجت حمص عن سيطرة …، بخروج حمص عن سيطرة …: the "went out" word of such a phrase."""
    word = tokens[event.i].norm
    if _WENT_OUT not in word and _GOING_OUT not in word:
        return False
    return any(
        m.role == lx.EVENT
        and m.value == "capture"
        and 0 < m.i - event.j <= 6
        and tokens[m.i - 1].norm == _AN
        for m in marks
    )


def _left_control(tokens: Sequence[Token], marks: list[Mark], event: Mark) -> bool:
    """خرجت المدينة عن سيطرة …: a control noun after عن, a "went out" verb before it."""
    if event.value != "capture" or event.i == 0 or tokens[event.i - 1].norm != _AN:
        return False
    return any(
        m.role == lx.EVENT
        and m.value == "withdrawal"
        and 0 < event.i - m.j <= 6
        and (_WENT_OUT in tokens[m.i].norm or _GOING_OUT in tokens[m.i].norm)
        for m in marks
    )


def _located(
    tokens: Sequence[Token],
    placed: list[tuple[int, int, PlaceMention]],
    event: Mark,
    where: list[PlaceMention],
) -> bool:
    """A control noun whose city follows في with no على between (مناطق سيطرة قسد في الرقة):
    control that is there, not control taken over something (السيطرة على مراكز في …)."""
    if not where or where[0].ref:
        return False
    at = next((i for i, _, m in placed if m is where[0]), None)
    if at is None or at == 0:
        return False
    if any(tokens[k].norm in _ON for k in range(event.j, at)):
        return False
    k = at - 1
    if k > 0 and tokens[k].norm in _CITY_HEADS:
        k -= 1
    return tokens[k].norm == _IN_WORD


_INSIDE = frozenset(normalize(w) for w in ["داخل", "وداخل"])
_PRESENCE = Sense(lx.EVENT, "entry", noun=True)


_STAYING = Sense(lx.EVENT, "hold", noun=True)
_AT = frozenset(normalize(w) for w in ["في", "داخل", "وسط", "ضمن"])
_STILL_LEADS = frozenset(normalize(w) for w in ["لا", "ولا", "فلا", "ما", "وما", "فما"])
_AGENTS = (ACTOR, lx.SELF, lx.FORCES)


_PAIR_REFS = frozenset(
    normalize(w) for w in ["المدينتين", "المدينتان", "والمدينتين", "بالمدينتين", "للمدينتين"]
)
_QUOTE_MARKS = frozenset('«»"“”:')


def _first_person_doer(marks: list[Mark], event: Mark) -> bool:
    """لم ننسحب، لم تنسحب قواتنا: the speaker's own side does (or did not do) the event;
    not الجيش لم يخسر حلب (a third person the speaker may be contrasting)."""
    if event.sense is not None and event.sense.first_person:
        return True
    return any(m.role == lx.SELF and m.i == event.j for m in marks)


def _clause_subject(text: str, tokens: Sequence[Token], marks: list[Mark], event: Mark) -> bool:
    """An agent named right after the verb (within three words) or right before it and its
    negation, in the same quote."""
    for mark in marks:
        if mark.role not in (ACTOR, SPEAKER, lx.SELF, lx.FORCES):
            continue
        if event.j <= mark.i <= event.j + 3:
            return True
        if mark.j <= event.i and event.i - mark.j <= 2:
            gap = text[tokens[mark.j - 1].end : tokens[event.i].start]
            if not _QUOTE_MARKS & set(gap):
                return True
    return False


_PAST_TIME = frozenset(
    normalize(w) for w in ["الماضي", "الماضية", "أمس", "وقت", "فترة", "قريب", "سقوطها", "سقوطه"]
)


def _until_past(tokens: Sequence[Token], marks: list[Mark], event: Mark) -> bool:
    """… تحت سيطرة الحكومة حتى الأسبوع الماضي / حتى وقت قريب: a state that lasted until a
    past time is over."""
    goal = next((m for m in marks if m.role == lx.GOAL and 0 <= m.i - event.j <= 4), None)
    if goal is None:
        return False
    return any(t.norm in _PAST_TIME for t in tokens[goal.j : goal.j + 3])


_PULL = normalize("سحب")
_FORCE_OBJECTS = frozenset(
    normalize(w)
    for w in [
        "قوات", "القوات", "عناصر", "وحدات", "مقاتلي", "جنود", "قواته", "قواتها", "قواتهم",
        "عناصره", "عناصرها", "وحداته", "وحداتها", "مقاتليه", "مقاتليها", "جنوده", "جنودها",
        "قواتنا", "عناصرنا", "وحداتنا", "مقاتلينا", "آلياته", "آلياتها", "أرتاله", "أرتالها",
    ]
)  # fmt: skip


def _pulled_not_forces(tokens: Sequence[Token], marks: list[Mark], event: Mark) -> bool:
    """سحب الجيش قواته من حماة is a withdrawal; سحبت روسيا سفنها، سحبت الوكالة الخبر are not:
    the verb سحب counts only with forces as its object."""
    norm = tokens[event.i].norm
    if _PULL not in norm[:4] or event.value != "withdrawal":
        return False
    k = event.j
    for mark in marks:
        if mark.i == k and mark.role in (ACTOR, SPEAKER):
            k = mark.j  # the subject (VS)
    return k >= len(tokens) or tokens[k].norm not in _FORCE_OBJECTS


_BACK_FROM = frozenset(
    p + normalize(w)
    for w in ["تراجع", "تراجعت", "تتراجع", "يتراجع", "تراجعوا", "عدل", "عدلت"]
    for p in ("", "و", "ف")
)
_TAKE_DOWN = frozenset(
    p + normalize(w) for w in ["سحب", "سحبت", "حذف", "حذفت", "حذفوا"] for p in ("", "و", "ف")
)
_TAKEN_DOWN = frozenset(
    p + normalize(w)
    for w in ["حذفته", "حذفتها", "حذفوه", "حذفوها", "سحبته", "سحبتها", "سحبوه"]
    for p in ("", "و", "ف")
)
_NEWS_NOUNS = frozenset(
    normalize(w)
    for w in ["خبرا", "الخبر", "خبر", "تقريرا", "التقرير", "تغريدة", "منشورا", "المنشور", "إعلانها"]
)
_AN_WORD = normalize("عن")


# Verbs of sharing (تتقاسم قسد والحكومة السيطرة على الحسكة) and a shared control (سيطرة مشتركة):
# two parties hold the city together, so it is contested, not the first party's.
_SHARING = frozenset(
    normalize(w)
    for w in [
        "تتقاسم",
        "يتقاسم",
        "تقاسم",
        "تقاسمت",
        "يتقاسمان",
        "تتقاسمان",
        "تتقاسمها",
        "يتقاسمها",
        "تتشارك",
        "يتشارك",
        "تشترك",
        "يشترك",
        "يتشاركان",
        "تتشاركان",
        "تقاسمتا",
        "تقاسما",
    ]
)
_SHARING = _SHARING | frozenset(p + w for w in _SHARING for p in ("و", "ف"))
_SHARED = frozenset(normalize(w) for w in ["مشتركة", "المشتركة", "مشتركه", "مقسمة", "موزعة"])


def _shared(tokens: Sequence[Token], marks: list[Mark], event: Mark) -> str:
    """'shared' when the event's control is shared between parties (تتقاسم … السيطرة، سيطرة
    مشتركة), 'was' when it used to be (كانت تتقاسم السيطرة عليها), else ''."""
    for k in range(max(0, event.i - 6), event.i):
        if tokens[k].norm in _SHARING:
            return (
                "was" if any(m.role == lx.PAST and 0 <= k - m.j <= 1 for m in marks) else "shared"
            )
    return "shared" if event.j < len(tokens) and tokens[event.j].norm in _SHARED else ""


_MAY = normalize("قد")
_GIVE_UP = frozenset(
    p + normalize(w)
    for w in [
        "تخلى",
        "تخلت",
        "تخلوا",
        "تخلينا",
        "نتخلى",
        "نتخل",
        "تتخلى",
        "يتخلى",
        "تتخل",
        "يتخل",
        "يتخلون",
    ]
    for p in ("", "و", "ف")
)


def _gives_up_place(
    tokens: Sequence[Token], placed: list[tuple[int, int, PlaceMention]], event: Mark
) -> bool:
    """تخلى عن (مدينة) حلب: the place right after عن is what is given up."""
    k = event.j
    while k < len(tokens) and k - event.j < 3 and tokens[k].norm not in (_AN,):
        k += 1  # تخلت قوات النظام عن …
    if k >= len(tokens) or tokens[k].norm != _AN:
        return False
    k += 1
    if k < len(tokens) and tokens[k].norm in _CITY_HEADS:
        k += 1
    return any(i == k for i, _, _ in placed)


_VERIFY = frozenset(
    normalize(w)
    for w in ["التحقق", "التأكد", "تأكيد", "التثبت", "تحقق", "التحقق،", "بالتحقق", "للتحقق"]
)
_NOT_VERIFIED = frozenset(
    normalize(w)
    for w in [
        "لم",
        "لا",
        "تعذر",
        "يتعذر",
        "يصعب",
        "دون",
        "بدون",
        "عدم",
        "يتسن",
        "يتسنى",
        "صعوبة",
    ]
)
_OF_WORDS = frozenset(normalize(w) for w in ["من", "صحة", "صحه", "عن"])


def _unverified(tokens: Sequence[Token], event: Mark) -> bool:
    """لم يتسن لرويترز التحقق من (صحة) سيطرة الفصائل على حمص، دون التأكد من دخول …: the event
    is what could not be verified, not something told."""
    k = event.i - 1
    while k >= 0 and event.i - k <= 2 and tokens[k].norm in _OF_WORDS:
        k -= 1
    if k < 0 or k == event.i - 1 or tokens[k].norm not in _VERIFY:
        return False
    return any(
        norm in _NOT_VERIFIED or (norm[:1] in ("و", "ف") and norm[1:] in _NOT_VERIFIED)
        for norm in (tokens[n].norm for n in range(max(0, k - 4), k))
    )


_BEFORE = frozenset(normalize(w) for w in ["قبل", "وقبل"])
_AN_THAT = frozenset(normalize(w) for w in ["أن", "ان"])


def _drop_undone(
    tokens: Sequence[Token],
    found: dict[tuple[str, str, str, str], Claim],
    origin: dict[tuple[str, str, str, str], int],
) -> dict[tuple[str, str, str, str], Claim]:
    """كانت الفصائل قد سيطرت على حلب قبل أن تستعيدها القوات الحكومية: what a "قبل أن" clause
    tells of the same city by the same source came after, so the earlier state is over."""
    later = {
        at
        for at in origin.values()
        if at >= 2 and tokens[at - 1].norm in _AN_THAT and tokens[at - 2].norm in _BEFORE
    }
    if not later:
        return found
    undone = {
        key
        for key, claim in found.items()
        for other_key, other in found.items()
        if origin[other_key] in later
        and origin[key] < origin[other_key]
        and other.source == claim.source
        and other.city == claim.city
        and other.state != claim.state
    }
    return {k: c for k, c in found.items() if k not in undone}


def _before_that(
    text: str, tokens: Sequence[Token], dated: Mark, event: Mark, published: datetime | None
) -> bool:
    """The event opens a "قبل أن" clause right after an event told with a past year, and says
    no time of its own (… قبل أن تخسرها الأسبوع الماضي is told at its own time)."""
    if event.i < 2 or dated.j > event.i:
        return False
    if tokens[event.i - 1].norm not in _AN_THAT or tokens[event.i - 2].norm not in _BEFORE:
        return False
    if event.i - 2 - dated.j > 12:
        return False
    _, historic, labelled = _time_with_label(text[tokens[event.i].start :], published)
    return historic or not labelled


_AFTER_FACT = frozenset(normalize(w) for w in ["بعد", "وبعد", "عقب", "وعقب", "إثر", "وإثر", "منذ"])


def _may_follow(tokens: Sequence[Token], event: Mark) -> bool:
    """An event noun that is the subject of قد + a present verb (سقوط حماة قد يفتح الطريق، دخول
    الفصائل إلى حمص قد يؤدي إلى …): a supposition of what it may bring, not an event told."""
    sense = event.sense
    if sense is None or not sense.noun:
        return False
    if event.i > 0 and tokens[event.i - 1].norm in _AFTER_FACT:
        return False  # وبعد سقوط حماة قد تتجه الفصائل نحو حمص: the fall is told as done
    for k in range(event.j, min(len(tokens) - 1, event.j + 6)):
        if tokens[k].norm == _MAY:
            following = tokens[k + 1].norm
            return len(following) > 2 and following[0] in "يت"
    return False


def _retractions(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Where a statement is taken back: تراجع (المرصد) عن، سحبت (الوكالة) خبراً، حذفته; the
    retraction's first token and the token after its object word. (تراجع الجيش with no عن is
    a retreat; سحب قواته is a withdrawal.)"""
    out: list[tuple[int, int]] = []
    for k, token in enumerate(tokens):
        norm = token.norm
        if norm in _TAKEN_DOWN:
            out.append((k, k + 1))
            continue
        if norm in _BACK_FROM:
            wanted = {_AN_WORD}
        elif norm in _TAKE_DOWN:
            wanted = _NEWS_NOUNS
        else:
            continue
        # (its subject may come between: تراجع المرصد السوري لحقوق الإنسان عن …)
        end = next(
            (n for n in range(k + 1, min(len(tokens), k + 9)) if tokens[n].norm in wanted), None
        )
        if end is not None:
            out.append((k, end + 1))
    return out


def _retracted(retractions: list[tuple[int, int]], marks: list[Mark], event: Mark) -> bool:
    """أعلنت دخول حمص قبل أن تتراجع عن ذلك، تراجع المرصد عن إعلانه سيطرة …، سحبت الوكالة خبراً
    عن سقوط …: an event told before a retraction, or in what it takes back, is nobody's claim
    (a statement after it, from وتقول إن on, is a new one)."""
    for start, end in retractions:
        if start >= event.j or start == event.i:
            return True  # (تراجع عن itself is no retreat)
        if 0 <= event.i - end <= 6 and not any(
            m.role in (lx.REPORT, lx.COMPLEMENTIZER)
            and end <= m.i < event.i
            and not (m.sense is not None and m.sense.noun)
            for m in marks
        ):
            return True
    return False


ABILITY_SPAN = 14  # tokens from a verb of ability to the masdar or أن + verb it governs
_ABILITY_STOPS = frozenset({lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER, lx.CLAUSE, lx.CONDITION})


def _ability(marks: list[Mark], event: Mark) -> Mark | None:
    """The verb of ability or failure (تمكن، استطاع، فشل) an event is the object of, however
    far: nothing that starts another clause between (an أن right before the event aside)."""
    for mark in reversed(marks):
        if mark.j > event.i:
            continue
        if event.i - mark.j > ABILITY_SPAN:
            return None
        if mark.role in (lx.ABLE, lx.FAILED):
            return mark
        if mark.role == lx.COMPLEMENTIZER and mark.j == event.i:
            continue  # لن تستطيع … أن تدخل حمص
        if mark.role in _ABILITY_STOPS:
            return None
    return None


def _self_before(marks: list[Mark], negation: Mark) -> bool:
    """قواتنا لم تنسحب: the speaker's own forces named right before the negation."""
    return any(m.role == lx.SELF and m.j == negation.i for m in marks)


_RATHER = frozenset(normalize(w) for w in ["بل", "وإنما", "إنما", "لكن", "ولكن", "لكنه", "لكنها"])
_LOST_FORMS = frozenset(normalize(w) for w in ["فقد", "وفقد"])
_LOSS = Sense(lx.EVENT, "loss")
_CONTROL_STEM = normalize("سيطرت")


def _control_noun(tokens: Sequence[Token], mark: Mark | None) -> bool:
    """السيطرة، سيطرته، سيطرتها: a control noun (the suffixed form reads as a verb too)."""
    if mark is None or mark.role != lx.EVENT or mark.value != "capture" or mark.sense is None:
        return False
    return mark.sense.noun or (mark.sense.suffix and tokens[mark.i].norm.startswith(_CONTROL_STEM))


def _lost(tokens: Sequence[Token], marks: list[Mark]) -> list[Mark]:
    """فقد الجيش السيطرة على حلب، الجيش فقد السيطرة: the past فقد (also ف + قد "indeed",
    so not in the lexicon) is "lost" when its subject is named right before it, or stands
    alone between it and a control noun. فقدت قسد سيطرتها: the suffixed control word after a
    loss or recapture verb and its subject is that verb's object noun, not a verb."""
    found: list[Mark] = []
    for k, token in enumerate(tokens):
        if token.norm not in _LOST_FORMS or any(m.i <= k < m.j for m in marks):
            continue
        at = _past_subject(marks, k + 1)
        noun = next((m for m in marks if m.i == at), None)
        # VS (فقد الجيش السيطرة) or SV (الجيش فقد السيطرة)
        named = at > k + 1 or any(m.j == k and m.role in (ACTOR, lx.FORCES) for m in marks)
        if named and _control_noun(tokens, noun):
            found.append(Mark(k, k + 1, lx.EVENT, "loss", _LOSS))
    marks = sorted([*marks, *found], key=lambda m: m.i) if found else marks
    verbs = {
        _past_subject(marks, m.j)
        for m in marks
        if m.role == lx.EVENT
        and m.value in ("loss", "recapture")
        and m.sense is not None
        and not m.sense.noun
    }
    return [
        Mark(m.i, m.j, m.role, m.value, replace(m.sense, noun=True, suffix=False))
        if m.i in verbs and m.sense is not None and not m.sense.noun and _control_noun(tokens, m)
        else m
        for m in marks
    ]


def _past_subject(marks: list[Mark], at: int) -> int:
    """The token after the actors that start at `at` (a verb's subject)."""
    for mark in marks:
        if mark.i == at and mark.role in (ACTOR, lx.FORCES):
            at = mark.j
    return at


def _presence(tokens: Sequence[Token], marks: list[Mark]) -> list[Mark]:
    """الفصائل داخل حماة، «قواتنا داخل المدينة»: a party said to be inside a place, in a
    sentence that tells of no other event, has entered it (an entry read on the word داخل).
    Said to be there still (لا يزال الجيش في حمص، قواتنا ما زالت داخل حلب), it holds it."""
    if not marks:
        return marks
    staying = _staying(tokens, marks)
    if any(m.role == lx.EVENT for m in marks):
        return sorted([*marks, *staying], key=lambda m: m.i) if staying else marks
    held = {m.i for m in staying}
    found = [
        Mark(m.j, m.j + 1, lx.EVENT, "entry", _PRESENCE)
        for m in marks
        if m.role in _AGENTS
        and m.j < len(tokens)
        and tokens[m.j].norm in _INSIDE
        and m.j not in held
    ]
    if not found and not staying:
        return marks
    return sorted([*marks, *found, *staying], key=lambda m: m.i)


def _staying(tokens: Sequence[Token], marks: list[Mark]) -> list[Mark]:
    """لا يزال الجيش في حمص، ما زالت الفصائل داخل إدلب، قواتنا لا تزال في حلب: "still" with a
    party and then في/داخل: a hold read on the preposition."""
    out: list[Mark] = []
    for n, still in enumerate(marks):
        if still.role != lx.STILL or still.i == 0 or tokens[still.i - 1].norm not in _STILL_LEADS:
            continue
        after = marks[n + 1] if n + 1 < len(marks) else None
        # the mark before لا/ما (read as a negation or a relative)
        lead = n - 1 if n > 0 and marks[n - 1].i == still.i - 1 else n
        before = marks[lead - 1] if lead > 0 else None
        if after is not None and after.role in _AGENTS and after.i - still.j <= 1:
            at = after.j  # لا يزال الجيش في …
        elif before is not None and before.role in _AGENTS and still.i - 1 - before.j <= 1:
            at = still.j  # قواتنا لا تزال في …
        else:
            continue
        if at < len(tokens) and tokens[at].norm in _AT and not any(m.i == at for m in marks):
            out.append(Mark(at, at + 1, lx.EVENT, "hold", _STAYING))
    return out + _present(tokens, marks, {m.i for m in out})


_PRESENT_WORDS = frozenset(
    p + normalize(w)
    for w in [
        "موجود",
        "موجودة",
        "موجودون",
        "موجودين",
        "متواجد",
        "متواجدة",
        "متواجدون",
        # «قواتنا باقية في حماة»: remaining there
        "باقية",
        "باقون",
        "باقين",
        "باق",
    ]
    for p in ("", "و")
)
_PRESENT_NOT = frozenset(normalize(w) for w in ["غير", "وغير", "يعد", "تعد", "يعودوا"])
_PRESENT_STOPS = frozenset({lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER, lx.CLAUSE, lx.NEGATION})


def _present(tokens: Sequence[Token], marks: list[Mark], taken: set[int]) -> list[Mark]:
    """قواتنا في حماة وريفها موجودة، الجيش موجود داخل حمص: a party said to be present in a
    place holds it (a hold read on the في/داخل between or right after)."""
    out: list[Mark] = []
    for k, token in enumerate(tokens):
        if token.norm not in _PRESENT_WORDS or (k and tokens[k - 1].norm in _PRESENT_NOT):
            continue
        agent = None
        for mark in reversed(marks):
            if mark.j > k:
                continue
            if k - mark.j > 6 or mark.role in _PRESENT_STOPS:
                break
            if mark.role in _AGENTS:
                agent = mark
                break
        if agent is None:
            continue
        at = next(
            (i for i in [*range(agent.j, k), k + 1] if i < len(tokens) and tokens[i].norm in _AT),
            None,
        )
        if at is not None and at not in taken and not any(m.i == at for m in marks):
            out.append(Mark(at, at + 1, lx.EVENT, "hold", _STAYING))
    return out


RUMOUR_SPAN = 8  # tokens from a hearsay word (أنباء عن) to the event it relays
_RUMOUR_ENDS = frozenset({lx.REPORT, lx.COMPLEMENTIZER, lx.CLAUSE, lx.DENY})


def _rumoured(marks: list[Mark], event: Mark) -> bool:
    """أنباء (غير مؤكدة) عن سقوط …، ما يتردد عن انسحاب …: the event is hearsay, in the same
    phrase as the hearsay word (no reporting verb, complementizer or new clause between)."""
    for n in range(len(marks) - 1, -1, -1):
        mark = marks[n]
        if mark.i >= event.i:
            continue
        if event.i - mark.j > RUMOUR_SPAN:
            return False
        if mark.role == lx.RUMOUR:
            return True
        if mark.role in _RUMOUR_ENDS:
            return False
    return False


def _is_event(tokens: Sequence[Token], mark: Mark) -> bool:
    """A control event, or a phrase saying whose hands a place is in (بيد، في قبضة)."""
    if mark.role == lx.EVENT:
        return True
    if mark.role != lx.WINNER:
        return False
    return " ".join(t.norm for t in tokens[mark.i : mark.j]) in lx.POSSESSION


_DUAL_HEADS = frozenset(normalize(w) for w in ["مدينتا", "مدينتي", "مدن", "بلدتا", "بلدتي"])


def _governing(
    tokens: Sequence[Token], marks: list[Mark], event: Mark, covered: frozenset[int]
) -> Mark | None:
    """تخضع مدينة منبج لسيطرة …: a state word before the city that the control noun after it
    completes (only place names and their head nouns between)."""
    for mark in marks:
        if mark.role not in (lx.UNDER, lx.OUT_OF) or not 0 < event.i - mark.j <= 6:
            continue
        between = range(mark.j, event.i)
        if all(
            k in covered or tokens[k].norm in _CITY_HEADS or tokens[k].norm in _DUAL_HEADS
            for k in between
        ):
            return mark
    return None


def _sentence_tokens(text: str) -> list[tuple[str, list[Token], bool]]:
    """The sentences of `text` with their tokens (offsets into the sentence) and whether a
    line break comes before them (a new paragraph), tokenising the whole text once; sentences
    with no word are left out."""
    whole = tokenize(text)
    starts = [t.start for t in whole]
    out: list[tuple[str, list[Token], bool]] = []
    end = 0
    for sentence in sentences(text):
        paragraph = "\n" in text[end : sentence.start]
        end = sentence.end
        lo = bisect.bisect_left(starts, sentence.start)
        hi = bisect.bisect_left(starts, sentence.end)
        inside = whole[lo:hi]
        if inside and inside[-1].end > sentence.end:
            tokens = tokenize(sentence.text)  # a word across the boundary: read the sentence alone
        else:
            base = sentence.start
            make = tuple.__new__  # as in arabic._tokens: a named tuple's own __new__ is slow
            tokens = [make(Token, (t[0], t[1], t[2] - base, t[3] - base)) for t in inside]
        if tokens:
            out.append((sentence.text, tokens, paragraph))
    return out


_BACKGROUND_HOLD = "hold-background"
_CHANGES = frozenset({"capture", "entry", "recapture", "loss", "withdrawal"})
_RELATIVES = frozenset(normalize(w) for w in ["التي", "الذي", "اللتين", "اللذين", "اللتان"])


def _describing(tokens: Sequence[Token], lead: Mark) -> bool:
    """الخاضعة لسيطرة قسد، التي تخضع / لا تزال تحت سيطرة …: a description of the city, the
    state it was in when the news happened, not the news."""
    word = tokens[lead.i].norm.removeprefix("و")
    if word.startswith(("خاضع", "الخاضع")):
        return True
    return any(tokens[k].norm in _RELATIVES for k in range(max(0, lead.i - 3), lead.i))


def _drop_superseded_background(claims: list[Claim], background: list[Claim]) -> list[Claim]:
    """A hold told in a description (تل رفعت الخاضعة لسيطرة قسد) yields to the item's own
    news of a change of hands of that city to another state."""
    if not background:
        return claims
    changed = {(c.city, c.state) for c in claims if c.kind in _CHANGES}
    cities = {city for city, _ in changed}
    return [
        c
        for c in claims
        if not any(c is b for b in background)
        or c.city not in cities
        or (c.city, c.state) in changed
    ]


NEAR = 40  # tokens either side of an event within which its pieces are looked for


def _near(marks: list[Mark], starts: list[int], event: Mark) -> list[Mark]:
    """The marks within NEAR tokens of an event (`starts`: the marks' first tokens, sorted)."""
    lo = bisect.bisect_left(starts, event.i - NEAR)
    hi = bisect.bisect_right(starts, event.j + NEAR)
    return marks[lo:hi]


def _near_places(
    placed: list[tuple[int, int, PlaceMention]], starts: list[int], event: Mark
) -> list[tuple[int, int, PlaceMention]]:
    lo = bisect.bisect_left(starts, event.i - NEAR)
    hi = bisect.bisect_right(starts, event.j + NEAR)
    return placed[lo:hi]


def _not_speakers(
    text: str, tokens: Sequence[Token], marks: list[Mark], mentions: list[PlaceMention]
) -> list[PlaceMention]:
    """وتنفي دمشق سقوط حلب، قالت دمشق: a place name that speaks is the government, not a city
    the statement is about (not after a colon or a quote: وتابع: «دمشق آمنة»)."""
    speaking: set[int] = set()
    for n, mark in enumerate(marks):
        if mark.role != lx.REPORT:
            continue
        for other in marks[max(0, n - 1) : n + 2]:
            if other.role not in (ACTOR, SPEAKER):
                continue
            if other.i == mark.j and _QUOTE_MARKS & set(
                text[tokens[mark.j - 1].end : tokens[other.i].start]
            ):
                continue
            if other.j == mark.i or other.i == mark.j:
                speaking.update(tokens[k].start for k in range(other.i, other.j))
    if not speaking:
        return mentions
    return [m for m in mentions if m.ref or m.start not in speaking]


def _not_controllers(
    tokens: Sequence[Token], marks: list[Mark], mentions: list[PlaceMention]
) -> list[PlaceMention]:
    """سيطرة دمشق على حلب، قبضة دمشق على المدينة: a capital in the genitive of a control noun,
    with على and the controlled place after it, is the government, not a city."""
    owning: set[int] = set()
    for n, mark in enumerate(marks[1:], start=1):
        if mark.role != ACTOR or mark.j >= len(tokens) or tokens[mark.j].norm not in _ON:
            continue
        noun = marks[n - 1]
        if (
            noun.role == lx.EVENT
            and noun.j == mark.i
            and noun.sense is not None
            and noun.sense.noun
            and noun.value in ("capture", "hold")
        ):
            owning.update(tokens[k].start for k in range(mark.i, mark.j))
    if not owning:
        return mentions
    return [m for m in mentions if m.ref or m.start not in owning]


_DOER_KINDS = frozenset({"capture", "recapture", "loss"})


def _not_doers(
    tokens: Sequence[Token], marks: list[Mark], mentions: list[PlaceMention]
) -> list[PlaceMention]:
    """دمشق تخسر حماة، استعادت دمشق السيطرة على تدمر: a capital right before or after a verb of
    taking or losing, with another city as its object, is the government doing it."""
    starts = {m.start: n for n, m in enumerate(mentions) if not m.ref}
    doing: set[int] = set()
    for n, mark in enumerate(marks):
        if (
            mark.role != lx.EVENT
            or mark.value not in _DOER_KINDS
            or mark.sense is None
            or mark.sense.noun
        ):
            continue
        for other in marks[max(0, n - 1) : n + 2]:
            if other.role != ACTOR:
                continue
            # VS (استعادت دمشق السيطرة) or SV with nothing before the capital in its clause
            # (دمشق تخسر حماة; not دخلت الفصائل دمشق وسيطرت على …, a joined verb)
            subject_first = (
                other.j == mark.i
                and mark.sense.prefix == ""
                and not any(
                    m.role in (lx.EVENT, ACTOR, SPEAKER) and 0 <= other.i - m.j <= 3
                    for m in marks[:n]
                    if m is not other
                )
            )
            if not (subject_first or other.i == mark.j):
                continue
            at = starts.get(tokens[other.i].start)
            if at is None:
                continue
            # another city named after the verb (and after the capital itself)
            after = max(mark.j, other.j)
            if any(
                m.place != mentions[at].place and not m.ref and m.start >= tokens[after - 1].end
                for m in mentions
                if tokens[min(after + 6, len(tokens) - 1)].end >= m.start
            ):
                doing.add(tokens[other.i].start)
    if not doing:
        return mentions
    return [m for m in mentions if m.ref or m.start not in doing]


_POSITIONS = frozenset(
    normalize(w)
    for w in [
        "نقاط", "نقطة", "مواقع", "موقع", "حواجز", "حاجز", "تلال", "تلة", "مقرات", "مقر",
        "ثكنة", "ثكنات", "كتيبة", "قرى", "بلدات", "معقل", "معاقل",
    ]
)  # fmt: skip


def _positions_between(
    tokens: Sequence[Token],
    placed: list[tuple[int, int, PlaceMention]],
    event: Mark,
    mention: PlaceMention,
) -> bool:
    """Positions or villages named between an event and its city (عدة نقاط في محيط حماة)."""
    at = next((i for i, _, m in placed if m is mention), None)
    if at is None or at <= event.j:
        return False
    for k in range(event.j, at):
        norm = tokens[k].norm
        for prefix in ("", "و", "ال", "وال"):
            if norm.startswith(prefix) and norm[len(prefix) :] in _POSITIONS:
                return True
    return False


def _generic(tokens: Sequence[Token], event: Mark) -> bool:
    """من يسيطر على حمص …: a present verb right after "whoever" tells of nobody."""
    sense = event.sense
    if sense is None or sense.noun or not sense.present or event.i == 0:
        return False
    return tokens[event.i - 1].norm in _WHOEVER


def _drop_weaker_contested(claims: list[Claim]) -> list[Claim]:
    """Within one sentence, "broke in and entered" is an entry: a source's contested reading
    of a city yields to its own reading that a party holds it."""
    decided = {(c.source, c.city) for c in claims if c.state in PARTIES}
    return [
        c
        for c in claims
        if not (
            c.state == "contested"
            and c.kind in ("entry", "fighting")
            and (c.source, c.city) in decided
        )
    ]


_VERB_LIKE = re.compile(r"[وف][يت]\w{3,}")
_NEIGHBOURHOOD_NOUNS = frozenset(normalize(w) for w in ["حي", "حيي", "حيين", "أحياء"])


def _is_pronoun(surface: str) -> bool:
    """فيها، عليها، أحيائها (not المدينة، مدينتنا): a suffix pronoun standing for a city."""
    norm = normalize(surface)
    return norm.endswith(("ها", "ه")) and not norm.endswith(_CITY_WORDS)


def _may_refer(norm: str) -> bool:
    """Could this word point back to a city named earlier (المدينة، فيها، أحيائها)? Only
    then is the chain of earlier sentences worth reading."""
    return norm.endswith("ها") or norm.endswith(_CITY_WORDS)


_CITY_WORDS = (
    normalize("المدينة"),
    normalize("العاصمة"),
    normalize("البلدة"),
    normalize("مدينتنا"),
)


def _prepositional(mark: Mark) -> bool:
    return mark.sense is not None and mark.sense.prefix.endswith(("ل", "ب", "ك"))


def _verb_like(norm: str) -> bool:
    """وتقطع، ويحاصر: "and" with a present-tense verb, the start of another clause."""
    return bool(_VERB_LIKE.fullmatch(norm)) and not norm.startswith(("وال", "فال", "وتل"))


def _in_a_neighbourhood(tokens: Sequence[Token], start: int, place: int) -> bool:
    """حيي الشيخ مقصود والأشرفية في مدينة حلب: named neighbourhoods are part of the city
    (أحياء حلب, right before the name, is the city itself)."""
    for k in range(start, place - 1):
        norm = tokens[k].norm
        for prefix in ("", "و", "ب", "وب", "ال", "وال", "بال"):
            if norm.startswith(prefix) and norm[len(prefix) :] in _NEIGHBOURHOOD_NOUNS:
                return True
    return False


def _other_place(tokens: Sequence[Token], start: int, place: int) -> bool:
    """A settlement noun between an event and the first profile place, not right before it:
    "سيطرت على بلدة الزربة، لتصبح على بعد كيلومترات من … حلب" is about الزربة."""
    for k in range(start, place - 1):
        norm = tokens[k].norm
        for prefix in ("", "و", "ب", "وب", "ال", "وال", "بال"):
            if norm.startswith(prefix) and norm[len(prefix) :] in _SETTLEMENT_NOUNS:
                return True
    return False


def _joined(
    text: str, tokens: Sequence[Token], last: int, index: int, prep: str | None = None
) -> bool:
    """Places in a list (حلب وإدلب، حلب، إدلب): the next one follows the last with و or a comma,
    or with a word that adds to a list (حماة ثم حمص، حلب وكذلك من إدلب، حلب إضافة إلى إدلب،
    من حلب ومن إدلب), its preposition and its head noun repeated or not."""
    while last + 1 < index and tokens[last + 1].norm in _DIRECTIONS:
        last += 1  # ريف حماة الشمالي ومدينة حماة: the direction belongs to the first place
    if index == last + 1:
        gap = text[tokens[last].end : tokens[index].start]
        return tokens[index].norm.startswith("و") or "،" in gap or "," in gap
    # حماة ومدينة حمص: the second city with its own head noun
    if index == last + 2 and (
        tokens[last + 1].norm == "و" or tokens[last + 1].norm in _JOINED_HEADS
    ):
        return True
    if index - last > 5:
        return False
    gap = [tokens[k].norm for k in range(last + 1, index)]
    if (
        len(gap) == 1
        and gap[0].startswith("و")
        and tokens[index].norm.startswith("و")
        and not _verb_like(gap[0])
    ):
        return True  # الرقة والطبقة والحسكة: a place the profile lacks, in the middle of a list
    lead = gap.pop(0)
    if lead in _AFTER_WORDS and gap and gap[0] in _TIME_NOUNS:
        gap.pop(0)  # حلب، وبعد أيام على حماة
        lead = "ثم"
    if lead in _LIST_PAIRS:
        if not gap or gap.pop(0) != _LIST_PAIRS[lead]:
            return False
    elif lead not in _LIST_LEADS and (prep is None or lead != "و" + prep):
        return False
    if gap and gap[0] in _LIST_LEADS:
        gap.pop(0)  # ثم بعدها
    if gap and gap[0] in _LIST_PREPS:
        gap.pop(0)
    if gap and gap[0] in _CITY_HEADS | _DUAL_HEADS:
        gap.pop(0)
    return not gap


_JOINED_HEADS = frozenset("و" + head for head in _CITY_HEADS)
_AFTER_WORDS = frozenset(normalize(w) for w in ["بعد", "وبعد", "ثم", "وخلال", "خلال"])
_TIME_NOUNS = frozenset(
    normalize(w)
    for w in ["أيام", "يومين", "يوم", "ساعات", "ساعة", "ساعتين", "أسبوع", "أسبوعين", "أسابيع"]
)
_LIST_LEADS = frozenset(
    normalize(w) for w in ["ثم", "وثم", "بعدها", "وبعدها", "كذلك", "وكذلك", "وأيضا", "وايضا"]
)
# إضافة إلى إدلب، فضلا عن إدلب: a lead that takes its own preposition
_LIST_PAIRS = {
    **{normalize(w): normalize("إلى") for w in ["إضافة", "بالإضافة", "وبالإضافة", "علاوة"]},
    **{normalize(w): normalize("عن") for w in ["فضلا", "وفضلا"]},
}
_LIST_PREPS = frozenset(normalize(w) for w in ["على", "من"])
# "including" after a governorate or countryside (بما فيها، بما في ذلك، ومنها، من بينها)
_INCLUDING = tuple(
    tuple(normalize(w) for w in phrase.split())
    for phrase in ["بما فيها", "بما فيه", "بما في ذلك", "ومنها", "من بينها", "وبينها", "بما فيهما"]
)
_CENTRES = frozenset(normalize(w) for w in ["مركز", "ومركز", "مركزها"])


def _including_words(tokens: Sequence[Token], at: int) -> int:
    """How many tokens of an "including" phrase start at `at` (0 when none)."""
    for phrase in _INCLUDING:
        n = len(phrase)
        if tuple(t.norm for t in tokens[at : at + n]) == phrase:
            return n
    return 0


_DIRECTIONS = frozenset(
    normalize(w)
    for w in [
        "الشمالي",
        "الجنوبي",
        "الشرقي",
        "الغربي",
        "الشمالية",
        "الجنوبية",
        "الشرقية",
        "الغربية",
    ]
)


def _including(tokens: Sequence[Token], last_end: int, index: int) -> bool:
    """Only an "including" phrase (and a city head noun) lies between the two places."""
    while last_end + 1 < index and tokens[last_end + 1].norm in _DIRECTIONS:
        last_end += 1  # ريف حلب الشمالي بما فيه مدينة منبج
    n = _including_words(tokens, last_end + 1)
    if not n:
        return False
    return all(tokens[k].norm in _CITY_HEADS for k in range(last_end + 1 + n, index))


def _including_centre(tokens: Sequence[Token], last_end: int) -> bool:
    """محافظة إدلب بما فيها مركز المحافظة / مركزها: the governorate's city is included."""
    n = _including_words(tokens, last_end + 1)
    k = last_end + 1 + n
    return bool(n) and k < len(tokens) and tokens[k].norm in _CENTRES


_SHARE = re.compile(r"(%|في\s*الم(يه|ايه|اه)|بالم(يه|ايه|اه))\s*(من\s*)?(مدينه\s*)?$")


def _share_of(text: str, mention: PlaceMention) -> str | None:
    """ "75 في المئة من مدينة حمص": a share of the city is part of it (read here until the
    place matcher knows percentages written out)."""
    if mention.ref or mention.scope != "city":
        return None
    before = normalize(text[max(0, mention.start - 40) : mention.start]).rstrip()
    return "partial" if _SHARE.search(before) else None


def _verb_of_object(marks: list[Mark], noun: Mark) -> Mark | None:
    """The event verb whose object this event noun is: right before it, or with only its
    subject between (استعاد الجيش السوري السيطرة), or "السيطرة" a few words after استعاد/فقد."""
    if noun.sense is None or not noun.sense.noun:
        return None
    if noun.value == "capture":
        near = [m for m in marks if m.j <= noun.i and noun.i - m.j <= 6]
        for mark in reversed(near):
            if mark.role in (lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER):
                if (
                    mark.role == lx.EVENT
                    and mark.value in ("recapture", "loss")
                    and mark.sense is not None
                    and (not mark.sense.noun or mark.value == "loss")
                ):
                    return mark
                break
    before = [m for m in marks if m.j <= noun.i and noun.i - m.j <= 4]
    for mark in reversed(before):
        if mark.role in (ACTOR, SPEAKER, lx.FORCES):
            continue
        if mark.role == lx.EVENT and mark.sense is not None and not mark.sense.noun:
            gap = noun.i - mark.j
            actors = [m for m in before if m.i >= mark.j and m.j <= noun.i]
            if gap == 0 or (actors and gap == sum(m.j - m.i for m in actors)):
                return mark
        return None
    return None


def _opening(text: str, tokens: Sequence[Token], marks: list[Mark], frame: Frame) -> str:
    """The words of a frame before its content: "أعلنت الفصائل في وقت سابق اليوم،" of
    "… أنها بدأت التوغل" (up to أن/إن or a colon); empty when the content is not marked off."""
    content = next(
        (
            m.i
            for m in marks
            if m.i > frame.verb and m.i - frame.verb <= 16 and m.role == lx.COMPLEMENTIZER
        ),
        None,
    )
    colon = text.find(":", tokens[frame.verb].start)
    end = tokens[content].start if content is not None else len(text)
    if colon != -1:
        end = min(end, colon)
    elif content is None:
        return ""
    return text[tokens[frame.verb].start : end]


_CLOCK = re.compile(
    r"\s*[(\[]?\s*([01]?[0-9]|2[0-3])\s*:\s*([0-5][0-9])"
    r"(?:\s*(ص|م|صباحا|مساء|مساءً|صباحاً|AM|PM|am|pm)(?![\w\u0600-\u06ff]))?"
    r"(?:\s*(غرينتش|بتوقيت غرينتش|ت\.غ|GMT|UTC)(?![\w\u0600-\u06ff]))?"
    r"\s*[)\]]?\s*(?:[-–—|:/]|\s)"
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CLOCK_SLACK = 15 * 60  # seconds an entry's clock may run ahead of the item's date


def _entry_clock(text: str, published: datetime | None) -> datetime | None:
    """ "10:45 - المرصد: …"، "(١١:٢٠) عاجل | …": a line that starts with a clock time is a
    live blog's entry told at that time of the item's (local) day, or of the day before when
    the clock is later than the item's own time."""
    if published is None:
        return None
    match = _CLOCK.match(text[:40].translate(_DIGITS))
    if match is None:
        return None
    hour = int(match[1])
    if match[3] and match[3][0] in "مPp" and hour < 12:
        hour += 12  # 04:30 م: in the afternoon
    elif match[3] and match[3][0] in "صAa" and hour == 12:
        hour = 0
    offset = timedelta(0) if match[4] else REGION_OFFSET  # 10:45 غرينتش: UTC
    local = published.astimezone(UTC) + offset
    try:
        at = local.replace(hour=hour, minute=int(match[2]), second=0, microsecond=0)
        if (at - local).total_seconds() > _CLOCK_SLACK:
            at -= timedelta(days=1)
        return (at - offset).replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return None


def _time_with_label(text: str, published: datetime | None) -> tuple[datetime | None, bool, bool]:
    """(time, historic, whether the text itself says when)."""
    ref = time_reference(text, published)
    return ref.when, ref.historic, ref.label not in ("same", "unknown")
