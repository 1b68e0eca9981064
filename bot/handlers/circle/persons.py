"""/mycircle: the overview, a support person, the guided add and edit, removing, the
never-contact list and the help text. Private chat only; every button re-checks the member's
own data in the database."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import keyboard, private_chat_button
from bot.adapters.replies import reply
from bot.circle import guide, persons
from bot.circle.callbacks import (
    ADD,
    CANCEL,
    CONSENT,
    EDIT,
    HELP,
    HELP_DELETE,
    HELP_SAVE,
    HELP_WRITE,
    HOME,
    INVITE,
    NEVER,
    NEVER_ADD,
    NEVER_REMOVE,
    PERSON,
    REMOVE,
    REMOVE_YES,
    RESUME,
    SUPPORT_NOW,
    TOGGLE_ASKED,
)
from bot.context import Context
from bot.errors import StaleButtonError
from bot.handlers.circle.shared import (
    answer_quietly,
    ask,
    btn,
    lang_of,
    person_of,
    show,
    t,
)
from bot.i18n import Safe
from bot.records.circle import PERSON_FIELDS, SupportPerson


def status_text(context: Context, lang: str, person: SupportPerson) -> str:
    found = [t(context, lang, f"circle.tg_{person.tg_status}")]
    if person.asked:
        found.append(t(context, lang, "circle.asked_yes"))
    return ", ".join(found)


# -- commands --------------------------------------------------------------------------------


async def in_group(update: Update, context: Context) -> None:
    """The circle's commands in a group: only a pointer to the private chat."""
    lang = await lang_of(update, context)
    await reply(
        update, context, "circle.group_pointer", reply_markup=private_chat_button(context, lang)
    )


async def mycircle(update: Update, context: Context) -> None:
    user = person_of(update)
    await persons.remember_name(context.app, user.id, user.first_name)
    await home(update, context)


async def cancel(update: Update, context: Context) -> None:
    """``/cancel``: stop the guided conversation at any step."""
    user = person_of(update)
    if await guide.draft(context.app, user.id) is None:
        await reply(update, context, "circle.nothing_to_cancel")
        return
    await guide.end(context.app, user.id)
    await reply(update, context, "circle.cancelled")


# -- screens ---------------------------------------------------------------------------------


async def home(update: Update, context: Context) -> None:
    user = person_of(update)
    store = context.bot_data.store
    lang = await lang_of(update, context)
    found = await store.circle.persons(user.id)
    never = await store.circle.never(user.id)
    profile = await store.circle.profile(user.id)
    draft = await guide.draft(context.app, user.id)
    lines = [
        t(
            context,
            lang,
            "circle.person_line",
            name=p.name,
            relationship=p.relationship or "—",
            status=status_text(context, lang, p),
        )
        for p in found
    ]
    text = t(
        context,
        lang,
        "circle.overview",
        persons=Safe("\n".join(lines)) if lines else t(context, lang, "circle.no_persons"),
        count=len(found),
        never=len(never),
        help=t(context, lang, "circle.help_set" if profile.help_text else "circle.help_unset"),
    )
    rows: list[list[InlineKeyboardButton]] = []
    if draft is not None:
        rows.append([btn(t(context, lang, "circle.btn_resume"), RESUME)])
    rows.extend([btn(p.name, PERSON, p.id)] for p in found)
    if len(found) < persons.MAX_PERSONS:
        rows.append([btn(t(context, lang, "circle.btn_add"), ADD)])
    rows.append(
        [
            btn(t(context, lang, "circle.btn_never"), NEVER),
            btn(t(context, lang, "circle.btn_help"), HELP),
        ]
    )
    rows.append(
        [
            btn(t(context, lang, "circle.btn_consent"), CONSENT),
            btn(t(context, lang, "circle.btn_support_now"), SUPPORT_NOW),
        ]
    )
    await show(update, context, text, keyboard(*rows))


