"""Who speaks in a sentence: the marks (actor names, reporting verbs, events and grammar words)
of its tokens, and the frames (a reporting verb and its speaker) that divide it into statements.

Attribution forms read here (ARABIC.md section 4): verb first (وقال الجيش …), actor first
(الجيش السوري يقر …، كان الجيش قد نفى …), a headline colon (مصدر عسكري: …), trailing
(… وفق ما أفاد المرصد، وفقاً للمرصد), attribution first (بحسب المرصد، فإن …), continuation with no
subject (وأضاف، وأشار إلى أن) and participles (مؤكداً أن), titled persons who speak for a body
(القيادي فلان من إدارة العمليات), addressees that are not speakers (قال لسانا), and relative
clauses that quote someone inside another's statement (نفى ما أعلنته الفصائل).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import lexicon as lx
from .arabic import Token, normalize
from .lexicon import Lexicon, Sense
from .profile import Profile

ACTOR = "actor"  # a mark naming an actor of the profile
SPEAKER = "speaker"  # a mark naming a person or body that speaks for an actor
OUTLET = "outlet"  # the outlet's own voice (also anonymous sources)

QUOTED_STATEMENT = 5  # words: a shorter quote before «…»، قال is a name, not what was said
SPEAKER_SPAN = 10  # tokens from a reporting verb to its speaker
ACTOR_FIRST_SPAN = 12  # tokens from a speaker named first to its verb


@dataclass(frozen=True, slots=True)
class Mark:
    """A word or phrase of the sentence with a meaning: tokens [i, j)."""

    i: int
    j: int
    role: str  # ACTOR, SPEAKER or a lexicon role
    value: str  # actor id, stance or kind
    sense: Sense | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    """A reporting verb and its speaker: content from `start` on is theirs."""

    verb: int  # token index of the verb (or connector, or the actor before a colon)
    start: int  # first token of the reported content
    speaker: str  # actor id or OUTLET
    stance: str
    trailing: bool  # "… وفق ما أفاد X": the content comes before it
    explicit: bool  # the speaker is named here (not a continuation)
    negated: bool = False  # لم تؤكد مصادر …: nothing in it is claimed


class Marker:
    """Finds marks in tokens: profile actor names first (longest phrase wins), then the words
    of the Arabic lexicon on the tokens left over. Read-only after construction."""

    def __init__(self, lexicon: Lexicon, actors: Lexicon) -> None:
        self.lexicon = lexicon
        self.actors = actors
        # Words that are a verb or a noun by context (طرد): their senses with the nouns first,
        # for use after a preposition (بعد طرد …); the verb reading comes first otherwise.
        self.after_preposition: Lexicon = {
            norm: _by_context(senses, noun_first=True)
            for norm, senses in lexicon.items()
            if len({s.noun for s in senses}) > 1
        }
        self.elsewhere: Lexicon = {
            norm: _by_context(senses, noun_first=False)
            for norm, senses in lexicon.items()
            if len({s.noun for s in senses}) > 1
        }

    def marks(self, tokens: Sequence[Token]) -> list[Mark]:
        """The marks of a sentence's tokens, in token order."""
        norms = [t.norm for t in tokens]
        taken = [False] * len(tokens)
        marks: list[Mark] = []
        # actor names: the longest phrase wins even when a shorter one starts earlier
        # ("مصدر في الجيش الوطني" is the National Army, not "مصدر في الجيش")
        found: list[Mark] = []
        actors = self.actors
        # most words are neither an actor's name nor in the lexicon: one set test each
        for i in [i for i, norm in enumerate(norms) if norm in actors]:
            norm = norms[i]
            for sense in actors[norm]:
                j = i + 1 + len(sense.tail)
                if j <= len(norms) and tuple(norms[i + 1 : j]) == sense.tail:
                    found.append(Mark(i, j, sense.role, sense.value, sense))
                    break
        # a speaker phrase whose last words begin a longer actor name gives way to it:
        # مصدر في [الجيش الوطني] is the National Army's source, not the army's
        found = [
            m
            for m in found
            if m.role != SPEAKER
            or not any(a.role == ACTOR and m.i < a.i < m.j < a.j for a in found)
        ]
        for mark in sorted(found, key=lambda m: (m.i - m.j, m.i)):
            if not any(taken[mark.i : mark.j]):
                marks.append(mark)
                for k in range(mark.i, mark.j):
                    taken[k] = True
        lexicon = self.lexicon
        for table in (lexicon,):
            for i in [i for i, norm in enumerate(norms) if norm in lexicon]:
                if taken[i]:
                    continue
                norm = norms[i]
                senses = table[norm]
                if table is self.lexicon and norm in self.elsewhere:
                    # a taa marbuta is never a pronoun: سيطرة is the noun, سيطره "controlled it"
                    after = i > 0 and norms[i - 1] in _NOUN_CONTEXT
                    after = after or tokens[i].text.rstrip(_MARKS).endswith("ة")
                    senses = (self.after_preposition if after else self.elsewhere)[norm]
                for sense in senses:
                    j = i + 1 + len(sense.tail)
                    if j > len(norms) or any(taken[i:j]):
                        continue
                    if sense.role == lx.REPORT and not sense.noun and _taa_marbuta(tokens[i]):
                        continue  # إضافة (in addition) is not أضافه (he added it)
                    if tuple(norms[i + 1 : j]) != sense.tail:
                        continue
                    marks.append(Mark(i, j, sense.role, sense.value, sense))
                    for k in range(i, j):
                        taken[k] = True
                    break
        marks.sort(key=lambda m: m.i)
        return marks


