"""Flag messages that look like advertising services or recruiting clients.

This only ever *flags a message to administrators*; it never acts on its own (PRODUCT.md §3,
REQ-5.18). A wrong flag hurts a vulnerable person, so it is built for precision:

* A message is scored from **families of signals**, not single words. An *offer* (a first-person
  provider — "I am a licensed counsellor", "our clinic", "we offer", fees, discounts, recruiting)
  has to come together with a *way to buy* (payment channel, booking link, "DM me for sessions",
  a phone number offered for business, a contact the sender keeps reposting) to reach the
  threshold; one signal alone almost never does.
* **Mitigating signals** pull the score down: public helplines, asking the group for help,
  telling one's own experience of a service, community fundraising and group announcements,
  recommending something free.
* **Distress is never flagged.** A first-person expression of distress (suicidal feelings,
  voices, medication doubts, anger, tears, hopelessness — English, Kiswahili, Sheng) vetoes the
  flag whatever else the message contains.

Reason codes are stable identifiers that the text layer translates; they never contain any part
of the message. Nothing is logged or kept.

:data:`REASON_CODES` (pointing to soliciting)
    ``dm_offer`` "DM me for sessions"; ``payment`` till/paybill/Lipa na M-Pesa, "payment via";
    ``booking_link`` calendly/wa.me/link shorteners, or a link with "book"; ``booking`` "book a
    session", "kwa booking", "weka miadi"; ``provider_promo`` "our clinic", "we offer", "visit
    us", "karibu ofisini kwetu"; ``fee`` prices framed as a rate ("KES 2000 per session", "bei ni",
    "affordable rates"); ``provider_self`` "I am a licensed counsellor", "ni counsellor", "I
    charge"; ``recruit`` "enrol", "limited slots", "join my programme";
    ``discount`` "% off", "free first session", "ofa"; ``contact_offer`` a phone/e-mail/till with
    "call/whatsapp/piga"; ``contact`` a phone, e-mail or link without that; ``dm_ask`` "DM me",
    "ni-inbox"; ``hook`` addressing a would-be client ("Struggling with anxiety?", "Kama
    unahitaji"); ``repeated_contact`` the caller says the sender keeps posting this contact;
    ``link_button`` the message carries inline buttons with links; ``channel_forward`` it was
    forwarded from a channel; ``model`` the statistical model
    (:mod:`bot.moderation.model`) rates it as an advert.
:data:`MITIGATION_CODES` (pointing away)
    ``helpline``, ``help_seeking``, ``personal_experience``, ``community`` (group announcements,
    fundraising for a member), ``free_service``, ``distress`` (vetoes the flag).

For the *rules*, at least one selling signal (an offer-side code, ``payment``,
``booking_link`` or ``booking``) is needed for a flag: a number and "call me" alone is how
members offer each other support. The *statistical model* (:mod:`bot.moderation.model`) reads
every message and can flag without any rule, when its probability reaches the threshold chosen
for precision by cross-validation (higher when someone tells their own experience or asks for
help; never after a public helpline with no other number). The rules flag only where the model
gives at least :data:`RULE_FLOOR`. :mod:`bot.moderation.screening` is the one pass the bot uses:
the same verdicts, the rules run only when they or the model could flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from bot.moderation import model as statistical
from bot.moderation.features import (
    NO_SIGNALS,
    MessageSignals,
    Reading,
    Vector,
    normalise,
    read,
    vector,
)
from bot.moderation.learning import Learned
from bot.moderation.literals import LiteralGate
from bot.moderation.repetition import KENYAN_PUBLIC_HELPLINES, normalise_phone

__all__ = [
    "DEFAULT_THRESHOLD",
    "MITIGATION_CODES",
    "NO_SIGNALS",
    "REASON_CODES",
    "MessageSignals",
    "SolicitationVerdict",
    "assess",
    "assess_reading",
    "features_of",
]

DEFAULT_THRESHOLD: Final = 0.6


@dataclass(frozen=True, slots=True)
class SolicitationVerdict:
    """The outcome for one message. Holds codes and numbers only, never message text.

    ``reasons``: signals that point to soliciting, strongest first (empty if none).
    ``mitigations``: signals that point away from it (helpline, asking for help, distress, …).
    """

    score: float
    flagged: bool
    reasons: tuple[str, ...]
    mitigations: tuple[str, ...] = ()
    # The model's probability (None: the message was turned away before the model read it).
    probability: float | None = None
    # Hashed features (bucket numbers, no text) of a flagged message, to learn from an admin's
    # answer. Not shown.
    vector: Vector = field(default=(), repr=False, compare=False)


def _rx(*alternatives: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(a) for a in alternatives)


def _any(family: tuple[re.Pattern[str], ...], text: str) -> bool:
    """Whether any alternative of a signal family occurs in ``text``: first the family's
    literal gate (a text without any string the family needs cannot match), then one search of
    the family's patterns joined (cheaper than one search each, when only "any" matters)."""
    found = _JOINED.get(id(family))
    if found is None:
        joined = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in family))
        found = _JOINED[id(family)] = (LiteralGate(family), joined)
    gate, joined = found
    return gate.may_match(text) and joined.search(text) is not None