async def person_view(update: Update, context: Context, person: SupportPerson) -> None:
    lang = await lang_of(update, context)
    none = t(context, lang, "circle.none")
    text = t(
        context,
        lang,
        "circle.person_view",
        name=person.name,
        relationship=person.relationship or none,
        phone=person.phone or none,
        notes=person.notes or none,
        status=status_text(context, lang, person),
    )
    pid = person.id
    rows = [
        [
            btn(t(context, lang, "circle.btn_edit_name"), EDIT, pid, "name"),
            btn(t(context, lang, "circle.btn_edit_relationship"), EDIT, pid, "relationship"),
        ],
        [
            btn(t(context, lang, "circle.btn_edit_phone"), EDIT, pid, "phone"),
            btn(t(context, lang, "circle.btn_edit_notes"), EDIT, pid, "notes"),
        ],
        [
            btn(
                t(context, lang, "circle.btn_asked_no" if person.asked else "circle.btn_asked"),
                TOGGLE_ASKED,
                pid,
            )
        ],
    ]
    if person.tg_status != "accepted":
        rows.append([btn(t(context, lang, "circle.btn_invite"), INVITE, pid)])
    rows.append([btn(t(context, lang, "circle.btn_remove"), REMOVE, pid)])
    rows.append([btn(t(context, lang, "circle.btn_back"), HOME)])
    await show(update, context, text, keyboard(*rows))


async def person_saved(update: Update, context: Context, person: SupportPerson) -> None:
    """A person just added: a short confirmation on the button, then their page."""
    if update.callback_query is not None:
        lang = await lang_of(update, context)
        await answer_quietly(
            context, update.callback_query, str(t(context, lang, "circle.added", name=person.name))
        )
    await person_view(update, context, person)


async def never_view(update: Update, context: Context) -> None:
    user = person_of(update)
    lang = await lang_of(update, context)
    entries = await context.bot_data.store.circle.never(user.id)
    lines = [
        t(context, lang, "circle.never_line", name=n.name, relationship=n.relationship or "—")
        for n in entries
    ]
    text = t(
        context,
        lang,
        "circle.never_view",
        lines=Safe("\n".join(lines)) if lines else t(context, lang, "circle.none"),
    )
    rows = [
        [btn(t(context, lang, "circle.btn_never_remove", name=n.name), NEVER_REMOVE, n.id)]
        for n in entries
    ]
    rows.append([btn(t(context, lang, "circle.btn_never_add"), NEVER_ADD)])
    rows.append([btn(t(context, lang, "circle.btn_back"), HOME)])
    await show(update, context, text, keyboard(*rows))


def preview_of(context: Context, lang: str, sender: str, help_text: str) -> Safe:
    """Exactly what a support person receives (the bot adds only who it is from)."""
    return t(context, lang, "circle.help_message", sender=sender, text=help_text)


async def help_view(update: Update, context: Context) -> None:
    user = person_of(update)
    lang = await lang_of(update, context)
    profile = await context.bot_data.store.circle.profile(user.id)
    back = [btn(t(context, lang, "circle.btn_back"), HOME)]
    write = [btn(t(context, lang, "circle.btn_help_write"), HELP_WRITE)]
    if profile.help_text:
        text = t(
            context,
            lang,
            "circle.help_current",
            preview=preview_of(
                context, lang, profile.display_name or user.first_name, profile.help_text
            ),
        )
        markup = keyboard(
            write, [btn(t(context, lang, "circle.btn_help_delete"), HELP_DELETE)], back
        )
    else:
        text = t(context, lang, "circle.help_intro")
        markup = keyboard(write, back)
    await show(update, context, text, markup)


async def help_preview(update: Update, context: Context, words: str) -> None:
    user = person_of(update)
    lang = await lang_of(update, context)
    profile = await context.bot_data.store.circle.profile(user.id)
    text = t(
        context,
        lang,
        "circle.help_preview",
        preview=preview_of(context, lang, profile.display_name or user.first_name, words),
    )
    markup = keyboard(
        [btn(t(context, lang, "circle.btn_help_save"), HELP_SAVE)],
        [
            btn(t(context, lang, "circle.btn_help_rewrite"), HELP_WRITE),
            btn(t(context, lang, "circle.btn_cancel"), CANCEL),
        ],
    )
    await show(update, context, text, markup)