def profile_marker(profile: Profile) -> Marker:
    """The Marker of a profile: its actors' names and spokesmen's phrases, then the lexicon."""
    entries: list[tuple[str, Sense]] = []
    for actor in profile.actors.values():
        for alias in (actor.ar, *actor.aliases):
            entries.append((alias, Sense(ACTOR, actor.id)))
        for phrase in actor.speakers:
            entries.append((phrase, Sense(SPEAKER, actor.id)))
    return Marker(lx.compile_lexicon(), lx.compile_entries(entries))


def find_frames(
    text: str,
    tokens: Sequence[Token],
    marks: list[Mark],
    previous: str | None,
    voice: str,
    names: Mapping[str, str] | None = None,
    source: str | None = None,
) -> list[Frame]:
    """The statements of one sentence, in order. `previous` is the speaker a continuation
    (وأضاف) goes on with; `voice` is who speaks where nobody is named; `names` maps the words
    of speakers named earlier in the item to their actor (وتابع عبدي: the same person);
    `source` is the speaker of the item's last named statement, an anonymous source's included
    (OUTLET), for "المصدر" that refers back to it."""
    frames: list[Frame] = []
    boundary = 0  # a speaker named first must come after the previous frame
    consumed: set[int] = set()  # connectors already read with their verb
    for index, mark in enumerate(marks):
        relay = _relay_colon(text, tokens, marks, index) if mark.role == ACTOR else None
        if relay is not None:
            # headline style "رويترز عن مصادر: …"، "الأناضول عن قيادي في الجيش الوطني: …"
            speaker, end = relay
            frames.append(Frame(mark.i, end, speaker, "assert", False, True))
            previous = speaker
            boundary = end
            consumed.update(range(mark.i, end))
            continue
        if mark.i in consumed:
            continue
        if mark.role in (ACTOR, SPEAKER, lx.GENERIC) and _colon_after(text, tokens, marks, index):
            # headline style "مصدر عسكري: …" / "الدفاع الروسية: …"
            speaker = OUTLET if mark.role == lx.GENERIC else mark.value
            frames.append(Frame(mark.i, mark.j, speaker, "assert", False, True))
            if speaker != OUTLET:
                previous = speaker
            boundary = mark.j
            continue
        if mark.role not in (lx.REPORT, lx.CONNECTOR) or mark.i in consumed:
            continue
        trailing = mark.role == lx.CONNECTOR
        quoted = mark.role == lx.REPORT and _after_quote(text, tokens, marks, mark.i)
        if quoted:
            trailing = True  # «دخلنا حماة»، قال قائد في الفصائل: the quote before is theirs
        if (
            mark.role == lx.REPORT
            and mark.i > 0
            and tokens[mark.i - 1].norm in _WHICH
            and not _says_that(marks, index)
        ):
            # الأخبار التي تبثها وسائل الإعلام عن …: the news is the verb's object, inside the
            # content (not حماة التي يقول الجيش إنه يحكم قبضته عليها: a statement of its own)
            continue
        if mark.role == lx.REPORT:
            before = _mark_ending_at(marks, mark.i)
            if before is not None and before.role == lx.RELATIVE:
                lead = _mark_ending_at(marks, before.i)
                if lead is None or lead.role != lx.CONNECTOR:
                    continue  # "ما أعلنته الفصائل": what they said, inside the content
                trailing = True
                consumed.add(lead.i)
            elif before is not None and before.role == lx.CONNECTOR:
                trailing = True
        elif _next_report(marks, index) is not None:
            continue  # the connector's verb opens the frame
        elif mark.i == 0 or (mark.i == 1 and tokens[0].norm in ("و", "ف")):
            trailing = False  # بحسب المرصد، فإن …: the attribution comes first
        masdar = lx.REPORT_NOUNS.get(tokens[mark.i].norm) if mark.role == lx.REPORT else None
        if masdar is not None:
            # تأكيد وزارة الدفاع أن …: the actor after the noun speaks; نقلت سانا عن مصدر
            # عسكري نفيه …: a pronoun is the one named just before; else no statement
            after = next((m for m in marks[index + 1 :] if m.i == mark.j), None)
            before = _mark_ending_at(marks, mark.i)
            if after is not None and after.role in (ACTOR, SPEAKER) and not addressee(after):
                frames.append(Frame(mark.i, after.j, after.value, masdar, False, True))
                previous = after.value
                boundary = after.j
                continue
            suffixed = tokens[mark.i].norm.endswith(("ه", "ها", "هم"))
            if suffixed and before is not None and before.role == lx.CONNECTOR:
                # سيطرت الفصائل على حمص حسب ادعائها: the pronoun is the actor told of before
                told = next(
                    (
                        m
                        for m in reversed(marks[:index])
                        if m.j <= before.i and m.role in (ACTOR, SPEAKER) and not addressee(m)
                    ),
                    None,
                )
                if told is not None:
                    frames.append(Frame(mark.i, mark.j, told.value, masdar, True, True))
                    boundary = mark.j
                continue
            if not (
                suffixed and before is not None and before.role in (ACTOR, SPEAKER, lx.GENERIC)
            ):
                continue
            if before.role == lx.GENERIC:
                speaker = frames[-1].speaker if frames else previous or voice
            else:
                speaker = before.value
            frames.append(Frame(mark.i, mark.j, speaker, masdar, False, before.role != lx.GENERIC))
            boundary = mark.j
            continue
        if (
            mark.role == lx.REPORT
            and frames
            and tokens[mark.i].norm in _RELAYING
            and mark.j < len(tokens)
            and tokens[mark.j].norm == _FROM
        ):
            # ذكرت واشنطن بوست نقلاً عن مصادر مطلعة أن …: the agency relays; a known body
            # quoted speaks, an anonymous one leaves the agency speaking
            quoted = next((m for m in marks[index + 1 :] if m.i > mark.j), None)
            speaker = frames[-1].speaker
            end = mark.j + 1
            if quoted is not None and quoted.i - mark.j <= 4:
                if quoted.role in (ACTOR, SPEAKER) and not any(
                    tokens[k].norm in _AFFILIATED for k in range(mark.j + 1, quoted.i)
                ):
                    speaker = quoted.value
                end = quoted.j
            frames.append(Frame(mark.i, end, speaker, frames[-1].stance, False, True))
            previous = speaker if speaker != OUTLET else previous
            boundary = end
            continue
        if mark.role == lx.REPORT and _after_noun_context(tokens, marks, mark):
            if mark.value == "deny":
                # سارعت دمشق إلى نفي دخول …: the denial masdar is its subject's statement
                speaker = _speaker_before(tokens, marks, index, boundary)
                if speaker is not None:
                    frames.append(Frame(mark.i, mark.j, speaker, "deny", False, True))
                    previous = speaker
                    boundary = mark.j
            continue  # بهدف نشر الذعر، عن نقل الجرحى: a masdar after a preposition, not a verb
        if mark.sense is not None and mark.sense.noun:
            # مؤكداً أن، نافيةً: a participle goes on with the sentence's speaker; with none yet,
            # the actor it follows speaks (ردت دمشق على الأنباء بالقول إن …)
            speaker = (
                frames[-1].speaker
                if frames
                else _speaker_before(tokens, marks, index, boundary) or previous or voice
            )
            # نفى …، مؤكداً أن …: the confirmation is part of the denial
            stance = "deny" if frames and frames[-1].stance == "deny" else mark.value
            frames.append(Frame(mark.i, mark.j, speaker, stance, False, False))
            boundary = mark.j
            continue
        named_first = _mark_ending_at(marks, mark.i)
        if (
            mark.role == lx.REPORT
            and mark.sense is not None
            and mark.sense.present
            and named_first is not None
            and named_first.role in (ACTOR, SPEAKER)
        ):
            # a headline: "المرصد السوري يكذّب رواية دمشق": the actor right before speaks
            speaker, end = named_first.value, mark.j
        else:
            speaker, end = _speaker_after(text, tokens, marks, index)
            if (
                speaker == OUTLET
                and mark.j < len(tokens)
                and tokens[mark.j].norm in _SOURCE_REFERENTS
                and source is not None
            ):
                # وأضاف المصدر، وأكد المصدر ذاته: the source quoted before, not a new one
                speaker = source
        explicit = speaker is not None
        if speaker is None and not trailing and _mid_clause_present(text, tokens, mark):
            continue  # دون مقاومة تذكر، خسائر لا تذكر: an attribute, nobody speaking
        if speaker is None and not trailing and not _joined_past(tokens, mark, frames):
            # تراجع المرصد عن إعلانه سيطرة الفصائل …، وقال إن …: a joined past verb has the
            # subject of the sentence's first verb, not the nearest actor before it
            if not frames and _joined(mark):
                speaker = _first_subject(marks, index)
            if speaker is None:
                speaker = _speaker_before(tokens, marks, index, boundary)
            explicit = speaker is not None
            end = mark.j
        if speaker is None:
            if trailing and not quoted:
                continue
            # وأضاف / وأشار إلى أن go on with the previous speaker; a subject we cannot name
            # (قال "لواء الفتح" إن …) is somebody else: the outlet's voice
            known = _known_name(text, tokens, marks, mark, names) if names else None
            unknown = known is None and (
                _named_unknown(text, tokens, marks, mark) or _other_person(tokens, mark, names)
            )
            if known is not None:
                speaker, end = known
                explicit = True
            else:
                speaker = voice if unknown else previous or voice
        stance = mark.value if mark.role == lx.REPORT else "assert"
        lead = _mark_ending_at(marks, mark.i)
        negated = mark.role == lx.REPORT and lead is not None and lead.role == lx.NEGATION
        frames.append(Frame(mark.i, end, speaker, stance, trailing, explicit, negated))
        if explicit and speaker != OUTLET:
            previous = speaker
        boundary = end
    return frames


