"""Acting as people: each action produces exactly the updates Telegram would send the bot,
and is refused (EmulatorError) where the Telegram app would not let the person do it."""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from emulator.errors import EmulatorError
from emulator.formatting import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, format_text
from emulator.handles import ChatRef, UserHandle, UserRef
from emulator.joining import admit, depart, link_problem
from emulator.lookup import WorldAccess
from emulator.methods.media import store_file
from emulator.rules import can_post, change_member, deliver, log_message
from emulator.serialize import chat_json, invite_link_json, message_json, user_json
from emulator.state import JOIN_REQUEST_DM_WINDOW
from emulator.world import (
    ACTIVE_STATUSES,
    ANONYMOUS_ADMIN_ID,
    CHANNEL_BOT_ID,
    JSON,
    CallbackQuery,
    Chat,
    InviteLink,
    JoinRequest,
    MediaFile,
    Membership,
    User,
)

_START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PLACEHOLDER_PHOTO = b"\xff\xd8\xff\xe0emulated-photo"
_PLACEHOLDER_VOICE = b"OggSemulated-voice"
_PLACEHOLDER_STICKER = b"RIFFemulated-sticker"


class PeopleActions(WorldAccess):
    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_premium: bool = False,
        is_bot: bool = False,
        user_id: int | None = None,
    ) -> UserHandle:
        world = self._world
        new_id = user_id if user_id is not None else world.new_user_id()
        if new_id in world.users or new_id <= 0:
            raise EmulatorError(f"invalid or taken user id {new_id}")
        user = User(
            id=new_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            is_premium=is_premium,
            is_bot=is_bot,
        )
        world.users[user.id] = user
        return self._handle(user)

    def set_username(self, user: UserRef, username: str | None) -> None:
        """The person changes (or removes) their @username in Telegram's settings: updates
        carry the new one from now on. Usernames are unique, 5-32 of a-z, 0-9 and _."""
        person = self._user(user)
        if username is not None:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", username):
                raise EmulatorError("USERNAME_INVALID")
            taken = any(
                (u.username or "").lower() == username.lower() and u.id != person.id
                for u in self._world.users.values()
            )
            if taken:
                raise EmulatorError("USERNAME_OCCUPIED")
        person.username = username

    # -- the private chat with the bot -----------------------------------------------------

    def start_bot(self, user: UserRef, payload: str | None = None) -> int:
        """The person presses START (or opens a deep link): a private '/start [payload]'."""
        person = self._user(user)
        if payload is not None and not _START_PAYLOAD.match(payload):
            raise EmulatorError("a start payload is 1-64 characters of A-Z, a-z, 0-9, _ and -")
        if person.has_blocked_bot:
            self.unblock_bot(person.id)
        person.has_started_bot = True
        chat = self._world.private_chat(person)
        return self._post(chat, person, "/start" + (f" {payload}" if payload else ""))

    def _set_blocked(self, person: User, blocked: bool) -> None:
        world = self._world
        chat = world.private_chat(person)
        person.has_blocked_bot = blocked

        def apply(membership: Membership) -> None:
            membership.status = "kicked" if blocked else "member"
            membership.until_date = 0

        change_member(world, chat, world.bot.id, person.id, apply)
        verb = "blocked" if blocked else "unblocked"
        world.log(chat.id, person.full_name, f"{person.full_name} {verb} the bot", service=True)

    def block_bot(self, user: UserRef) -> None:
        person = self._user(user)
        if not person.has_blocked_bot:
            self._set_blocked(person, True)

    def unblock_bot(self, user: UserRef) -> None:
        person = self._user(user)
        if person.has_blocked_bot:
            self._set_blocked(person, False)

    def open_link(self, user: UserRef, url: str) -> str:
        """Follow a t.me link: a bot deep link starts the bot ('started'); an invite link
        joins ('joined') or sends a join request ('requested')."""
        person = self._user(user)
        parts = urlsplit(url if "://" in url else "https://" + url)
        if parts.netloc.lower() not in ("t.me", "telegram.me"):
            raise EmulatorError(f"not a Telegram link: {url}")
        path = parts.path.strip("/")
        if path.startswith(("+", "joinchat/")):
            invite_hash = path[1:] if path.startswith("+") else path.removeprefix("joinchat/")
            link = self._world.links.get("https://t.me/+" + invite_hash)
            if link is None:
                raise EmulatorError("this invite link is invalid")
            if link.creates_join_request:
                self.request_join(link.chat_id, person.id, invite_link=link.url)
                return "requested"
            self.join(link.chat_id, person.id, invite_link=link.url)
            return "joined"
        bot_name = (self._world.bot.username or "").lower()
        if path.lower() == bot_name:
            payload = parse_qs(parts.query).get("start", [None])[0]
            self.start_bot(person.id, payload)
            return "started"
        raise EmulatorError(f"unsupported link: {url}")

    # -- groups -----------------------------------------------------------------------------

    def _usable_link(self, chat: Chat, invite_link: str) -> InviteLink:
        link = self._world.links.get(invite_link)
        if link is None or link.chat_id != chat.id:
            raise EmulatorError("this invite link is invalid")
        problem = link_problem(self._world, link)
        if problem:
            raise EmulatorError(problem)
        return link

    def _check_can_enter(self, chat: Chat, person: User) -> None:
        membership = self._world.member(chat, person.id)
        if membership.active:
            raise EmulatorError(f"{person.full_name} is already a member of {chat.title}")
        if membership.status == "kicked":
            raise EmulatorError(f"{person.full_name} is banned from {chat.title}")

    def join(self, chat: ChatRef, user: UserRef, *, invite_link: str | None = None) -> int:
        """Join directly or through an invite link; returns the 'joined' service message id."""
        group = self._group(chat)
        person = self._user(user)
        self._check_can_enter(group, person)
        link = None
        if invite_link is not None:
            link = self._usable_link(group, invite_link)
            if link.creates_join_request:
                raise EmulatorError("this link needs an admin's approval: send a join request")
        elif group.join_by_request:
            raise EmulatorError(f"{group.title} only takes join requests")
        return admit(self._world, group, person, person.id, link=link)

    def add_member(self, chat: ChatRef, user: UserRef, *, by: UserRef) -> int:
        """``by`` adds ``user`` (one of their contacts) to the group, as the Telegram app lets
        a member with the right to invite do; returns the 'joined' service message id."""
        group = self._group(chat)
        person = self._user(user)
        actor = self._user(by)
        membership = self._world.member(group, actor.id)
        if not membership.active:
            raise EmulatorError(f"{actor.full_name} is not in {group.title}")
        if not (membership.is_admin or group.permissions.can_invite_users):
            raise EmulatorError(f"{actor.full_name} can't add members to {group.title}")
        self._check_can_enter(group, person)
        return admit(self._world, group, person, actor.id)

    def leave(self, chat: ChatRef, user: UserRef) -> None:
        group = self._group(chat)
        person = self._user(user)
        membership = self._world.member(group, person.id)
        if not membership.active:
            raise EmulatorError(f"{person.full_name} is not in {group.title}")
        if membership.status == "creator":
            raise EmulatorError("the owner can't leave in the emulator")
        depart(self._world, group, person, person.id, kicked_until=None)

    def request_join(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        invite_link: str | None = None,
        bio: str | None = None,
    ) -> None:
        world = self._world
        group = self._group(chat)
        person = self._user(user)
        self._check_can_enter(group, person)
        link = None
        if invite_link is not None:
            link = self._usable_link(group, invite_link)
            if not link.creates_join_request:
                raise EmulatorError("this link joins directly: use join")
        elif not group.join_by_request:
            raise EmulatorError(f"{group.title} doesn't take join requests")
        if (group.id, person.id) in world.join_requests:
            raise EmulatorError(f"{person.full_name} already asked to join {group.title}")
        request = JoinRequest(
            group.id, person.id, world.today(), link.url if link else None, bio=bio
        )
        world.join_requests[(group.id, person.id)] = request
        world.log(group.id, person.full_name, f"{person.full_name} asked to join", service=True)
        if not world.bot_right(group, "can_invite_users"):
            return
        person.dm_window_until = world.now() + JOIN_REQUEST_DM_WINDOW
        payload: JSON = {
            "chat": chat_json(world, group),
            "from": user_json(person),
            "user_chat_id": person.id,
            "date": request.date,
        }
        if bio:
            payload["bio"] = bio
        if link is not None:
            payload["invite_link"] = invite_link_json(world, link)
        world.updates.push("chat_join_request", payload)

    # -- messages ---------------------------------------------------------------------------

    def _check_can_send(self, chat: Chat, person: User, kind: str, anonymous: bool) -> None:
        world = self._world
        if chat.is_private:
            if chat.id != person.id:
                raise EmulatorError("people can only write in their own chat with the bot")
            if person.has_blocked_bot:
                raise EmulatorError(f"{person.full_name} blocked the bot")
            if not person.has_started_bot:
                raise EmulatorError(f"{person.full_name} has not started the bot (start_bot)")
            return
        if anonymous:
            if not world.member(chat, person.id).is_admin:
                raise EmulatorError("only administrators can post anonymously")
            return
        if not can_post(world, chat, person.id, kind):
            status = world.member(chat, person.id).status
            raise EmulatorError(f"{person.full_name} can't post {kind} in {chat.title} ({status})")

    def _post(
        self,
        chat: Chat,
        person: User,
        text: str | None,
        *,
        kind: str = "text",
        media: MediaFile | None = None,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        mentions: Mapping[str, UserRef] | None = None,
        thread_id: int | None = None,
        parse_mode: str | None = None,
        forward_origin: JSON | None = None,
        reply_markup: JSON | None = None,
        extra: JSON | None = None,
    ) -> int:
        world = self._world
        self._check_can_send(chat, person, kind, anonymous_admin)
        if thread_id is not None and thread_id not in chat.topics:
            raise EmulatorError(f"{world.chat_label(chat.id)} has no topic {thread_id}")
        if reply_to is not None:
            replied = chat.messages.get(reply_to)
            if replied is None or replied.deleted:
                raise EmulatorError(f"message {reply_to} is not in {world.chat_label(chat.id)}")
        body, entities = format_text(text, parse_mode) if text else ("", [])
        if media is None and not body:
            raise EmulatorError("a message needs some text")
        if len(body) > (MAX_CAPTION_LENGTH if media else MAX_TEXT_LENGTH):
            raise EmulatorError("the message is too long")
        if mentions:
            entities = self._text_mentions(body, entities, mentions)
        if thread_id is None and reply_to is not None:
            thread_id = chat.messages[reply_to].thread_id
        fields: dict[str, object] = {"reply_to": reply_to, "thread_id": thread_id}
        if media is None:
            fields.update(text=body, entities=entities)
        else:
            fields.update(media=media, caption=body or None, caption_entities=entities)
        if anonymous_admin:
            fields["sender_chat_id"] = chat.id
        if forward_origin is not None:
            fields["forward_origin"] = forward_origin
        if reply_markup is not None:
            fields["reply_markup"] = reply_markup
        if extra:
            fields["extra"] = dict(extra)
        sender = ANONYMOUS_ADMIN_ID if anonymous_admin else person.id
        message = world.new_message(chat, sender, **fields)
        log_message(world, message)
        deliver(world, message)
        return message.message_id

    def _text_mentions(
        self, body: str, entities: list[JSON], mentions: Mapping[str, UserRef]
    ) -> list[JSON]:
        """A person picked from the app's mention list: Telegram marks the name they typed
        with a ``text_mention`` entity carrying the user (for people without a username)."""
        found = list(entities)
        for name, who in mentions.items():
            at = body.find(name)
            if at < 0:
                raise EmulatorError(f"{name!r} is not in the message")
            found.append(
                {
                    "type": "text_mention",
                    "offset": len(body[:at].encode("utf-16-le")) // 2,
                    "length": len(name.encode("utf-16-le")) // 2,
                    "user": user_json(self._user(who)),
                }
            )
        return sorted(found, key=lambda entity: int(entity["offset"]))

    def send(
        self,
        chat: ChatRef,
        user: UserRef,
        text: str,
        *,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        mentions: Mapping[str, UserRef] | None = None,
        thread_id: int | None = None,
        formatted: bool = False,
        extra: JSON | None = None,
    ) -> int:
        """Post a text message (in a forum topic with ``thread_id``); returns its message id.
        ``mentions`` maps a name written in the text to the person picked for it (a
        ``text_mention``, as Telegram's apps make). ``formatted``: the text carries the
        formatting a Telegram client lets a person add (bold, hidden links …), written as HTML
        (``<a href="https://…">here</a>`` arrives as a ``text_link`` entity). ``extra`` adds
        Bot API fields the emulator does not model (``via_bot``, ``quote``...) as given."""
        return self._post(
            self._chat(chat),
            self._user(user),
            text,
            reply_to=reply_to,
            anonymous_admin=anonymous_admin,
            mentions=mentions,
            thread_id=thread_id,
            parse_mode="HTML" if formatted else None,
            extra=extra,
        )

    def forward_from_channel(
        self,
        chat: ChatRef,
        user: UserRef,
        channel_title: str,
        text: str,
        *,
        url_buttons: list[tuple[str, str]] | None = None,
    ) -> int:
        """A person forwards a post of a public channel into ``chat``: Telegram keeps the post's
        text, its ``forward_origin`` (type ``channel``) and its URL buttons."""
        world = self._world
        # The channel itself is not part of this world (the bot is not in it): only the
        # forward's origin names it, as Telegram does.
        channel_id = -1_009_000_000_000 - zlib.crc32(channel_title.encode()) % 1_000_000_000
        channel: JSON = {"id": channel_id, "title": channel_title, "type": "channel"}
        username = re.sub(r"\W+", "", channel_title.lower())[:32]
        if len(username) >= 5:
            channel["username"] = username
        target = self._chat(chat)
        origin: JSON = {
            "type": "channel",
            "chat": channel,
            "message_id": target.next_message_id,
            "date": world.today(),
        }
        markup: JSON | None = None
        if url_buttons:
            markup = {"inline_keyboard": [[{"text": t, "url": u}] for t, u in url_buttons]}
        return self._post(
            target,
            self._user(user),
            text,
            forward_origin=origin,
            reply_markup=markup,
        )

    def vote(self, chat: ChatRef, user: UserRef, message_id: int, option: int) -> None:
        """A member answers a poll the bot sent. Telegram sends the bot a ``poll`` update with
        the new counts (and, for a non-anonymous poll, a ``poll_answer`` naming the voter)."""
        world = self._world
        group, person = self._chat(chat), self._user(user)
        message = group.messages.get(message_id)
        if message is None or message.deleted or message.poll is None:
            raise EmulatorError(f"there is no poll {message_id} in {world.chat_label(group.id)}")
        poll = message.poll
        if world.member(group, person.id).status not in ACTIVE_STATUSES:
            raise EmulatorError(f"{person.full_name} is not in {world.chat_label(group.id)}")
        if poll["is_closed"] or world.today() >= poll.get("close_date", float("inf")):
            poll["is_closed"] = True
            raise EmulatorError("the poll is closed")
        voters = world.poll_voters.setdefault(poll["id"], set())
        if person.id in voters:
            raise EmulatorError(f"{person.full_name} has already voted in this poll")
        if not 0 <= option < len(poll["options"]):
            raise EmulatorError(f"the poll has no option {option}")
        voters.add(person.id)
        poll["options"][option]["voter_count"] += 1
        poll["total_voter_count"] += 1
        world.updates.push("poll", dict(poll))
        if not poll["is_anonymous"]:
            answer = {
                "poll_id": poll["id"],
                "user": user_json(person),
                "option_ids": [option],
                "option_persistent_ids": [poll["options"][option]["persistent_id"]],
            }
            world.updates.push("poll_answer", answer)

    def forward(
        self,
        chat: ChatRef,
        user: UserRef,
        text: str,
        *,
        origin: UserRef | None = None,
        hidden_name: str | None = None,
    ) -> int:
        """The person forwards a text message written by ``origin`` (or by someone who hides
        their account: ``hidden_name``) into ``chat``: the bot gets it with ``forward_origin``."""
        world = self._world
        when = world.today()
        forwarded: JSON
        if origin is not None:
            author = user_json(self._user(origin))
            forwarded = {"type": "user", "date": when, "sender_user": author}
        else:
            name = hidden_name or "Someone"
            forwarded = {"type": "hidden_user", "date": when, "sender_user_name": name}
        return self._post(self._chat(chat), self._user(user), text, forward_origin=forwarded)

    def send_as_channel(
        self, chat: ChatRef, channel_id: int, channel_title: str, text: str
    ) -> int:
        """A message posted in the group on behalf of a channel (the group's linked channel,
        or a member writing as their channel): from Channel_Bot, with ``sender_chat``."""
        world = self._world
        group = self._chat(chat)
        if group.is_private or channel_id >= 0:
            raise EmulatorError("channels post in groups, with a negative channel id")
        body, entities = format_text(text, None)
        if not body or len(body) > MAX_TEXT_LENGTH:
            raise EmulatorError("a message needs some text, at most 4096 characters")
        sender_chat = {"id": channel_id, "title": channel_title, "type": "channel"}
        message = world.new_message(
            group, CHANNEL_BOT_ID, text=body, entities=entities, extra={"sender_chat": sender_chat}
        )
        log_message(world, message)
        deliver(world, message)
        return message.message_id

    def deliver_raw(self, kind: str, payload: JSON) -> int:
        """Queue one update exactly as given, of a kind or shape the emulator does not model
        (a channel post, a newer Bot API's update or field). Telegram applies allowed_updates
        when it makes an update, so one queued before they changed still arrives: this does
        not filter. Returns the update id."""
        return self._world.updates.push(kind, payload, filtered=False) or 0

    def edit(self, chat: ChatRef, user: UserRef, message_id: int, text: str) -> None:
        """The author edits their own text message (or a caption): Telegram sends
        ``edited_message`` with the whole message as it now reads."""
        world = self._world
        group, person = self._chat(chat), self._user(user)
        message = group.messages.get(message_id)
        if message is None or message.deleted or message.sender_id != person.id:
            raise EmulatorError(f"{person.full_name} has no message {message_id} to edit there")
        body, entities = format_text(text, None)
        if not body:
            raise EmulatorError("a message needs some text")
        if message.media is None:
            message.text, message.entities = body, entities
        else:
            message.caption, message.caption_entities = body, entities
        message.edit_date = world.today()
        log_message(world, message)
        deliver(world, message, edited=True)

    def send_photo(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        caption: str | None = None,
        data: bytes = _PLACEHOLDER_PHOTO,
        reply_to: int | None = None,
    ) -> int:
        media = store_file(self._world, "photo", "photo.jpg", data)
        return self._post(
            self._chat(chat),
            self._user(user),
            caption,
            kind="photo",
            media=media,
            reply_to=reply_to,
        )

    def send_voice(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        duration: int = 3,
        data: bytes = _PLACEHOLDER_VOICE,
        reply_to: int | None = None,
    ) -> int:
        media = store_file(self._world, "voice", "voice.ogg", data, duration=duration)
        return self._post(
            self._chat(chat), self._user(user), None, kind="voice", media=media, reply_to=reply_to
        )

    def send_sticker(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        emoji: str = "👍",
        reply_to: int | None = None,
    ) -> int:
        media = store_file(
            self._world, "sticker", "sticker.webp", _PLACEHOLDER_STICKER, emoji=emoji
        )
        return self._post(
            self._chat(chat),
            self._user(user),
            None,
            kind="sticker",
            media=media,
            reply_to=reply_to,
        )

    def send_document(
        self,
        chat: ChatRef,
        user: UserRef,
        file_name: str,
        data: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        media = store_file(self._world, "document", file_name, data)
        return self._post(
            self._chat(chat),
            self._user(user),
            caption,
            kind="document",
            media=media,
            reply_to=reply_to,
        )

    def react(self, chat: ChatRef, user: UserRef, message_id: int, emoji: str = "👍") -> None:
        """Put an emoji reaction on a group message. Telegram tells the bot only when it is an
        administrator there (and asked for ``message_reaction`` updates)."""
        world = self._world
        group = self._group(chat)
        person = self._user(user)
        message = group.messages.get(message_id)
        if message is None or message.deleted:
            raise EmulatorError(f"message {message_id} is not in {group.title}")
        if not world.member(group, person.id).active:
            raise EmulatorError(f"{person.full_name} is not in {group.title}")
        world.log(group.id, person.full_name, f"{person.full_name} reacted {emoji}", service=True)
        if not world.bot_is_admin(group):
            return
        world.updates.push(
            "message_reaction",
            {
                "chat": chat_json(world, group),
                "message_id": message_id,
                "user": user_json(person),
                "date": world.today(),
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": emoji}],
            },
        )

    def press(
        self,
        user: UserRef,
        chat: ChatRef,
        message_id: int,
        data: str,
        *,
        forge: bool = False,
    ) -> str:
        """Press an inline button (callback_query update); returns the query id.
        `forge=True` sends data no button carries, as a modified client could."""
        world = self._world
        target_chat = self._chat(chat)
        person = self._user(user)
        message = target_chat.messages.get(message_id)
        if message is None or message.deleted:
            raise EmulatorError(
                f"message {message_id} is not in {world.chat_label(target_chat.id)}"
            )
        if target_chat.is_private:
            if target_chat.id != person.id:
                raise EmulatorError("people only see their own chat with the bot")
        elif not world.member(target_chat, person.id).active:
            raise EmulatorError(f"{person.full_name} is not in {target_chat.title}")
        labels = [b["text"] for b in message.buttons() if b.get("callback_data") == data]
        if not labels and not forge:
            raise EmulatorError(f"message {message_id} has no button with data {data!r}")
        query = CallbackQuery(
            id=world.new_callback_id(),
            user_id=person.id,
            chat_id=target_chat.id,
            message_id=message_id,
            data=data,
            created_at=world.now(),
        )
        world.callbacks[query.id] = query
        world.updates.push(
            "callback_query",
            {
                "id": query.id,
                "from": user_json(person),
                "message": message_json(world, message),
                "chat_instance": str(abs(target_chat.id * 7919) % 10**19),
                "data": data,
            },
        )
        shown = f"[{labels[0]}]" if labels else f"forged data {data!r}"
        world.log(target_chat.id, person.full_name, f"pressed {shown}", service=False)
        return query.id