_JOINED: dict[int, tuple[LiteralGate, re.Pattern[str]]] = {}


def _hits(family: tuple[re.Pattern[str], ...], text: str) -> int:
    """How many distinct alternatives of a signal family occur in ``text`` (cheap rejection
    first: one search of the joined family)."""
    if not _any(family, text):
        return 0
    return sum(1 for pattern in family if pattern.search(text))


# --- building blocks -----------------------------------------------------------------------------

_ROLE = (
    r"(?:counsell?or|psychologist|psycho-?therapist|therapist|psychiatrist|life coach|coach"
    r"|hypnotherapist|mental health (?:professional|practitioner|expert)|psychiatric nurse"
    r"|nurse counsell?or|social worker|mwanasaikolojia|mshauri(?: nasaha)?|tabibu)"
)
_ROLE_ADJ = (
    r"(?:licensed|licenced|certified|registered|qualified|professional|trained|experienced"
    r"|practi[cs]ing|clinical|counsell?ing|consultant|accredited|aliyesajiliwa)"
)
# Things sold: deliberately commercial words, not "talk" or "support".
_SERVICE = (
    r"(?:sessions?|consultations?|therapy|counsell?ing|coaching|appointments?|bookings?"
    r"|rates|prices?|pricing|fees?|charges|packages?|enquiries|inquiries|ushauri|vikao|kikao"
    r"|huduma|tiba|admissions?)"
)
_DM_VERB = (
    r"(?:dm|d\.m|pm|inbox|message|text|sms|whats-?app|call|contact|reach(?: out to)?|email"
    r"|ni-?dm|ni-?inbox|niinbox|ni-?call|nicall|nitumie (?:ujumbe|message|sms)|nitafute"
    r"|nipigie|tupigie|wasiliana nami|wasiliana nasi)"
)
_AMOUNT = (
    r"(?:(?:kes|kshs?|shs?|sh\.|ksh\.)\s?\d[\d,]{0,9}(?:\.\d{1,2})?k?"
    r"|\d[\d,]{0,9}(?:\.\d{1,2})?\s?(?:k\b|/=|/-|bob\b|kes\b|kshs?\b|shillings?|shilingi|\s?bob)"
    r"|\b\d{3,6}\b)"
)

# --- positive signal families --------------------------------------------------------------------