_WHICH = frozenset(
    normalize(w) for w in ["التي", "الذي", "اللتين", "اللذين", "الذين", "اللواتي", "اللاتي"]
)
# Organ nouns whose ل-genitive is the body they belong to: القيادة العامة لجيش النظام.
_ORGANS = frozenset(
    normalize(w)
    for w in [
        "القيادة", "قيادة", "العامة", "العام", "الجناح", "غرفة", "المكتب", "مكتب", "الإعلامي",
        # الرئاسة المشتركة لمجلس الرقة، رئيس المكتب السياسي للهيئة، المتحدث الرسمي للفصائل
        "الرئاسة", "رئاسة", "المشتركة", "رئيس", "رئيسة", "المتحدث", "الناطق", "الرسمي",
        "السياسي", "الأمنية", "العسكري", "المجلس", "مجلس", "قائد", "القائد",
        # في بيان للقيادة العامة: the statement is the body's
        "بيان", "بيانا", "البيان", "بلاغ", "تصريح", "تصريحات", "رسالة", "كلمة",
    ]
)  # fmt: skip
_WITH = frozenset(normalize(w) for w in ["مع", "ومع"])
# Words after a reporting verb that are not its subject: a continuation goes on.
_NOT_SUBJECTS = frozenset(
    normalize(w)
    for w in [
        "في", "إلى", "الى", "عن", "على", "من", "له", "لها", "لهم", "فيه", "فيها", "أيضا",
        "كذلك", "بدوره",
        "بدورها", "خلال", "عبر", "اليوم", "أمس", "لاحقا", "قائلا", "قائلة", "ذلك", "هذا",
        "لوكالة", "لقناة", "لصحيفة", "لموقع", "لتلفزيون", "لإذاعة", "لشبكة", "لمراسل", "لمراسلة",
        "بيان", "بيانا", "تصريح", "تصريحات", "تصريحا",
    ]
)  # fmt: skip
# Definite nouns that refer back to the statement or the person quoted before.
_REFERENTS = frozenset(
    normalize(w)
    for w in [
        "البيان", "البلاغ", "التصريح", "المتحدث", "الناطق", "المسؤول", "الوزير", "المحافظ",
        "المدير", "القائد", "الضابط",
    ]
)  # fmt: skip
_SOURCE_REFERENTS = frozenset(normalize(w) for w in ["المصدر", "المصادر", "المصدرين", "المصدران"])
_CONTENT_WITHIN = 6  # tokens from a reporting verb to the أن/إن its unnamed subject ends at


