"""Setting up groups as their owners and admins would: creating them, adding the bot,
promoting and demoting people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from emulator.errors import EmulatorError
from emulator.handles import ChatRef, GroupHandle, UserRef, ref_id
from emulator.lookup import WorldAccess
from emulator.rules import change_member, deliver, service_message
from emulator.serialize import user_json
from emulator.world import AdminRights, Chat, Membership, Permissions, User


def _rights(base: AdminRights | None, changes: Mapping[str, bool]) -> AdminRights:
    unknown = set(changes) - set(AdminRights.names())
    if unknown:
        raise EmulatorError(f"unknown administrator rights: {sorted(unknown)}")
    values = (base or AdminRights()).as_dict()
    values.update({name: bool(value) for name, value in changes.items()})
    return AdminRights(**values)


class GroupSetup(WorldAccess):
    def add_group(
        self,
        title: str,
        *,
        owner: UserRef,
        admins: Sequence[UserRef] = (),
        members: Sequence[UserRef] = (),
        join_by_request: bool = False,
        username: str | None = None,
        description: str | None = None,
        permissions: Mapping[str, bool] | None = None,
        anonymous_owner: bool = False,
        chat_id: int | None = None,
    ) -> GroupHandle:
        """A supergroup that already exists (no updates are produced for its setup)."""
        world = self._world
        group_id = chat_id if chat_id is not None else world.new_group_id()
        if group_id in world.chats or group_id >= 0:
            raise EmulatorError(f"invalid or taken group id {group_id}")
        chat = Chat(
            id=group_id,
            type="supergroup",
            title=title,
            username=username,
            description=description,
            join_by_request=join_by_request,
            permissions=Permissions.from_mapping(dict(permissions), default=True)
            if permissions
            else Permissions(),
        )
        owner_user = self._user(owner)
        chat.members[owner_user.id] = Membership(
            owner_user.id, "creator", rights=AdminRights(is_anonymous=anonymous_owner)
        )
        for admin in admins:
            user = self._user(admin)
            chat.members[user.id] = Membership(user.id, "administrator", rights=AdminRights())
        for member in members:
            user = self._user(member)
            chat.members.setdefault(user.id, Membership(user.id, "member"))
        world.chats[chat.id] = chat
        return GroupHandle(chat.id, title)

    def _check_can_promote(self, chat: Chat, by: UserRef) -> int:
        actor = self._user(by)
        membership = self._world.member(chat, actor.id)
        allowed = membership.status == "creator" or (
            membership.status == "administrator"
            and membership.rights is not None
            and membership.rights.can_promote_members
        )
        if not allowed:
            raise EmulatorError(f"{actor.full_name} can't add administrators in {chat.title}")
        return actor.id

    def _owner(self, chat: Chat) -> int:
        for user_id, membership in chat.members.items():
            if membership.status == "creator":
                return user_id
        raise EmulatorError(f"{chat.title} has no owner")

    def add_bot_to_group(
        self,
        chat: ChatRef,
        *,
        by: UserRef,
        as_admin: bool = True,
        rights: Mapping[str, bool] | None = None,
    ) -> None:
        """An admin adds the bot (my_chat_member update, plus the 'joined' service message)."""
        world = self._world
        group = self._group(chat)
        actor = self._user(by)
        actor_membership = world.member(group, actor.id)
        if as_admin:
            self._check_can_promote(group, actor.id)
        elif not (actor_membership.is_admin or group.permissions.can_invite_users):
            raise EmulatorError(f"{actor.full_name} can't add members to {group.title}")
        was_active = world.bot_member(group).active
        new_rights = _rights(None, rights or {}) if as_admin else None

        def add(membership: Membership) -> None:
            membership.status = "administrator" if as_admin else "member"
            membership.rights = new_rights
            membership.until_date = 0
            membership.permissions = None

        change_member(world, group, world.bot.id, actor.id, add)
        if not was_active:
            bot_json = user_json(world.bot)
            service_message(
                world,
                group,
                actor.id,
                {
                    "new_chat_members": [bot_json],
                    "new_chat_member": bot_json,
                    "new_chat_participant": bot_json,
                },
                f"{actor.full_name} added {world.bot.first_name}"
                + (" as an administrator" if as_admin else ""),
            )

    def remove_bot_from_group(self, chat: ChatRef, *, by: UserRef) -> None:
        """An admin removes (bans) the bot: later calls get 'bot was kicked'."""
        world = self._world
        group = self._group(chat)
        actor_id = self._check_can_promote(group, by)

        def kick(membership: Membership) -> None:
            membership.status = "kicked"
            membership.rights = None
            membership.until_date = 0

        change_member(world, group, world.bot.id, actor_id, kick)
        world.log(
            group.id,
            world.display_name(actor_id),
            f"{world.display_name(actor_id)} removed {world.bot.first_name}",
            service=True,
        )

    def set_bot_rights(self, chat: ChatRef, *, by: UserRef | None = None, **rights: bool) -> None:
        """Change the bot's administrator rights (promoting it if it is a plain member)."""
        group = self._group(chat)
        self._promote(group, self._world.bot, by, None, rights)

    def promote(
        self,
        chat: ChatRef,
        user: UserRef,
        *,
        by: UserRef | None = None,
        custom_title: str | None = None,
        **rights: bool,
    ) -> None:
        self._promote(self._group(chat), self._user(user), by, custom_title, rights)

    def _promote(
        self,
        group: Chat,
        target: User,
        by: UserRef | None,
        custom_title: str | None,
        rights: Mapping[str, bool],
    ) -> None:
        world = self._world
        actor_id = self._check_can_promote(group, by if by is not None else self._owner(group))
        current = world.member(group, target.id)
        if current.status == "creator":
            raise EmulatorError("the owner's rights can't be changed")
        if not current.active:
            raise EmulatorError(f"{target.full_name} is not a member of {group.title}")
        new_rights = _rights(current.rights, rights)

        def promote(membership: Membership) -> None:
            membership.status = "administrator"
            membership.rights = new_rights
            membership.permissions = None
            membership.until_date = 0
            membership.custom_title = custom_title or membership.custom_title
            membership.promoted_by_bot = False

        change_member(world, group, target.id, actor_id, promote)
        world.log(
            group.id,
            world.display_name(actor_id),
            f"{world.display_name(actor_id)} made {target.full_name} an administrator",
            service=True,
        )

    def demote(self, chat: ChatRef, user: UserRef, *, by: UserRef | None = None) -> None:
        world = self._world
        group = self._group(chat)
        target = self._user(user)
        actor_id = self._check_can_promote(group, by if by is not None else self._owner(group))
        if world.member(group, target.id).status != "administrator":
            raise EmulatorError(f"{target.full_name} is not an administrator")

        def demote(membership: Membership) -> None:
            membership.status = "member"
            membership.rights = None
            membership.custom_title = None

        change_member(world, group, target.id, actor_id, demote)
        world.log(
            group.id,
            world.display_name(actor_id),
            f"{world.display_name(actor_id)} removed {target.full_name} as an administrator",
            service=True,
        )

    def set_group_permissions(self, chat: ChatRef, **permissions: bool) -> None:
        """The owner changes the group's default permissions."""
        group = self._group(chat)
        values = group.permissions.as_dict()
        values.update(permissions)
        group.permissions = Permissions(**values)

    def is_admin(self, chat: ChatRef, user: UserRef) -> bool:
        return self._world.member(self._group(chat), ref_id(user)).is_admin

    def create_topic(self, chat: ChatRef, name: str, *, by: UserRef) -> int:
        """An administrator turns on topics (the group becomes a forum) and creates one;
        returns its ``message_thread_id``. Telegram posts a service message that opens it."""
        world = self._world
        group, person = self._chat(chat), self._user(by)
        if not world.member(group, person.id).is_admin:
            raise EmulatorError(f"{person.full_name} is not an administrator of {group.title}")
        if not name.strip() or len(name) > 128:
            raise EmulatorError("a topic needs a name of 1 to 128 characters")
        group.is_forum = True
        service = {"forum_topic_created": {"name": name, "icon_color": 7322096}}
        message = world.new_message(group, person.id, service=service)
        message.thread_id = message.message_id
        group.topics[message.message_id] = name
        world.log(group.id, person.full_name, f"created the topic “{name}”", service=True)
        deliver(world, message)
        return message.message_id