_PAYMENT = _rx(
    r"\btill\s*(?:no\.?|number|namba|#|:)?\s*\d",
    r"\bpay\s?bill\b",
    r"\bbuy\s?goods\b",
    r"\blipa na m-?pesa\b",
    r"\b(?:via|by|through|kupitia|kwa) m-?pesa\b",
    r"\bm-?pesa (?:accepted|only|number)\b",
    r"\bpayment (?:is )?(?:by|via|through)\b",
    r"\bpay (?:a |the )?deposit\b",
    r"\bsend(?:ing)? (?:the )?(?:payment|fee|deposit)\b",
    r"\bsadaka ni\b",
    r"\btuma (?:pesa|malipo|kwa)\b",
    r"\bmalipo (?:kupitia|kwa)\b",
    r"\bonce paid\b",
)
_FEE = _rx(
    rf"{_AMOUNT}\s*(?:per|/|a|kwa)\s?(?:session|hour|hr|class|month|week|person|kikao|saa)",
    rf"\b(?:sessions?|kikao|vikao|class(?:es)?|therapy|consultations?|counsell?ing)"
    rf" (?:ya|za|is|are|at|for|ni|from|cost|costs) {_AMOUNT}",
    # "Therapy sessions KSh 2500": a currency amount right after what is sold.
    r"\b(?:sessions?|kikao|vikao|therapy|consultations?|counsell?ing)\s*[:\-–]?\s*"
    r"(?:kes|kshs?|shs?|sh\.|ksh\.)\s?\d",
    r"\b(?:i|we) charge\b",
    r"\bcharges? (?:ni|are|is|negotiable|from|start|za)\b",
    r"\bcharges? \w+ negotiable\b",
    r"\brates? (?:start|from|are|ni)\b",
    r"\b(?:affordable|reasonable|special|discounted|friendly|pocket[- ]friendly|low|sliding scale"
    r"|fair|subsidi[sz]ed)\s+(?:rates?|fees?|prices?|packages?|charges)\b",
    r"\b(?:registration |consultation |monthly |session )?fee (?:is |of |ni )?(?::\s*)?"
    rf"{_AMOUNT}",
    r"\bmonthly fee\b",
    r"\b(?:bei|ada) (?:ni|poa|nafuu|ya chini|rahisi)\b",
    r"\bza bei poa\b|\bya bei poa\b",
    rf"\b(?:from|only|just|at)\s+{_AMOUNT}",
    rf"{_AMOUNT}\s*(?:only|tu|pekee)\b",
    r"\bearly bird\b",
    r"\binclusive\b",
    r"\bmessage me privately for rates\b|\bfor (?:rates|prices|pricing)\b",
    # Kiswahili and Sheng fees without "bei": "anatoza kidogo", "ada yake ni", "malipo ni baada".
    r"\b(?:anatoza|anacharge|inacharge|wanacharge|tunatoza|natoza|ninatoza|anacharge)\b",
    r"\bada (?:yake|yetu|yangu) ni\b|\bbei ni maelewano\b|\bmembers'? price\b",
    r"\bmalipo (?:ni (?:baada|kabla)|mlangoni|kwa awamu)\b",
    rf"{_AMOUNT}\s*(?:per|/|a|kwa|kila)\s?(?:kipindi|siku|wiki|mwezi|pack|tin|bottle|jar|piece"
    r"|supply|year|yr|programme|program)\b",
    rf"{_AMOUNT}\s*each\b|\b(?:kikao|kipindi) (?:kimoja )?ni (?:shilingi|ksh|kes)",
    r"\b(?:starting|starts at|was) \d[\d,]*k?\b",
    rf"\b(?:appointment|consultation|session|kikao|ada|bei) ni {_AMOUNT}",
    r"\brates? (?:on request|negotiable)\b|\bpayment plans?\b",
)
_PROVIDER_SELF = _rx(
    rf"\b(?:i am|i'm|im|am)\s+(?:now\s+)?(?:an?\s+)?(?:{_ROLE_ADJ}\s+){{0,3}}{_ROLE}\b",
    r"\b(?:i am|i'm|im)\s+dr\b",
    rf"\b(?:mimi ni|ni|niko|nko|mimi niko)\s+(?:an?\s+)?(?:{_ROLE_ADJ}\s+)?{_ROLE}\b",
    rf"\bif you need an? {_ROLE}, i am one\b",
    r"\b(?:book|a session|sessions|appointment|consultation) with me\b",
    r"\b(?:i|we) charge\b",
    r"\bi help (?:people|clients|individuals|couples|women|men|youths?)\b",
    r"\bi run an? \w+(?: \w+)? (?:practice|clinic|programme|program|business|centre|center)\b",
    r"\bi do home visits\b",
    r"\bin private practice\b",
    r"\bi(?:'m| am) (?:now )?(?:taking|accepting|seeing) (?:new )?clients\b",
    r"\b(?:naeza|naweza|ninaweza) (?:kuwasaidia|kukusaidia|kupea|kukupa)\b",
    r"\bninatoa\b|\bnatoa\b",
    r"\bniko na (?:clinic|programme|program|practice|kituo)\b",
    r"\bi sell\b|\bi'm selling\b|\bnauza\b",
    r"\bninaendesha (?:kituo|kliniki|biashara|clinic)\b|\bthat i (?:now )?run\b",
)
_PROVIDER_PROMO = _rx(
    r"\bour (?:\w+ ){0,2}?(?:clinic|practice|rehab|centre|center|hospital|facility|office"
    r"|programme|program|course|services|counsell?ors|experts|therapists|psychiatrists?"
    r"|psychologists?|specialists|team of)\b",
    r"\bmy (?:new )?(?:\w+ )?(?:practice|programme|program|course|webinar|services|page|bio"
    r"|business|wellness cent(?:re|er)|counsell?ing service|online service)\b",
    r"\b(?:we|i) (?:also |now )?(?:offer|provide|specialise|specialize)\b",
    r"\b(?:we are|we're|i am|i'm) (?:now )?(?:offering|providing|running|recruiting|admitting)\b",
    r"\b(?:now|currently) (?:taking|accepting|admitting|open)\b",
    r"\b(?:new )?clients welcome\b|\bwalk-?ins welcome\b|\baccepting new clients\b",
    r"\badmissions? (?:ongoing|open|are open)\b",
    r"\b(?:visit|tembelea) (?:https?://|www\.|[a-z0-9-]+\.[a-z])",
    r"\bvisit us\b|\bwe are located\b|\blocated at\b|\bcheck out my\b|\bsupport my new\b",
    rf"\b{_ROLE}s? (?:is |are )?(?:now )?available\b",
    r"\bavailable for (?:consultations?|sessions?|bookings?|appointments?|therapy)\b",
    r"\bavailable 24/7\b|\bservices? (?:now )?available\b|\bnow available\b",
    r"\bkaribu (?:ofisini|kwetu|kliniki)\b|\bofisini kwetu\b|\bnjoo kwetu\b",
    r"\b(?:clinic|kituo|centre|center|ofisi) (?:yetu|chetu|changu|yangu)\b",
    r"\bkituo chetu\b|\btunatoa\b|\btunapatikana\b|\btunafungua\b|\btunakaribisha\b",
    r"\bzinapatikana\b|\binapatikana\b",
    r"\b(?:tuko|niko) na (?:offer|ofa)\b",
    r"\bopen (?:daily|monday|mon)\b|\bkila siku \d|\b\d{1,2} ?am ?- ?\d{1,2} ?pm\b",
    r"\bopposite\b|\balong \w+ (?:rd|road|street|st|avenue|ave)\b",
    r"\b(?:boss|rafiki|dada|bro) (?:wangu|yangu) ana (?:rehab|clinic|practice)\b",
    r"#sponsored\b|\bsponsored(?: post)?:|\btangazo la kulipiwa\b|\btangazo!",
    r"\b(?:taking|accepting|kinapokea|inapokea|tunapokea) (?:new )?(?:patients|wagonjwa)\b",
    r"\bi (?:now )?(?:distribute|help (?:him|her|them) sell)\b|\bninamsaidia kuuza\b",
    r"\bmy customers\b|\bour (?:pharmacy|team|app|academy|order line)\b|\bpre-?order\b",
    r"\bdelivery (?:within|ni|to|available)\b|\bnatuma na parcel\b|\bdelivers\b",
    r"\bbrochure\b|\bat checkout\b|\border (?:line|now)\b",
    r"\b(?:a friend of mine|my (?:friend|sister|cousin|bestie|neighbou?r)|bestie wangu"
    r"|jirani yangu|shangazi yangu|dada yangu|sister yangu|rafiki yangu) (?:\w+ ){0,2}?"
    r"(?:runs|has opened|opened|owns|amefungua|anafanya|ana (?:clinic|kliniki|salon|rehab))\b",
)
_DISCOUNT = _rx(
    r"\b\d{1,3}\s?%\s?(?:off|discount|punguzo)",
    r"\bdiscount(?:ed|s)?\b",
    r"\bpromo(?:tion)?(?: code)?\b|\buse (?:the )?code\b",
    r"\bspecial (?:offer|rate|price)\b|\bon offer\b|\boffer ya\b|\bofa\b",
    r"\bpunguzo\b",
    r"\bfirst (?:session|consultation|visit) (?:is )?free\b",
    r"\bfree (?:first session|consultation|discovery call|assessment|screening)\b",
    r"\bthis (?:week|month) only\b|\bmwezi huu\b",
    r"\blipa \d+k? upate\b",
    r"\bcode [a-z]+\d+\b|\buse my link\b|\bbuy \d get \d\b|\b\d+% less than\b",
    r"\breduced (?:consultation|prices?|fees?|rates?)\b",
)
_RECRUIT = _rx(
    r"\benrol+(?:ment|ing)?\b",
    r"\bjoin (?:my|by|our paid)\b",
    r"\brecruiting\b",
    r"\bsign up\b",
    r"\bregister (?:now|here|via|today|at)\b",
    r"\bregistration fee\b",
    r"\blimited (?:slots|spaces|spots|seats|places)\b",
    r"\bonly \d+ (?:slots|spots|spaces|seats|places)\b",
    r"\b(?:slots|spots|spaces) (?:\w+ ){0,2}?(?:left|remaining|available|are open|open)\b",
    r"\bnafasi (?:ni )?chache\b|\bslots chache\b|\bjiandikishe\b",
    r"\bfirst \d+ clients\b|\bnew clients\b",
    r"\breserve (?:your|a) (?:slot|spot|seat|place)\b",
    r"\btext \"?join\"?\b",
    r"\b(?:i'?m|i am|we'?re|we are)(?: [\w-]+){0,6}? looking for (?:new )?clients\b",
    r"^looking for (?:new )?clients\b|\b(?:tunatafuta|natafuta) wateja\b|\bwateja wapya\b",
    r"\b(?:space|room|nafasi) for (?:\w+ )?new clients\b|\bsina clients\b",
    # Network marketing, "earn while healing", trading schemes.
    r"\b(?:earn|kuearn|naearn|unaearn|make|making) (?:money|doh|pesa|cash|passive|income|\d)",
    r"\bpassive income\b|\bnetwork marketing\b|\bjoin (?:our|my) team\b|\bjoin team yetu\b",
    r"\bstarter kit\b|\breferral code\b|\bminimum deposit\b|\bweka dola\b|\bunadeposit\b",
    r"\brecruit \d+ friends\b|\bbinary options\b|\bforex signals\b|\bvip group\b",
    r"\bwateja zaidi\b|\bnina nafasi (?:mbili|moja|tatu|chache)\b",
    r"\btell your friends\b|\bwajulisheni marafiki\b",
)
_BOOKING_LINK_HOST = _rx(
    r"calendly\.com",
    r"wa\.me/",
    r"linktr\.ee",
    r"bit\.ly",
    r"forms\.gle",
    r"tinyurl\.com",
    r"\blink in (?:my )?bio\b",
)
_BOOKING = _rx(
    r"\bbook(?:ing)? (?:now|here|today|online)\b",
    r"\bbook (?:your|a|an|via|through|with)\b",
    r"\bto book\b",
    r"\bfor (?:a )?bookings?\b|\bkwa booking\b|\bkuweka booking\b|\bdm for booking\b",
    r"\bweka miadi\b|\bkuweka miadi\b|\bnikuwekee appointment\b",
    r"\bfor an? (?:appointment|consultation|session)\b",
    r"\b(?:evening|weekend|same[- ]day) appointments\b|\bappointments? available\b",
    r"\breserve (?:your|a) (?:slot|spot|seat)\b",
)
_DM_OFFER = _rx(
    rf"\b{_DM_VERB}(?: (?:me|us))?(?: \w+){{0,3}}? (?:for|kwa|about) (?:\w+ ){{0,3}}?{_SERVICE}\b",
    rf"\bfor (?:\w+ ){{0,2}}?{_SERVICE},? (?:\w+ ){{0,2}}?{_DM_VERB}\b",
    rf"\b{_SERVICE}(?: \w+){{0,6}}? (?:dm|ni-?dm|inbox|niinbox|ni-?inbox) (?:me|us)?\b",
    r"\border via (?:dm|whatsapp|inbox)\b|\bnitumieni order\b",
)
# Payment asked for a service (rather than, say, a member's hospital bill).
_PAID_SERVICE = _rx(rf"\b{_SERVICE}\b", r"\bzoom link\b", r"\bslots?\b")
_DM_ASK = _rx(
    r"\b(?:dm|d\.m|pm|inbox|message|text|whats-?app|call|contact|reach) (?:me|us)\b",
    r"\bni-?dm\b|\bni-?inbox\b|\bniinbox\b|\bni-?call\b|\bnicall\b|\bnitafute\b",
    r"\bnipigie\b|\btupigie\b|\bpiga simu\b|\bpiga \d|\bnitumie (?:ujumbe|message|sms)\b",
    r"(?:^|[.!,] ?)(?:dm|inbox)\.?\s*$",
    r"\binbox for\b|\bdm for\b",
    r"\b(?:dm|pm|inbox|call|whats-?app|text) (?:now|today)\b",
    # Passing on a provider's contact: "nikuunganishe naye", "I'll give you her number".
    r"\b(?:nikuunganishe|nimuunganishe|nitawaunganisha|nitakuunganisha|nitawapea contacts)\b",
    r"\b(?:contacts|namba) (?:zake|yake)\b|\bi'?ll give you (?:her|his|their) number\b",
    r"\bni-?pm\b|\bujumbe binafsi\b",
)
# Addressing a would-be client: "Are you struggling…?", "Kama unahitaji…", "If you need…".
_HOOK = _rx(
    r"\b(?:are you|do you|need an?|struggling with|looking for an?) [^?.!]{0,40}\?",
    r"\bif you(?:'re| are)? (?:need|looking|want|struggling)\b",
    r"\b(?:kama|ukiwa|ukihitaji) (?:una|uko na|unahitaji|unataka|mnahitaji)\b",
    r"\bukihitaji\b|\bunasumbuliwa\b|\bwewe mwenye\b|\bkama uko na\b",
    r"\bany ?(?:one|1|body) (?:who|needing|wanting)\b",
)
_CONTACT_VERB = _rx(
    r"\b(?:call|whats-?app|text|sms|reach|contact|email|send to|tel|phone|number is|namba ni"
    r"|namba yangu|piga|tupigie|nipigie|tuma kwa|ping)\b",
)