def _construct(tokens: Sequence[Token], marks: list[Mark], mark: Mark) -> bool:
    """An organ noun right before ل + actor: the actor owns it, it was not spoken to."""
    # the organ may itself be a speaker phrase (القيادة العامة) that the actor then owns
    if mark.i == 0 or any(m.i <= mark.i - 1 < m.j and m.role != SPEAKER for m in marks):
        return False
    return tokens[mark.i - 1].norm in _ORGANS


def _named_unknown(text: str, tokens: Sequence[Token], marks: list[Mark], verb: Mark) -> bool:
    """A reporting verb followed by a noun phrase nobody knows and then its content
    (قالت منظمة محلية إن …): the verb has a subject of its own, not the previous speaker."""
    k = verb.j
    if k >= len(tokens) or ":" in text[tokens[k - 1].end : tokens[k].start]:
        return False
    first = tokens[k].norm
    if first in _NOT_SUBJECTS or first.startswith(("لل", "بال", "وب", "ول")):
        return False
    if first in _REFERENTS:
        return False  # ولفت البيان إلى أن، وأشار المتحدث إلى أن: the one told of before
    if tokens[verb.i].norm.endswith(("ه", "ها", "هم")):
        return False  # في بيان بثه التلفزيون: a relative clause inside the statement
    if any(m.i <= k < m.j for m in marks):
        return False
    for m in marks:
        if m.i <= k:
            continue
        if m.i - k > _CONTENT_WITHIN:
            return False
        if m.role != lx.COMPLEMENTIZER:
            return False
        # البيان أن، المصدر إن: one definite word is the statement or source told of before
        return not (m.i == k + 1 and first.startswith("ال"))
    return False


