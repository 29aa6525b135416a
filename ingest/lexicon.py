"""The Arabic words the claim extractor reads: reporting verbs, control events and the grammar
around them (negation, future, intent, attribution connectors). Language, not conflict data:
places, actors and sides live in the profile.

Words are written here in plain Arabic; `compile_lexicon` normalises them (ingest/arabic.py),
expands the conjugated and clitic-prefixed surface forms once, and returns a dictionary from a
surface form to what it means, so that reading a sentence is one lookup per token.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .arabic import normalize

SPECULATE = "speculate"  # a reporting stance whose content nobody asserts (يتوقع، يرى، تضاربت)

# Roles a word can play in a sentence.
REPORT = "report"  # a reporting verb; value = stance
EVENT = "event"  # a control event; value = kind (or "incursion" / "fall")
DENY = "deny"  # a denial phrase inside reported content (لا صحة)
NEGATION = "negation"  # لم لن لا ما ليس
STILL = "still"  # زال after a negation: "still" (لا يزال), not a negation
NO_LONGER = "no-longer"  # يعد after لم: "no longer"
ABLE = "able"  # تمكن / استطاع: negated, the event failed
FAILED = "failed"  # فشل / عجز: the event failed
FUTURE = "future"  # سوف
INTENT = "intent"  # يسعى، يهدف، يستعد، يحاول ...
CONNECTOR = "connector"  # trailing attribution: وفق ما، بحسب، نقلا عن
COMPLEMENTIZER = "complementizer"  # أن، إن، بأن: reported content starts
GENERIC = "generic"  # مصادر، مراسل: an anonymous source, the outlet's voice
SELF = "self"  # first person: قواتنا، مقاتلونا
FORCES = "forces"  # third person forces: قواته، قواتها (the actor named before)
WINNER = "winner"  # بيد، لصالح: the party a city fell to follows
UNDER = "under"  # تحت، خاضعة: the city comes before the control noun
BECAME = "became"  # باتت، أصبحت: a state that has just come about
GOAL = "goal"  # حتى تحرير: a masdar after حتى is a goal, not a result
PAST = "past"  # كان، كانت: a state that was (كانت تحت سيطرة)
OUT_OF = "out-of"  # خارج سيطرة: the city is no longer the named party's
RELATIVE = "relative"  # ما before a reporting verb: "what X announced", not a new frame
QUESTION = "question"  # هل
CONDITION = "condition"  # إذا، لو، في حال: a supposition, not an event
CLAUSE = "clause"  # بينما، فيما، في حين: another clause starts (its own subject and place)
STABLE = "stable"  # event kind: مستقر، آمن، هادئ، متماسك: the place before is held (by the speaker)
RUMOUR = "rumour"  # أنباء عن، أنباء غير مؤكدة، ما يتداول عن: hearsay nobody stands behind
WITNESS = "witness"  # شهدت مدينة X انسحاب ...: the place after it is where the event (a noun) was

# Event kinds beyond the model's KINDS, resolved by the extractor.
INCURSION = "incursion"  # توغل، تقدم في: contested, reported as kind "entry"
ARRIVAL = "arrival"  # وصل إلى: an entry when the place is the city itself
FALL = "fall"  # سقوط: the city is the subject; who took it follows (بيد ...)
EXPEL = "expel"  # طرد: the subject takes the city from the actor named after it
# Event nouns whose genitive is the object, not the subject: إبعاد الفصائل، طرد مسلحي قسد.
OBJECT_GENITIVE = frozenset({"repel", EXPEL})


@dataclass(frozen=True, slots=True)
class Sense:
    """What one surface form means."""

    role: str
    value: str = ""
    noun: bool = False  # an event noun (masdar), not a verb
    present: bool = False  # present tense of an event verb
    first_person: bool = False  # دخلنا، نسيطر
    future: bool = False  # سيدخلون
    suffix: bool = False  # a pronoun suffix (دخلوها، دخولها): may stand for the city
    prefix: str = ""  # clitics in front of the dictionary form (و، ب، لل ...)
    tail: tuple[str, ...] = ()  # further words of a multi-word phrase (normalised)


# --- conjugation helpers ----------------------------------------------------------------------

_SUFFIXES = ("ه", "ها", "هم", "هما")


def verb(past: str, present: str, *extra: str) -> tuple[tuple[str, dict], ...]:
    """The common forms of a verb from its past stem and its present stem (without ي/ت)."""
    forms: list[tuple[str, dict]] = []
    for form in (past, past + "ت", past + "وا", past + "ا", past + "تا", *extra):
        forms.append((form, {}))
    # دخلته، دخلتها، دخلوها (the alef of -وا drops before a pronoun)
    for form in (past, past + "ت", past + "و"):
        forms.extend((form + s, {"suffix": True}) for s in _SUFFIXES)
    forms.append((past + "نا", {"first_person": True}))
    forms.append((past + "ناها", {"first_person": True}))
    for lead in ("ي", "ت"):
        for ending in ("", "ون", "ان", "وا"):
            forms.append((lead + present + ending, {"present": True}))
            forms.append(("س" + lead + present + ending, {"present": True, "future": True}))
        forms.extend((lead + present + s, {"present": True, "suffix": True}) for s in _SUFFIXES)
    forms.append(("ن" + present, {"present": True, "first_person": True}))
    forms.append(("سن" + present, {"present": True, "first_person": True, "future": True}))
    return tuple(forms)


def weak(*forms: str) -> tuple[tuple[str, dict], ...]:
    """Verbs with a weak last letter (نفى، استولى): forms listed one by one."""
    out = []
    for form in forms:
        present = form.startswith(("ي", "ت")) and len(form) > 3
        out.append((form, {"present": present}))
        if present:
            out.append(("س" + form, {"present": True, "future": True}))
    return tuple(out)


def noun(*bases: str) -> tuple[tuple[str, dict], ...]:
    """An event noun with its possessive forms: سيطرة → سيطرتها، سيطرته، سيطرتنا."""
    forms: list[tuple[str, dict]] = []
    for base in bases:
        forms.append((base, {"noun": True}))
        if not base.endswith(("ة", "ات")):
            forms.append((base + "ا", {"noun": True}))  # شهدت انسحاباً: the accusative
        stem = base[:-1] + "ت" if base.endswith("ة") else base
        forms.extend((stem + s, {"noun": True, "suffix": True}) for s in _SUFFIXES)
        forms.append((stem + "نا", {"noun": True, "first_person": True}))
    return tuple(forms)


def participles(text: str) -> tuple[tuple[str, dict], ...]:
    """Active participles that continue a statement (مؤكداً أن): flagged like nouns."""
    return tuple((w, {"noun": True}) for w in text.split())


def words(text: str) -> tuple[tuple[str, dict], ...]:
    """Space-separated single words; phrases are written with underscores (لا_صحة)."""
    return tuple((w.replace("_", " "), {}) for w in text.split())


# --- the lexicon ------------------------------------------------------------------------------

REPORTING: dict[str, tuple[tuple[str, dict], ...]] = {
    "assert": (
        *verb("قال", "قول", "قالت", "قالوا"),
        *verb("أعلن", "علن"),
        *verb("أكد", "ؤكد"),
        *verb("أفاد", "فيد", "أفادت", "أفادوا"),
        *verb("ذكر", "ذكر"),
        *verb("أوضح", "وضح"),
        *verb("صرح", "صرح"),
        *verb("كشف", "كشف"),
        *verb("أضاف", "ضيف", "أضافت"),
        *verb("تابع", "تابع"),
        *verb("أشار", "شير", "أشارت"),
        *verb("لفت", "لفت"),
        *verb("شدد", "شدد"),
        *verb("أورد", "ورد"),
        *verb("أبلغ", "بلغ"),
        *verb("نشر", "نشر"),
        *verb("بث", "بث"),
        *verb("نقل", "نقل"),
        *verb("أفاد", "فيد"),
        *verb("بين", "بين"),
        *verb("حذر", "حذر"),  # حذرت الفصائل من الأخبار الكاذبة عن …: speaks, usually to deny
        # أصدرت القيادة العامة بياناً، وجاء في البيان أن …: a statement and its words
        *verb("أصدر", "صدر"),
        ("جاء في", {}),
        ("ورد في", {}),
        *verb("أصر", "صر", "أصرت", "أصروا"),  # تصر دمشق على أن …: insists
        *verb("تحدث", "تحدث"),  # في مقابلة، تحدث القائد عن …: who the interview is with
        # continuations of a statement: وأردف، واستطرد، ونوّه، وأجاب (in an interview)
        *verb("أردف", "ردف"),
        *verb("استطرد", "ستطرد"),
        *verb("نوه", "نوه"),
        *verb("أجاب", "جيب", "أجابت"),
        *verb("اختتم", "ختتم"),  # واختتم البيان بالقول إن …
        # participles continuing a statement: نفى …، مؤكداً أن …
        *participles(
            "مؤكدا مؤكدة مؤكدين مشيرا مشيرة مضيفا مضيفة موضحا موضحة لافتا لافتة معلنا معلنة"
            " بالقول قائلا قائلة"
        ),
    ),
    "admit": (*verb("أقر", "قر", "أقرت", "أقروا"), *verb("اعترف", "عترف")),
    "deny": (
        *weak("نفى", "نفت", "نفوا", "ينفي", "تنفي", "ينفون", "نفينا"),
        *verb("كذب", "كذب"),
        *verb("فند", "فند"),
        *participles("نافيا نافية نافين مكذبا مكذبة"),
    ),
    "allege": (
        *verb("زعم", "زعم"),
        *weak("ادعى", "ادعت", "ادعوا", "يدعي", "تدعي", "يدعون"),
    ),
    # expectation, opinion, fear and conflicting reports: what follows is asserted by nobody
    SPECULATE: (
        *verb("توقع", "توقع"),
        *verb("رجح", "رجح"),
        *weak("يرى", "ترى", "يرون", "رأى", "رأت", "نرى"),
        *verb("اعتقد", "عتقد"),
        *verb("خشي", "خشى", "خشيت", "خشوا"),
        *verb("تضارب", "تضارب"),
        *verb("استبعد", "ستبعد"),
        *words("المتوقع المرجح المرتقب المحتمل"),
    ),
}
# Reporting nouns (masdars): تأكيد وزارة الدفاع أن …، نقلت سانا عن مصدر عسكري نفيه …. They speak
# for the actor named right after them, or (with a pronoun) the one named just before.
_REPORT_NOUN_STEMS = {
    "assert": ("تأكيد", "إعلان", "تصريح"),
    "deny": ("نفي",),
    "admit": ("إقرار", "اعتراف"),
    "allege": ("ادعاء",),
}


def _report_noun_forms(stem: str) -> tuple[str, ...]:
    # the bare نفي is also the verb نفى once normalised (ى → ي): only its suffixed forms
    forms = [stem + s for s in ("", "ه", "ها", "هم") if stem + s != "نفي"]
    if stem.endswith("اء"):
        # ادعائها: the hamza sits on a yaa before a pronoun
        forms.extend(stem[:-1] + "ئ" + s for s in ("ه", "ها", "هم"))
    return tuple(forms)


REPORT_NOUNS: dict[str, str] = {
    normalize(p + form): stance
    for stance, stems in _REPORT_NOUN_STEMS.items()
    for stem in stems
    for form in _report_noun_forms(stem)
    for p in ("", "و")
}
for _stance, _stems in _REPORT_NOUN_STEMS.items():
    REPORTING[_stance] = (
        *REPORTING[_stance],
        *((form, {"noun": True}) for stem in _stems for form in _report_noun_forms(stem)),
    )
# "بين" is also "between": only its verb forms that cannot be the preposition are kept.
_AMBIGUOUS_REPORT = frozenset({"بين", "بينا", "بينت"})

EVENTS: dict[str, tuple[tuple[str, dict], ...]] = {
    "capture": (
        *verb("سيطر", "سيطر"),
        *noun("سيطرة"),
        *weak("استولى", "استولت", "استولوا", "يستولي", "تستولي"),
        *noun("استيلاء"),
        *verb("انتزع", "نتزع"),
        *noun("انتزاع"),
        *verb("حرر", "حرر"),
        *noun("تحرير"),
        *verb("اقتحم", "قتحم"),
        *noun("اقتحام"),
        *verb("احتل", "حتل"),
        *noun("احتلال"),
        *verb("طهر", "طهر"),  # طهّرت قواتنا المدينة من الإرهابيين
        *noun("تطهير"),
        *verb("اجتاح", "جتاح", "اجتاحت", "اجتاحوا"),
        *noun("اجتياح"),
        *verb("استلم", "ستلم"),  # استلمت قسد المدينة: took it over
        *noun("استلام"),
    ),
    "entry": (*verb("دخل", "دخل"), *noun("دخول")),
    # وصلت طلائع الفصائل إلى وسط حمص: an entry only into the city itself (not to its edge)
    ARRIVAL: verb("وصل", "صل", "وصلت", "وصلوا"),
    "recapture": (
        *verb("استعاد", "ستعيد", "استعادت", "استعادوا"),
        *noun("استعادة"),
        *verb("استرجع", "سترجع"),
        *noun("استرجاع"),
    ),
    INCURSION: (
        *verb("توغل", "توغل"),
        *noun("توغل"),
        *verb("تقدم", "تقدم"),
        *noun("تقدم"),
        *verb("اخترق", "خترق"),
        *noun("اختراق"),
        *verb("تسلل", "تسلل"),
        *noun("تسلل"),
    ),
    "fighting": (
        # not the singular مواجهة: "مواجهة الوباء في حلب" is no battle
        *noun("اشتباكات", "اشتباك", "معارك", "معركة", "مواجهات", "قتال"),
        *verb("اشتبك", "شتبك"),
        *words("حرب_شوارع"),
    ),
    # past forms only for فقد: the present تفقد is also "inspected" (تفقّد الوزير)
    "loss": (
        *noun("خسارة", "فقدان"),
        *verb("خسر", "خسر"),
        *weak("فقدت", "فقدوا", "فقدنا"),
        *words("تفقد_السيطرة يفقد_السيطرة تفقد_سيطرتها يفقد_سيطرته يفقدون_السيطرة"),
        # «لم نفقد السيطرة على حماة»: the speaker's own side
        *(
            (f"{v} {n}", {"first_person": True, "present": True})
            for v in ("نفقد", "نخسر")
            for n in ("السيطرة", "سيطرتنا")
        ),
        # سلم الجيش المدينة للفصائل: handed it over (past only: تسلم is also "received")
        *weak("سلم", "سلمت", "سلموا", "سلمنا"),
        *noun("تسليم"),
        # «لم ولن نسلم منبج»: the speaker's own side, read only under a negation
        ("نسلم", {"first_person": True, "present": True}),
        # تخلت قوات النظام عن حماة: gave it up (present تتخلى only in the first person)
        *weak("تخلى", "تخلت", "تخلوا", "تخلينا"),
        *((w, {"first_person": True, "present": True}) for w in ("نتخلى", "نتخل")),
        *((w, {"present": True}) for w in ("تتخلى", "يتخلى", "تتخل", "يتخل", "يتخلون")),
    ),
    "withdrawal": (
        *verb("انسحب", "نسحب"),
        *noun("انسحاب"),
        *verb("سحب", "سحب"),  # سحب الجيش قواته من حماة (not سحبت الوكالة الخبر: a retraction)
        *weak("أخلى", "أخلت", "أخلوا", "يخلي", "تخلي"),
        *noun("إخلاء"),
        *verb("خرج", "خرج"),
        *noun("خروج"),
        # «طلبنا من قواتنا ترك مواقعها داخل المدينة»: leaving one's positions in a place
        *words(
            "ترك_مواقعها ترك_مواقعهم ترك_مواقعه ترك_مواقعنا ترك_المواقع تركت_مواقعها"
            " تركوا_مواقعهم تركنا_مواقعنا مغادرة_مواقعها مغادرة_مواقعهم مغادرة_مواقعه"
            " مغادرة_مواقعنا غادرت_مواقعها غادروا_مواقعهم غادرنا_مواقعنا"
        ),
        *words("إعادة_الانتشار إعادة_التموضع إعادة_انتشار إعادة_تموضع"),
        # أعادت (الوحدات) انتشارها / تموضعها: a redeployment, however the object is suffixed
        *words(
            " ".join(
                f"{v}_{n}{s}"
                for v in ("أعاد", "أعادت", "أعادوا", "يعيد", "تعيد", "نعيد")
                for n in ("انتشار", "تموضع")
                for s in ("", "ه", "ها", "هم")
            )
        ),
        *noun("تموضع"),
        *verb("فر", "فر"),
        *noun("فرار"),
        *verb("هرب", "هرب"),
        *noun("هروب"),
    ),
    "hold": (
        *verb("تمركز", "تمركز"),
        *noun("تمركز"),
        *verb("رابط", "رابط"),
        *verb("تحصن", "تحصن"),
        *noun("تعزيزات"),
        *noun("قبضة"),
        *verb("انتشر", "نتشر"),
        *noun("انتشار"),
        *verb("عزز", "عزز"),
        *noun("تعزيز"),
        *noun("تمشيط"),  # تمشيط أحياء المدينة: combing it, in control
        *noun("وجود"),  # وجود للفصائل في حلب; لم يعد للجيش وجود فيها: no longer
        *verb("مشط", "مشط"),
        # مقاتلو الفصائل يتجولون في شوارع حماة: they are there (present only: حظر تجول is a
        # curfew)
        *((w, {"present": True}) for w in ("يتجول", "تتجول", "يتجولون", "يتجولان")),
    ),
    "repel": (
        *weak("صد", "صدت", "صدوا", "يصد", "تصد", "يصدون", "صددنا", "نصد"),
        *noun("صد"),
        *weak("تصدى", "تصدت", "تصدوا", "يتصدى", "تتصدى", "يتصدون", "تصدينا"),
        *noun("تصدي"),
        *weak("أفشل", "أفشلت", "أفشلوا", "أفشلنا"),
        *noun("إفشال"),
        # not the present يبعد/تبعد: "lies N km from", a distance, not an event
        *weak("أبعد", "أبعدت", "أبعدوا", "أبعدنا"),
        *noun("إبعاد"),
        *verb("دحر", "دحر"),
        *noun("دحر"),
        *verb("أحبط", "حبط"),
        *noun("إحباط"),
    ),
    EXPEL: (*verb("طرد", "طرد"), *noun("طرد")),
    # الوضع في مدينة حماة مستقر، خطوط الدفاع عن حمص متماسكة: the place before is held
    STABLE: words(
        "مستقر مستقرة مستقرا آمن آمنة آمنا هادئ هادئة هادئا متماسك متماسكة متماسكا"
        " صامد صامدة صامدون صامدين"
    ),
    FALL: (*verb("سقط", "سقط"), *noun("سقوط"), *verb("انهار", "نهار"), *noun("انهيار")),
}
# WINNER phrases that say whose hands a place is in (not لصالح، أمام): "حماة في قبضة الفصائل"
# is a claim by itself. Normalised, words joined by a space, with a leading و allowed.
POSSESSION = frozenset(
    p + normalize(w)
    # إدلب، آخر معاقل المعارضة: a stronghold is a place its party holds
    for w in ["بيد", "بأيدي", "في يد", "في أيدي", "في قبضة", "بقبضة", "معقل", "معاقل", "معقلا"]
    for p in ("", "و")
)
# Event forms that are frequent words in other senses (فقد is also ف + قد "indeed").
_AMBIGUOUS_EVENT = frozenset({"فقد"})
# Present-tense forms of "capture" verbs mean "holds" (تسيطر الفصائل على إدلب).
PRESENT_MEANS_HOLD = frozenset({"capture"})

GRAMMAR: dict[str, tuple[tuple[str, dict], ...]] = {
    DENY: words(
        "لا_صحة عار_عن_الصحة عارية_عن_الصحة عار_من_الصحة غير_صحيح غير_صحيحة أنباء_كاذبة"
        " ليس_صحيحا ليست_صحيحة لا_أساس_لها لا_أساس_له عارية_من_الصحة مفبركة"
        " حرب_نفسية حربا_نفسية دعاية_مغرضة تضليل_إعلامي أكاذيب"
        " مزاعم شائعات شائعة إشاعات إشاعة كاذبة ملفقة مضللة"
        # ما تبثه الفصائل عن دخول حماة مفبرك: the masculine, after what it dismisses
        " مفبرك ملفق مضلل كاذب"
    ),
    NEGATION: words("لم لن لا ليس ليست دون بدون"),
    STILL: words("زال زالت يزال تزال يزالون زالوا"),
    NO_LONGER: words("يعد تعد يعودوا"),
    ABLE: words(
        "يتمكن تتمكن يتمكنوا يتمكنون تمكن تمكنت يستطيع تستطيع يستطيعوا استطاع استطاعت"
        " ينجح تنجح نجح نجحت"
        # first person: «لم نتمكن من دخول حماة» (the speaker's own side failed)
        " نتمكن تمكنا نستطيع استطعنا ننجح نجحنا"
    ),
    FAILED: words("فشل فشلت فشلوا عجز عجزت عجزوا أخفق أخفقت إخفاق"),
    FUTURE: words("سوف سيتم"),
    INTENT: words(
        "يسعى تسعى يسعون سعى سعت يهدف تهدف يستعد تستعد يستعدون استعداد استعدادات يحاول تحاول"
        " يحاولون حاول حاولت محاولة محاولات يعتزم تعتزم يخطط تخطط ينوي تنوي يريد تريد يهدد تهدد"
        " تهديد يتجه تتجه تقترب يقترب اقتربت اقترب اقتراب هدف خطة"
        " بهدف سعيا هدفنا هدفه هدفها هدفهم غايتنا"
        # wishes and support: نؤيد استعادة، ندعو إلى تحرير، طالبت بدخول
        " نؤيد يؤيد تؤيد أيد أيدت يؤيدون ندعو يدعو تدعو دعا دعت يدعون نطالب يطالب تطالب طالب"
        " طالبت يطالبون مطالبة نأمل يأمل تأمل أمل نتمنى يتمنى تتمنى دعوة دعوات"
        # the terms of an agreement: اتفاق يقضي بخروج المقاتلين من منبج
        " يقضي تقضي ينص تنص يتضمن تتضمن"
        # pledges and threats: تعهد الأسد باستعادة حلب، توعدت الفصائل بدخول دمشق
        " تعهد تعهدت يتعهد تتعهد نتعهد تعهدوا توعد توعدت يتوعد تتوعد توعدوا عازمون عازم عازمة"
    ),
    CONDITION: words("إذا إذ_ما لو لولا في_حال حال_تمكن وإذا ولو"),
    # hearsay: what follows is relayed, not asserted (a bare أنباء is also "news agency")
    RUMOUR: words(
        "أنباء_عن أنباء_غير_مؤكدة أنباء_متضاربة أنباء_متداولة أنباء_تفيد أنباء_تتحدث"
        " معلومات_غير_مؤكدة تقارير_غير_مؤكدة أخبار_غير_مؤكدة روايات_غير_مؤكدة"
        # after ما (kept a relative: "what X circulates") the verb alone marks the hearsay
        " يتداول تتداول تداول تداولت يتداولون تداولوا يتداوله تتداوله يتداولونه تداوله"
        " تناقلت تناقل يتناقل تتناقل تتناقله يتناقله يتردد يشاع أشيع يروج تروج"
        " يروجه تروجه يروجون يروجونه روج روجت روجه روجته يزعمه تزعمه يدعيه تدعيه"
        " أنباء_لم_تتأكد حديث_عن الحديث_عن"
    ),
    CLAUSE: words("بينما فيما في_حين حين في_وقت_الذي"),
    WITNESS: words("شهد شهدت تشهد يشهد تشهدها"),
    CONNECTOR: words(
        "وفق وفقا حسب بحسب حسبما نقلا طبقا على_ما على_لسان وفقما كما_أفاد كما_ذكر كما_أعلن"
    ),
    COMPLEMENTIZER: words("أن إن أنه إنه أنها إنها أنهم إنهم أنهما بأن بأنه بأنها بأنهم"),
    GENERIC: words(
        "مصادر مصدر مراسل مراسلنا مراسلة مراسلو شهود ناشطون ناشطين سكان الأهالي"
        " وسائل_إعلام وسائل_الإعلام"
    ),
    SELF: words(
        "قواتنا مقاتلونا مقاتلينا وحداتنا عناصرنا جنودنا أبطالنا ثوارنا فصائلنا نحن جيشنا"
        " مجاهدونا مجاهدينا"
    ),
    FORCES: words(
        "قواته قواتها قواتهم عناصره عناصرها عناصرهم وحداته وحداتها مقاتليها مقاتليه مقاتلوها"
        " مقاتلوه جنوده جنودها"
    ),
    WINNER: words(
        "بيد بيد_قوات بأيدي في_يد في_أيدي لصالح أمام على_يد في_قبضة بقبضة معقل معاقل معقلا"
    ),
    UNDER: words("تحت خاضعة خاضع خاضعين تخضع يخضع"),
    OUT_OF: words("خارج"),
    PAST: words("كان كانت كانوا"),
    GOAL: words("حتى"),
    BECAME: words("بات باتت باتوا أصبح أصبحت أصبحوا صار صارت لتصبح ليصبح تصبح يصبح"),
    RELATIVE: words("ما لما بما مما"),
    QUESTION: words("هل"),
}

# Clitics that may precede a word: conjunctions and prepositions, and their stacks.
_NOUN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
_VERB_PREFIXES = ("", "و", "ف")
_GRAMMAR_PREFIXES = ("", "و", "ف")


def _expand(form: str, noun_like: bool) -> Iterator[tuple[str, str]]:
    """(surface, prefix) for every clitic-prefixed spelling of a normalised word."""
    if not noun_like:
        for p in _VERB_PREFIXES:
            yield p + form, p
        return
    for p in _NOUN_PREFIXES:
        yield p + form, p
    if form.startswith("ال"):
        for p in ("", "و", "ف"):
            yield p + "لل" + form[2:], p + "ل"  # ل + ال: للجيش
    else:
        for p in _NOUN_PREFIXES:
            yield p + "ال" + form, p
        for p in ("", "و", "ف"):
            yield p + "لل" + form, p + "ل"


Lexicon = dict[str, tuple[Sense, ...]]


def _add(lexicon: dict[str, list[Sense]], form: str, sense_args: dict, noun_like: bool) -> None:
    parts = normalize(form).split()
    head, tail = parts[0], tuple(parts[1:])
    for surface, prefix in _expand(head, noun_like):
        sense = Sense(prefix=prefix, tail=tail, **sense_args)
        bucket = lexicon.setdefault(surface, [])
        if sense not in bucket:
            bucket.append(sense)


def compile_entries(entries: Iterable[tuple[str, Sense]]) -> Lexicon:
    """Extra entries (e.g. built from a profile) in the same form as the built-in lexicon."""
    lexicon: dict[str, list[Sense]] = {}
    for form, sense in entries:
        parts = normalize(form).split()
        for surface, prefix in _expand(parts[0], True):
            lexicon.setdefault(surface, []).append(
                Sense(sense.role, sense.value, prefix=prefix, tail=tuple(parts[1:]))
            )
    return _freeze(lexicon)


def _freeze(lexicon: dict[str, list[Sense]]) -> Lexicon:
    # Longer phrases first, so the longest match wins.
    return {k: tuple(sorted(v, key=lambda s: -len(s.tail))) for k, v in lexicon.items()}


def compile_lexicon() -> Lexicon:
    """Every surface form of every word above, normalised, with its senses."""
    lexicon: dict[str, list[Sense]] = {}
    for stance, forms in REPORTING.items():
        for form, flags in forms:
            if normalize(form) in _AMBIGUOUS_REPORT:
                continue
            flags = {k: v for k, v in flags.items() if k in ("present", "noun")}
            _add(lexicon, form, {"role": REPORT, "value": stance, **flags}, noun_like=False)
    for kind, forms in EVENTS.items():
        for form, flags in forms:
            if normalize(form) in _AMBIGUOUS_EVENT:
                continue
            noun_like = bool(flags.get("noun")) or " " in form
            _add(lexicon, form, {"role": EVENT, "value": kind, **flags}, noun_like=noun_like)
    for role, forms in GRAMMAR.items():
        for form, _flags in forms:
            noun_like = role in (SELF, FORCES, GENERIC, WINNER, DENY, UNDER, OUT_OF, RUMOUR)
            _add(lexicon, form, {"role": role}, noun_like=noun_like)
    return _freeze(lexicon)