# --- mitigating signal families ------------------------------------------------------------------

_HELPLINE = _rx(
    r"\bbefrienders\b",
    r"\bred cross\b",
    r"\bniskize\b",
    r"\bchildline\b",
    r"\bhelp ?lines?\b|\bhotlines?\b|\btoll[- ]free\b|\bcrisis lines?\b|\blifeline\b",
    # A short code on its own ("call 1199"), not the tail of a longer number ("0700 000 999").
    r"(?<!\d[\s-])(?<![\d,.])\b(?:1199|1195|1190|116|999|112)\b(?![\s-]?\d|/|,\d)",
    r"\bemergency\b",
)
_HELP_SEEKING = _rx(
    r"\b(?:does|do|is|are|can|could|has|have|would)\s+(?:any ?(?:one|1|body)|some(?:one|body))\b",
    r"\bany ?(?:one|1|body) (?:know|knows|tried|try|have|has|recommend|else|been)\b",
    r"\bif any ?(?:one|body) knows\b",
    r"\bwhere (?:can|do|should) (?:i|we|you|one)\b",
    r"\bhow (?:much|do i|can i|do you)\b",
    r"\bwhich (?:hospitals?|clinics?|counsell?ors?|therapists?)\b",
    r"\bcan (?:someone|anyone|somebody) (?:recommend|help|suggest)\b",
    r"\bany (?:recommendations?|suggestions?|ideas|advice|free)\b",
    r"\basking for (?:myself|a friend)\b|\bis (?:that|it) normal\b|\bis \w+ safe\?",
    r"\bi(?:'m| am) looking for\b|\bi need (?:a|an|help|someone|advice)\b",
    r"\bmtu (?:anajua|yeyote anajua|anisaidie|ako na)\b|\bkuna mtu (?:anajua|ana)\b",
    r"\bnani anajua\b|\bwapi (?:naweza|kuna|nitapata|ninaweza|nipate)\b|\bbei gani\b",
    r"\bnaomba (?:msaada|mtu|mnisaidie|contact|ushauri|namba)\b|\bnahitaji\b|\bmsaada tafadhali\b",
)
_EXPERIENCE = _rx(
    r"\bi (?:paid|pay|went|was|called|booked|spent|got|tried|stopped|started|joined|used to"
    r"|finally|only paid|have been going|'ve been going|have been seeing|'ve been seeing)\b",
    r"\bhelped (?:me|my|us)\b|\bit was worth it\b",
    r"\bmy (?:psychiatrist|doctor|counsell?or|therapist|nurse|pastor|meds|medication|insurance"
    r"|psychologist|brother|sister|mum|mom|dad|friend)\b",
    r"\b(?:daktari|counsell?or|therapist|psychiatrist|doctor|dawa) wangu\b",
    r"\bnili[a-z]{3,}\b|\bilini[a-z]{3,}\b|\bwalini[a-z]{3,}\b|\bnimeanza\b|\bnimepata\b",
    r"\bwhen i was\b|\bi've been\b",
)
_COMMUNITY = _rx(
    r"\badmins?\b|\btreasurer\b|\bsecretary\b|\busp-?k\b",
    r"\bpeer (?:support |group )?(?:meeting|group|groups|listeners?|training|supporter)\b",
    r"\bcontributions?\b|\bcontribute\b|\bmchango\b|\bmichango\b|\bharambee\b|\bwelfare\b",
    r"\bany amount\b|\bfundrais\w*\b|\bhospital bill\b|\bmwenzetu\b",
    r"\bguest speaker\b|\bground rules\b|\bmembers requested\b|\bour (?:monthly )?meeting\b",
    r"\bmkutano wetu\b|\b/talk\b",
)
_FREE = _rx(
    r"\bfree\b|\bbure\b|\bno fees?\b|\bhakuna malipo\b|\bbila malipo\b|\bdon'?t charge\b",
)