def _other_person(tokens: Sequence[Token], verb: Mark, names: Mapping[str, str] | None) -> bool:
    """وقال الحموي إن …: a definite family name (a nisba) right before the content, when the
    item has named speakers and this is none of theirs, is somebody else."""
    k = verb.j
    if names is None or not names or k + 1 >= len(tokens):
        return False
    word = tokens[k].norm
    return (
        word.startswith("ال")
        and word.endswith("ي")
        and len(word) > 4
        and word not in names
        and tokens[k + 1].norm in _THAT_WORDS
    )


_THAT_WORDS = frozenset(normalize(w) for w in ["أن", "إن", "بأن"])


def _known_name(
    text: str, tokens: Sequence[Token], marks: list[Mark], verb: Mark, names: Mapping[str, str]
) -> tuple[str, int] | None:
    """وتابع عبدي أن، وأضاف عبد الغني: the words after the verb (up to أن/إن or a colon) all
    belong to the name of one speaker named earlier: that speaker, named again."""
    actors: set[str] = set()
    k = verb.j
    while k < len(tokens) and k - verb.j < 4:
        if k > verb.j and ":" in text[tokens[k - 1].end : tokens[k].start]:
            break
        if any(m.i == k for m in marks):
            break
        norm = tokens[k].norm
        # وأضافت الوزارة، وتابعت الهيئة: a body named before, now with the article
        actor = names.get(norm) or (names.get(norm[2:]) if norm.startswith("ال") else None)
        if actor is None:
            return None
        actors.add(actor)
        k += 1
    if len(actors) != 1 or k == verb.j:
        return None
    return actors.pop(), k


def name_words(text: str, tokens: Sequence[Token], marks: list[Mark], frame: Frame) -> list[str]:
    """The words that name a frame's speaker (المتحدث باسم قسد فرهاد شامي): the speaker phrase
    after the verb and up to four unknown words after it, before its content starts."""
    out: list[str] = []
    by_start = {m.i: m for m in marks}
    k = frame.verb + 1
    while k < len(tokens) and k < frame.start + 4:
        mark = by_start.get(k)
        if k > frame.verb + 1 and ":" in text[tokens[k - 1].end : tokens[k].start]:
            break
        if mark is not None and (mark.role not in (ACTOR, SPEAKER) or addressee(mark)):
            break  # not a name, or who was spoken to (لفرانس برس)
        if mark is None and k >= frame.start and tokens[k].norm in _NOT_SUBJECTS:
            break
        if mark is not None:
            out.extend(t.norm for t in tokens[mark.i : mark.j] if len(t.norm) > 2)
            k = mark.j
            continue
        if len(tokens[k].norm) > 2 and tokens[k].norm not in _NOT_SUBJECTS:
            out.append(tokens[k].norm)
        k += 1
    return out


_CLOSING_QUOTES = frozenset('»"\u201d')
_OPENING_QUOTES = frozenset('«"\u201c')