# -- buttons ---------------------------------------------------------------------------------


async def on_home(update: Update, context: Context, _pressed: Callback) -> None:
    await home(update, context)


async def on_cancel(update: Update, context: Context, _pressed: Callback) -> None:
    await guide.end(context.app, person_of(update).id)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.cancelled"))


async def on_add(update: Update, context: Context, _pressed: Callback) -> None:
    await persons.may_add(context.app, person_of(update).id)
    await ask(update, context, guide.ADD_NAME, {})


async def on_add_asked(update: Update, context: Context, pressed: Callback) -> None:
    added = await guide.finish_add(context.app, person_of(update).id, pressed.text(0) == "1")
    if added is None:
        await reply(update, context, "circle.full", limit=persons.MAX_PERSONS)
        return
    await person_saved(update, context, added)


async def on_person(update: Update, context: Context, pressed: Callback) -> None:
    person = await persons.own_person(context.app, person_of(update).id, pressed.number(0))
    await person_view(update, context, person)


async def on_edit(update: Update, context: Context, pressed: Callback) -> None:
    person = await persons.own_person(context.app, person_of(update).id, pressed.number(0))
    field = pressed.text(1)
    if field not in PERSON_FIELDS:
        raise StaleButtonError
    await ask(update, context, guide.editing(person.id, field), {})


async def on_toggle_asked(update: Update, context: Context, pressed: Callback) -> None:
    person = await persons.own_person(context.app, person_of(update).id, pressed.number(0))
    refreshed = await persons.toggle_asked(context.app, person)
    if refreshed is not None:
        await person_view(update, context, refreshed)


async def on_remove(update: Update, context: Context, pressed: Callback) -> None:
    person = await persons.own_person(context.app, person_of(update).id, pressed.number(0))
    lang = await lang_of(update, context)
    await show(
        update,
        context,
        t(context, lang, "circle.remove_confirm", name=person.name),
        keyboard(
            [btn(t(context, lang, "circle.btn_remove_yes"), REMOVE_YES, person.id)],
            [btn(t(context, lang, "circle.btn_back"), PERSON, person.id)],
        ),
    )


async def on_remove_yes(update: Update, context: Context, pressed: Callback) -> None:
    person = await persons.own_person(context.app, person_of(update).id, pressed.number(0))
    await persons.remove(context.app, person)
    query = update.callback_query
    if query is not None:
        lang = await lang_of(update, context)
        await answer_quietly(
            context, query, str(t(context, lang, "circle.removed", name=person.name))
        )
    await home(update, context)


async def on_never(update: Update, context: Context, _pressed: Callback) -> None:
    await never_view(update, context)


async def on_never_add(update: Update, context: Context, _pressed: Callback) -> None:
    await ask(update, context, guide.NEVER_NAME, {})


async def on_never_remove(update: Update, context: Context, pressed: Callback) -> None:
    await persons.remove_never(context.app, person_of(update).id, pressed.number(0))
    await never_view(update, context)


async def on_help(update: Update, context: Context, _pressed: Callback) -> None:
    await help_view(update, context)


async def on_help_write(update: Update, context: Context, _pressed: Callback) -> None:
    await ask(update, context, guide.HELP_TEXT, {})


async def on_help_delete(update: Update, context: Context, _pressed: Callback) -> None:
    await persons.save_help_text(context.app, person_of(update).id, None)
    await help_view(update, context)


async def on_help_save(update: Update, context: Context, _pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft_in(context.app, user.id, guide.HELP_PREVIEW)
    await persons.save_help_text(context.app, user.id, str(draft.data.get("text", "")))
    await guide.end(context.app, user.id)
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.help_saved"))