# --- distress (vetoes any flag) ------------------------------------------------------------------

_DISTRESS = _rx(
    # English, first person
    r"\bi (?:just |really |kinda )?(?:want|wanna|wish i could) (?:to )?(?:die|disappear|end it"
    r"|kill myself|sleep forever|not wake up|be gone|give up)\b",
    r"\b(?:kill|hurt|harm|cut) myself\b|\bend(?:ing)? (?:it all|my life)\b",
    r"\b(?:i'?m|i am|i feel|i felt|feeling|been feeling|i've been)\s+(?:so |very |really |kinda"
    r" |a bit |like )?(?:suicidal|hopeless|worthless|empty|numb|alone|lonely|a burden|dying"
    r"|depressed|broken|scared|ashamed|lost|angry|useless|tired of)\b",
    r"\bfeel(?:s|ing)? (?:like )?(?:dying|giving up|a burden|hopeless|pointless)\b",
    r"\bstill feel like dying\b|\bbetter off without me\b|\bi hate myself\b",
    r"\bi can'?t (?:do this|go on|take (?:it|this)|cope|anymore|sleep|eat|stop)\b",
    r"\bcant (?:sleep|eat|do this|go on|cope)\b|\bthoughts won'?t stop\b",
    r"\b(?:the )?voices (?:are|told|tell|keep|say|said|again)\b|\bhearing voices again\b",
    r"\bcrying\b|\bi cried\b|\btears\b|\bso angry\b|\bi could scream\b",
    r"\b(?:everything|life) (?:feels|is) (?:pointless|dark|meaningless)\b",
    r"\bdon'?t want to (?:live|be alone|be here|take my meds|wake up|go on)\b",
    r"\bi relapsed\b|\bmy meds (?:aren'?t|are not|don'?t|do not) work",
    r"\bstopped (?:taking )?my (?:meds|medication)\b|\bscared to tell\b",
    # Kiswahili and Sheng, first person
    r"\bsitaki kuishi\b|\bkujiua\b|\bnataka (?:tu )?(?:kufa|kupotea|kujiua)\b",
    r"\bnimechoka\b|\bmaisha hayana maana\b|\bsioni sababu\b|\bnisiamke\b",
    r"\b(?:naskia|nasikia|najisikia|najiskia) (?:vibaya|kama)\b|\bnimeacha dawa\b",
    r"\bsiko sawa\b|\bhakuna anayejali\b|\bsina (?:pesa ya dawa|tumaini|mtu)\b",
    r"\bnimelia\b|\bnalia\b|\bmachozi\b|\bhasira imenishika\b|\bniko na hasira\b",
    r"\bnina hasira\b|\bleo ni mbaya\b|\bnimepoteza\b",
)