def _after_quote(text: str, tokens: Sequence[Token], marks: list[Mark], i: int) -> bool:
    """A reporting verb right after a closing quote (and a comma): «…»، قال."""
    if i == 0:
        return False
    gap = text[tokens[i - 1].end : tokens[i].start]
    if not any(ch in _CLOSING_QUOTES for ch in gap) or len(gap.strip(" ،,")) > 2:
        return False
    # a quoted statement, not a quoted name («ردع العدوان»، «هيئة تحرير الشام»)
    close = tokens[i - 1].end + min(gap.find(q) for q in _CLOSING_QUOTES if q in gap)
    opening = max(text.rfind(q, 0, close) for q in _OPENING_QUOTES)
    if opening < 0:
        return False
    inside = [k for k in range(i) if opening < tokens[k].start < close]
    if len(inside) >= QUOTED_STATEMENT:
        return True
    # a short quote is a statement when it tells of something: «دخلنا حماة»
    told = (lx.EVENT, lx.SELF, lx.REPORT)
    return any(m.role in told and m.i in inside for m in marks)


def _colon_after(text: str, tokens: Sequence[Token], marks: list[Mark], index: int) -> bool:
    """An actor named before a colon, with no reporting verb just before it; one or two
    adjectives may come between (قائد عسكري: …، قيادي بارز:)."""
    mark = marks[index]
    end = mark.j
    while (
        end < len(tokens)
        and end - mark.j < 2
        and _adjective(tokens[end].norm)
        and ":" not in text[tokens[end - 1].end : tokens[end].start]
        and not any(m.i == end for m in marks)
    ):
        end += 1
    gap_end = tokens[end].start if end < len(tokens) else len(text)
    if ":" not in text[tokens[end - 1].end : gap_end]:
        return False
    return not any(m.role == lx.REPORT and 0 <= mark.i - m.j <= SPEAKER_SPAN for m in marks[:index])


_ADJECTIVES = frozenset(normalize(w) for w in ["بارز", "رفيع", "كبير", "رفيع_المستوى"])


def _adjective(norm: str) -> bool:
    """عسكري، ميداني، سوري، بارز: an adjective after a title (nisba or a few common ones)."""
    if norm in _ADJECTIVES:
        return True
    return (
        len(norm) > 3 and norm.endswith(("ي", "يه")) and not norm.startswith(("و", "ف", "ب", "ل"))
    )


def _relay_colon(
    text: str, tokens: Sequence[Token], marks: list[Mark], index: int
) -> tuple[str, int] | None:
    """ "رويترز عن مصادر: …": an agency relaying a source before a colon. The source speaks if
    it is a known body; an anonymous one leaves the agency speaking."""
    agency = marks[index]
    if agency.j >= len(tokens) or tokens[agency.j].norm != _FROM:
        return None
    source = next((m for m in marks[index + 1 :] if m.i > agency.j), None)
    if source is None or source.role not in (ACTOR, SPEAKER, lx.GENERIC):
        return None
    if source.i - agency.j > 3 or any(
        tokens[k].norm in _AFFILIATED for k in range(agency.j + 1, source.i)
    ):
        return None
    end = source.j
    while end < len(tokens) and end - source.j < 3 and _adjective(tokens[end].norm):
        end += 1
    gap_end = tokens[end].start if end < len(tokens) else len(text)
    if ":" not in text[tokens[end - 1].end : gap_end]:
        return None
    return (agency.value if source.role == lx.GENERIC else source.value), end


def _mark_ending_at(marks: list[Mark], j: int) -> Mark | None:
    for mark in marks:
        if mark.j == j:
            return mark
    return None


def _next_report(marks: list[Mark], index: int) -> Mark | None:
    connector = marks[index]
    for mark in marks[index + 1 : index + 3]:
        if mark.role == lx.REPORT and mark.i - connector.j <= 1:
            return mark
    return None


