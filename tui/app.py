"""The Verbatim app: a chat mode for patients and a look-up mode for staff, over one Bot."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from bot.messages import Messages
from bot.models import Reply

from .chat import ChatScreen
from .lookup import LookupScreen
from .modals import ErrorScreen, HelpScreen

if TYPE_CHECKING:
    from bot.chatbot import Bot

HIGH_CONTRAST = Theme(
    name="verbatim-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    warning="#ffaf00",
    error="#ff3030",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#303030",
    dark=True,
)


class VerbatimApp(App):
    """Quotes from the guide, and nothing else."""

    TITLE = "Verbatim"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "toggle_lookup", "Look-up"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Browsers keep Ctrl+N, Ctrl+T, Ctrl+W and (some) Ctrl+Q for themselves: these reach the
        # page. The footer shows them in a browser (get_key_display) and is clickable everywhere.
        Binding("f3", "screen.more", "More", show=False),
        Binding("f4", "screen.context", "Context", show=False),
        Binding("f10", "quit", "Quit", show=False, priority=True),
    ]
    WEB_KEYS = {"ctrl+n": "F3", "ctrl+t": "F4", "ctrl+q": "F10"}

    def __init__(self, bot: Bot | None = None, error: str | None = None,
                 loader: Callable[[], Bot] | None = None, messages: Messages | None = None,
                 **kwargs):
        """Give a loaded `bot`, or a `loader` that opens the documents after the first frame
        (so the input is ready to type at once), or an `error` to show."""
        super().__init__(**kwargs)
        self.animation_level = "none"  # calm and cheap on slow terminals
        self.bot = bot
        self.error = error
        self.loader = loader
        self.chat = ChatScreen(bot, messages)
        self.add_mode("chat", lambda: self.chat)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        if self.bot is None and self.loader is None:
            self.push_screen(ErrorScreen(self.error or "error"))
            return
        self.switch_mode("chat")
        if self.bot is not None:
            self.ready(self.bot)
        else:
            self.load_documents()

    @work(thread=True, exclusive=True, group="load")
    def load_documents(self) -> None:
        from bot.corpus import CorpusError

        assert self.loader is not None
        try:
            bot = self.loader()
        except CorpusError as exc:
            self.call_from_thread(self.failed, str(exc))
            return
        self.call_from_thread(self.ready, bot, True)
        # Compile the red-flag rules now, while the patient types, rather than during the
        # first questions (idempotent and thread-safe: each rule compiles to the same pattern).
        bot.warm()

    def failed(self, reason: str) -> None:
        self.push_screen(ErrorScreen(self.chat.messages.get("load_error", query=reason)))

    def ready(self, bot: Bot, attach: bool = False) -> None:
        self.bot = bot
        self.add_mode("lookup", lambda: LookupScreen(bot))
        if attach:
            self.chat.attach(bot)
        problems = [f"{s.path} ({s.reason})" for s in bot.skipped] + bot.warnings
        if problems:
            self.notify(bot.messages.get("skipped_files", query="; ".join(problems[:5])),
                        markup=False, severity="warning", timeout=8)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.chat.messages))

    def action_toggle_lookup(self) -> None:
        if self.bot is not None:
            self.switch_mode("chat" if self.current_mode == "lookup" else "lookup")

    def get_key_display(self, binding: Binding) -> str:
        """In a browser, name the key that reaches the page."""
        if self.is_web and binding.key in self.WEB_KEYS:
            return self.WEB_KEYS[binding.key]
        return super().get_key_display(binding)

    def export_transcript(self, replies: list[Reply], messages: Messages) -> None:
        """Save the conversation: a browser download in web mode (nothing is written on the
        server), else a file the user names."""
        if self.is_web:
            from .export import transcript

            name = "verbatim-conversation.md"
            self.deliver_text(io.StringIO(transcript(replies, messages)), save_filename=name,
                              mime_type="text/markdown", encoding="utf-8")
            self.notify(messages.get("exported", query=name), markup=False)
            return
        from .modals import ExportScreen

        self.push_screen(ExportScreen(messages, replies))

    def action_screenshot(self, *args, **kwargs) -> None:
        """Disabled: a screenshot would write the conversation to disk."""

    def action_high_contrast(self) -> None:
        self.theme = "verbatim-high-contrast" if self.theme != "verbatim-high-contrast" else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for cmd in super().get_system_commands(screen):
            if cmd.title not in ("Screenshot", "Maximize", "Minimize"):
                yield cmd
        if self.bot is None:
            return
        yield SystemCommand("Help", "Every key, and what Verbatim cannot do", self.action_help)
        yield SystemCommand("Look-up screen", "Search and audit passages (F2)",
                            lambda: self.switch_mode("lookup"))
        yield SystemCommand("Chat screen", "Back to the conversation", lambda: self.switch_mode("chat"))
        yield SystemCommand("High-contrast theme", "Toggle black and white high contrast",
                            self.action_high_contrast)
        if isinstance(screen, ChatScreen):
            yield SystemCommand("More results", "Next passages for the last question (Ctrl+N, F3)",
                                screen.action_more)
            yield SystemCommand("Show context", "The text around the last quote (Ctrl+T, F4)",
                                screen.action_context)
            yield SystemCommand("Copy quote", "Copy the last quote with its citation (Ctrl+Y)",
                                screen.action_copy)
            yield SystemCommand("Export transcript", "Save the conversation as Markdown (Ctrl+S)",
                                screen.action_export)
        if isinstance(screen, LookupScreen):
            yield SystemCommand("Go to passage", "Jump to a passage by id (Ctrl+G)", screen.action_jump)
            yield SystemCommand("Browse passages", "Every passage by section (Ctrl+B)",
                                screen.action_browse)