# --- scoring -------------------------------------------------------------------------------------

_WEIGHTS: Final[dict[str, float]] = {
    "dm_offer": 0.6,
    "payment": 0.45,
    "booking_link": 0.45,
    "provider_promo": 0.35,
    "fee": 0.35,
    "provider_self": 0.3,
    "booking": 0.3,
    "recruit": 0.3,
    "discount": 0.3,
    "contact_offer": 0.3,
    "repeated_contact": 0.3,
    "dm_ask": 0.15,
    "hook": 0.15,
    "contact": 0.1,
    "link_button": 0.15,
    "channel_forward": 0.1,
}
# An offer on one side and a way to buy on the other.
_OFFER_SIDE: Final = frozenset(
    {"dm_offer", "provider_self", "provider_promo", "fee", "recruit", "discount"}
)
_CHANNEL_SIDE: Final = frozenset(
    {
        "payment",
        "booking_link",
        "booking",
        "contact_offer",
        "dm_ask",
        "repeated_contact",
        "contact",
        "link_button",
        "channel_forward",
    }
)
_COMBINATION_BONUS: Final = 0.1
# Signals that something is being sold; at least one is needed for a flag.
_SELLING: Final = _OFFER_SIDE | {"payment", "booking_link", "booking"}
_CHANNEL_ONLY_CAP: Final = 0.4
_EXTRA_CUE: Final = 0.1
_MAX_EXTRA_CUES: Final = 2

