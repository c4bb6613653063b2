"""The Verbatim app: a chat mode for patients and a look-up mode for staff, over one Bot."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from bot.chatbot import Bot

from .chat import ChatScreen
from .lookup import LookupScreen
from .modals import ErrorScreen, HelpScreen

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
    ]

    def __init__(self, bot: Bot | None, error: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.animation_level = "none"  # calm and cheap on slow terminals
        self.bot = bot
        self.error = error
        if bot is not None:
            self.add_mode("chat", lambda: ChatScreen(bot))
            self.add_mode("lookup", lambda: LookupScreen(bot))

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        if self.bot is None:
            self.push_screen(ErrorScreen(self.error or "error"))
            return
        self.switch_mode("chat")
        problems = [f"{s.path} ({s.reason})" for s in self.bot.skipped] + self.bot.warnings
        if problems:
            self.notify(self.bot.messages.get("skipped_files", query="; ".join(problems[:5])),
                        markup=False, severity="warning", timeout=8)

    def action_help(self) -> None:
        if self.bot is not None and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.bot))

    def action_toggle_lookup(self) -> None:
        if self.bot is not None:
            self.switch_mode("chat" if self.current_mode == "lookup" else "lookup")

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
            yield SystemCommand("More results", "Next passages for the last question (Ctrl+N)",
                                screen.action_more)
            yield SystemCommand("Show context", "The text around the last quote (Ctrl+T)",
                                screen.action_context)
            yield SystemCommand("Copy quote", "Copy the last quote with its citation (Ctrl+Y)",
                                screen.action_copy)
            yield SystemCommand("Export transcript", "Save the conversation as Markdown (Ctrl+S)",
                                screen.action_export)
        if isinstance(screen, LookupScreen):
            yield SystemCommand("Go to passage", "Jump to a passage by id (Ctrl+G)", screen.action_jump)
            yield SystemCommand("Browse passages", "Every passage by section (Ctrl+B)",
                                screen.action_browse)