def _speaker_after(
    text: str, tokens: Sequence[Token], marks: list[Mark], index: int
) -> tuple[str | None, int]:
    """The actor named right after a reporting verb, before the content starts."""
    verb = marks[index]
    limit = min(len(tokens), verb.j + SPEAKER_SPAN)
    found: dict[str, Mark] = {}
    # a negation, a modal or a new clause between: a new statement has begun (بحسب مراسل،
    # ولم تتمكن قوات النظام …: the army there is the subject of the next clause)
    stops = (
        lx.COMPLEMENTIZER, lx.REPORT, lx.EVENT, lx.SELF, lx.CONNECTOR, lx.RELATIVE,
        lx.NEGATION, lx.ABLE, lx.FAILED, lx.FUTURE, lx.INTENT, lx.CLAUSE, lx.CONDITION,
    )  # fmt: skip
    for mark in marks[index + 1 :]:
        if mark.i >= limit or mark.role in stops:
            break
        if _colon_between(text, tokens, verb.j - 1, mark.i):
            break
        if verb.role == lx.REPORT and addressee(mark) and not _construct(tokens, marks, mark):
            continue  # قال لسانا، لوكالة رويترز: who was told, not who spoke
        if mark.i > 0 and tokens[mark.i - 1].norm in _WITH:
            continue  # في مقابلة مع وكالة فرانس برس: who the speaker talked to
        if mark.role not in (ACTOR, SPEAKER, lx.GENERIC) or mark.role in found:
            continue
        # القيادي فلان من إدارة العمليات: the body the titled person speaks for, if near
        if mark.role == ACTOR and found and mark.i - max(m.j for m in found.values()) > 4:
            break
        found[mark.role] = mark
        if mark.role == ACTOR:
            break
    relayed = _relayed(tokens, marks, verb, found.get(ACTOR))
    if relayed is not None:
        return relayed
    # an organisation named in the window (القيادي … من إدارة العمليات) wins over a title
    for role in (ACTOR, SPEAKER, lx.GENERIC):
        if role in found:
            mark = found[role]
            end = max(m.j for m in found.values())
            return (OUTLET if role == lx.GENERIC else mark.value), end
    return None, verb.j


_FROM = normalize("عن")
_RELAYING = frozenset(normalize(w) for w in ["نقلا", "ونقلا"])
_RELAY_STEMS = (normalize("نقل"), normalize("ينقل"), normalize("تنقل"))


def _relayed(
    tokens: Sequence[Token], marks: list[Mark], verb: Mark, agency: Mark | None
) -> tuple[str, int] | None:
    """نقلت رويترز عن مصدرين عسكريين أن …: the one quoted speaks; the agency only relays
    (it stays the speaker when the one quoted is anonymous: عن مصادر ميدانية)."""
    if agency is None or agency.j >= len(tokens) or tokens[agency.j].norm != _FROM:
        return None
    norm = tokens[verb.i].norm.removeprefix("و").removeprefix("ف")
    if not norm.startswith(_RELAY_STEMS):
        return None
    quoted = next((m for m in marks if m.i > agency.j), None)
    if quoted is None or quoted.role not in (ACTOR, SPEAKER) or quoted.i - agency.j > 4:
        return None
    # عن قيادي في الجيش الوطني: a title and a preposition may come before the body; not عن
    # مصادر مقربة من الجيش (close to it: still the agency's own sources)
    if any(tokens[k].norm in _AFFILIATED for k in range(agency.j + 1, quoted.i)):
        return None
    return quoted.value, quoted.j


def _after_noun_context(tokens: Sequence[Token], marks: list[Mark], verb: Mark) -> bool:
    """A reporting verb form right after a preposition or a purpose word (بهدف، من أجل) is
    read as its masdar (نشر، نقل، بث): no finite verb, no statement."""
    if verb.i == 0 or (verb.sense is not None and verb.sense.noun):
        return False
    before = tokens[verb.i - 1].norm
    if before in _NOUN_CONTEXT or before in _PURPOSE:
        return True
    lead = _mark_ending_at(marks, verb.i)
    return lead is not None and lead.role == lx.INTENT


_PURPOSE = frozenset(normalize(w) for w in ["بهدف", "أجل", "لأجل", "بغية", "قصد", "بقصد"])


def _mid_clause_present(text: str, tokens: Sequence[Token], verb: Mark) -> bool:
    """A present-tense reporting verb with no subject, no conjunction and no punctuation before
    it, in the middle of a clause (مقاومة تذكر): not a speaker going on (وتابع، ويضيف)."""
    sense = verb.sense
    if sense is None or not sense.present or sense.prefix or verb.i == 0:
        return False
    gap = text[tokens[verb.i - 1].end : tokens[verb.i].start]
    return not any(c in gap for c in ":،,؛;«»\"'.-–")


def _says_that(marks: list[Mark], index: int) -> bool:
    """A complementizer (أن/إن) follows the verb within its speaker span, before any event."""
    verb = marks[index]
    for mark in marks[index + 1 :]:
        if mark.i - verb.j > SPEAKER_SPAN or mark.role in (lx.EVENT, lx.REPORT):
            return False
        if mark.role == lx.COMPLEMENTIZER:
            return True
    return False


def _joined_past(tokens: Sequence[Token], verb: Mark, frames: list[Frame]) -> bool:
    """نفت قسد …، وقالت في بيان: a past verb joined by و/ف to an earlier statement of the
    sentence has that statement's subject; a noun before it belongs to the earlier clause."""
    if not frames or verb.sense is None or verb.sense.present or verb.role != lx.REPORT:
        return False
    return verb.sense.prefix in ("و", "ف")