_MITIGATION_WEIGHTS: Final[dict[str, float]] = {
    "helpline": 0.4,
    "help_seeking": 0.35,
    "personal_experience": 0.3,
    "community": 0.3,
    "free_service": 0.2,
}
# A helpline named next to a business number helps much less.
_HELPLINE_WITH_OTHER_NUMBER: Final = 0.15

REASON_CODES: Final = frozenset({*_WEIGHTS, "model"})
MITIGATION_CODES: Final = frozenset({*_MITIGATION_WEIGHTS, "distress"})

_DISTRESS_CAP: Final = 0.25
_BELOW_THRESHOLD: Final = DEFAULT_THRESHOLD - 0.01


# --- the statistical model, and how it joins the rules ------------------------------------------

# Mitigations after which the model alone never flags: a public helpline named without any other
# number.
_MODEL_VETO: Final = frozenset({"helpline"})
# Someone telling their own experience, asking for help, or a group announcement: the model
# alone must be surer.
_MODEL_CAUTION: Final = frozenset({"personal_experience", "help_seeking"})
MODEL_CAUTION_MARGIN: Final = 0.15
# The rules flag only where the model gives at least this probability: patterns written from a
# few hundred examples must not flag alone what the model finds plainly ordinary.
RULE_FLOOR: Final = 0.2
# A repeated contact adds this to a score the model raised.
REPEAT_BONUS: Final = 0.1


def model_cut(threshold: float, mitigations: Iterable[str], selling_rule: bool) -> float:
    """The probability the model needs to flag, given what the rules found."""
    if not selling_rule and _MODEL_CAUTION & set(mitigations):
        return min(0.99, threshold + MODEL_CAUTION_MARGIN)
    return threshold


def lowest_model_flag(threshold: float, *, repeated_contact: bool) -> float:
    """Below this probability the model cannot flag a message, whatever the rules found (the
    cheap rejection of :mod:`bot.moderation.screening` relies on it)."""
    if repeated_contact:
        return threshold * (DEFAULT_THRESHOLD - REPEAT_BONUS) / DEFAULT_THRESHOLD
    return threshold


def _normalise(text: str) -> str:
    return normalise(text)


_PUBLIC_CACHE: dict[tuple[str, ...], frozenset[str]] = {}


def _public(numbers: tuple[str, ...]) -> frozenset[str]:
    found = _PUBLIC_CACHE.get(numbers)
    if found is None:
        found = frozenset(normalise_phone(n) or n for n in numbers)
        if len(_PUBLIC_CACHE) < 16:
            _PUBLIC_CACHE[numbers] = found
    return found


def _model_score(probability: float, cut: float) -> float:
    """The model's probability on the rules' scale: its threshold maps to DEFAULT_THRESHOLD."""
    if probability < cut:
        return DEFAULT_THRESHOLD * probability / cut
    return DEFAULT_THRESHOLD + (1 - DEFAULT_THRESHOLD) * (probability - cut) / (1 - cut)


@dataclass(frozen=True, slots=True)
class _Rules:
    score: float
    found: frozenset[str]
    mitigations: tuple[str, ...]
    distress: bool
    business_contact: bool


def _rules(reading: Reading, repeated_contact: bool, public: frozenset[str]) -> _Rules:
    source = reading.source
    signals = reading.signals
    contacts = reading.contacts
    business_contacts = [
        c for c in contacts if c.kind != "url" and not (c.kind == "phone" and c.value in public)
    ]
    has_public_number = any(c.kind == "phone" and c.value in public for c in contacts)
    urls = [c for c in contacts if c.kind == "url"]
    linked = bool(urls) or signals.has_link

    hits: dict[str, int] = {
        "payment": _hits(_PAYMENT, source),
        "fee": _hits(_FEE, source),
        "provider_self": _hits(_PROVIDER_SELF, source),
        "provider_promo": _hits(_PROVIDER_PROMO, source),
        "discount": _hits(_DISCOUNT, source),
        "recruit": _hits(_RECRUIT, source),
        "hook": _hits(_HOOK, source),
    }
    if hits["payment"] and _any(_PAID_SERVICE, source):
        hits["fee"] += 1
    booking_phrase = _hits(_BOOKING, source)
    if _any(_BOOKING_LINK_HOST, source) or (linked and booking_phrase):
        hits["booking_link"] = 1
    else:
        hits["booking"] = booking_phrase
    if _any(_DM_OFFER, source):
        hits["dm_offer"] = 1
    else:
        hits["dm_ask"] = _hits(_DM_ASK, source)
    business = bool(business_contacts) or signals.has_contact
    if business and _any(_CONTACT_VERB, source):
        hits["contact_offer"] = 1
    elif business or linked:
        hits["contact"] = 1
    if repeated_contact:
        hits["repeated_contact"] = 1
    if signals.url_buttons:
        hits["link_button"] = 1
    if signals.from_channel:
        hits["channel_forward"] = 1

    if hits.get("contact_offer"):
        hits["dm_ask"] = 0  # "call me on 07…" is one piece of evidence, not two
    found = {code for code, count in hits.items() if count}
    # Each further distinct cue of the same family adds a little, up to a cap.
    raw = sum(_WEIGHTS[code] + _EXTRA_CUE * min(hits[code] - 1, _MAX_EXTRA_CUES) for code in found)
    if found & _OFFER_SIDE and found & _CHANNEL_SIDE and len(found) >= 2:
        raw += _COMBINATION_BONUS

    mitigations: list[str] = []
    if _any(_HELPLINE, source) or has_public_number:
        mitigations.append("helpline")
    if _any(_HELP_SEEKING, source):
        mitigations.append("help_seeking")
    if _any(_EXPERIENCE, source):
        mitigations.append("personal_experience")
    if _any(_COMMUNITY, source):
        mitigations.append("community")
    if _any(_FREE, source) and not found & {"fee", "payment", "discount"}:
        mitigations.append("free_service")
    for code in mitigations:
        weight = _MITIGATION_WEIGHTS[code]
        if code == "helpline" and business_contacts:
            weight = _HELPLINE_WITH_OTHER_NUMBER
        raw -= weight

    distress = _any(_DISTRESS, source)
    if distress:
        mitigations.append("distress")
    score = min(1.0, max(0.0, raw))
    if not found & _SELLING:
        # Only ways to reach someone (a number, "call me", a repeated link) and no offer: that is
        # how members offer each other support. Never enough on its own.
        score = min(score, _CHANNEL_ONLY_CAP)
    return _Rules(score, frozenset(found), tuple(mitigations), distress, bool(business_contacts))


def features_of(text: str, signals: MessageSignals | None = None) -> Vector:
    """The hashed features of a message, as the model reads them (for ``/solicitor`` by reply)."""
    return vector(read(text, signals))


def assess(
    text: str,
    *,
    repeated_contact: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    public_numbers: Iterable[str] = KENYAN_PUBLIC_HELPLINES,
    signals: MessageSignals | None = None,
    learned: Learned | None = None,
    model: statistical.Model | None = None,
) -> SolicitationVerdict:
    """Score ``text`` for soliciting. Pure: nothing is logged or kept.

    ``repeated_contact``: the sender keeps posting a contact in this message (see
    :class:`bot.moderation.repetition.ContactRepetitionTracker`). ``public_numbers``: public
    helplines, which never count as a business contact. ``signals``: what Telegram parsed
    (entities, caption, forward origin, link buttons, hidden links). ``learned``: this
    deployment's adjustment (:class:`bot.moderation.learning.Learned`). ``flagged`` means
    "show to admins".
    """
    return assess_reading(
        read(text, signals),
        repeated_contact=repeated_contact,
        threshold=threshold,
        public_numbers=public_numbers,
        learned=learned,
        model=model,
    )


def assess_reading(
    reading: Reading,
    *,
    repeated_contact: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    public_numbers: Iterable[str] = KENYAN_PUBLIC_HELPLINES,
    learned: Learned | None = None,
    model: statistical.Model | None = None,
    probability: float | None = None,
) -> SolicitationVerdict:
    """:func:`assess` for a message already read (:func:`bot.moderation.features.read`).
    ``probability``: the model's, if the caller already worked it out for this reading.

    The model reads every message; the rules score too. The rules flag only where the model
    gives at least :data:`RULE_FLOOR`; the model's probability, mapped so that its threshold
    meets ``DEFAULT_THRESHOLD``, can raise the score unless a public helpline is named (and no
    other number). Messages like ones this deployment's admins said were not selling are not
    flagged by the rules either. Distress caps the score whatever else the message holds.
    """
    shipped = model or statistical.default()
    if probability is None:
        z = shipped.margin_of(reading, learned.sums if learned is not None else None)
        probability = statistical.sigmoid(z)
    rules = _rules(reading, repeated_contact, _public(tuple(public_numbers)))
    score = rules.score
    if probability < RULE_FLOOR:
        score = min(score, _BELOW_THRESHOLD)
    reasons = sorted(rules.found, key=lambda code: (-_WEIGHTS[code], code))
    cut = model_cut(shipped.threshold, rules.mitigations, bool(rules.found & _SELLING))
    model_score = _model_score(probability, cut)
    vetoed = bool(_MODEL_VETO & set(rules.mitigations)) and not rules.business_contact
    if learned is not None and learned.known_ordinary(reading):
        # This deployment's admins said messages like this one are not selling.
        score = min(score, model_score)
    elif not vetoed and model_score > score:
        score = model_score
        if repeated_contact:
            score = min(1.0, score + REPEAT_BONUS)
    if probability >= cut and score >= DEFAULT_THRESHOLD:
        reasons.append("model")
    if rules.distress:
        score = min(score, _DISTRESS_CAP)
    flagged = not rules.distress and score >= threshold  # decided before rounding for show
    return SolicitationVerdict(
        score=round(score, 3),
        flagged=flagged,
        reasons=tuple(reasons),
        mitigations=rules.mitigations,
        probability=round(probability, 4),
        vector=vector(reading) if flagged else (),
    )