def _joined(verb: Mark) -> bool:
    """وقال، فأعلن: a past reporting verb joined by و/ف to the clause before it."""
    sense = verb.sense
    return (
        verb.role == lx.REPORT
        and sense is not None
        and not sense.present
        and not sense.noun
        and sense.prefix in ("و", "ف")
    )


def _first_subject(marks: list[Mark], index: int) -> str | None:
    """The actor right after the sentence's first word (the subject of its first verb: كما
    تراجع المرصد …), if it comes before this verb and is no addressee or affiliation."""
    for mark in marks[:index]:
        if mark.i > 3:
            return None
        if mark.role in (ACTOR, SPEAKER) and not addressee(mark):
            return mark.value
    return None


def _speaker_before(
    tokens: Sequence[Token], marks: list[Mark], index: int, boundary: int
) -> str | None:
    """Actor first (الجيش السوري يقر …، كان الجيش قد نفى …): the nearest actor before."""
    verb = marks[index]
    for mark in reversed(marks[:index]):
        if mark.i < boundary or verb.i - mark.j > ACTOR_FIRST_SPAN:
            return None
        if mark.role in (lx.EVENT, lx.REPORT, lx.COMPLEMENTIZER):
            return None
        if mark.role in (ACTOR, SPEAKER):
            if _affiliation(tokens, mark):
                continue  # التلفزيون التابع للنظام: the body it belongs to, not the subject
            return mark.value
    return None


_AFFILIATED = frozenset(
    normalize(w)
    for w in [
        "التابع", "التابعة", "التابعين", "تابع", "تابعة", "الموالي", "الموالية", "الموالين",
        "موال", "موالية", "المقرب", "المقربة", "المقربين", "مقرب", "مقربة", "المحسوب",
        "المحسوبة", "محسوب", "محسوبة",
    ]
)  # fmt: skip


def _affiliation(tokens: Sequence[Token], mark: Mark) -> bool:
    """التابع للنظام، الموالية لإيران، المقربة من قسد: an actor named as what something belongs
    or is close to."""
    return mark.i > 0 and tokens[mark.i - 1].norm in _AFFILIATED


def frame_for(frames: list[Frame], i: int) -> int | None:
    """The frame whose content holds token i: the last opened before it, else a trailing
    attribution after it with no other frame between, else one before it."""
    leading = None
    for n, frame in enumerate(frames):
        if not frame.trailing and frame.verb <= i:
            leading = n
    if leading is not None:
        return leading
    for n, frame in enumerate(frames):
        if frame.trailing and frame.verb > i:
            return n
        if not frame.trailing and frame.verb > i:
            return None
    # "… بحسب ما نقلت رويترز، بعد انسحاب …": the attribution covers the rest of the sentence
    trailing = [n for n, frame in enumerate(frames) if frame.trailing and frame.verb < i]
    return trailing[-1] if trailing else None


_MARKS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0640"
_NOUN_CONTEXT = frozenset(
    normalize(w)
    for w in [
        "بعد",
        "قبل",
        "عقب",
        "إثر",
        "خلال",
        "عن",
        "من",
        "على",
        "إلى",
        "في",
        "حول",
        "رغم",
        "منذ",
        "وبعد",
        "وقبل",
        "بعيد",
        "لدى",
    ]
)


def _taa_marbuta(token: Token) -> bool:
    """A word written with a final taa marbuta (its ه after normalising is no pronoun)."""
    return token.text.rstrip(_MARKS).endswith("ة") and token.norm.endswith("ه")


def _by_context(senses: tuple[Sense, ...], *, noun_first: bool) -> tuple[Sense, ...]:
    """طرد as a verb or a noun: after a preposition (بعد طرد …) it is the noun."""
    return tuple(sorted(senses, key=lambda s: (-len(s.tail), s.noun != noun_first)))


def addressee(mark: Mark) -> bool:
    return mark.sense is not None and mark.sense.prefix.endswith("ل")


def _colon_between(text: str, tokens: Sequence[Token], a: int, b: int) -> bool:
    """A colon between tokens a and b: the speaker's name has ended (a quote mark has not:
    أفادت «الوكالة العربية السورية للأنباء» names the agency inside quotes)."""
    for k in range(max(a, 0), min(b, len(tokens) - 1)):
        if ":" in text[tokens[k].end : tokens[k + 1].start]:
            return True
    return False
