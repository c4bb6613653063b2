"""Small screens over the chat: help, export, jump to a passage, a fatal load error."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from bot.messages import Messages
from bot.models import Reply

from .export import ExportPathError, transcript, write_private
from .widgets import calm_input

KEYS = [
    ("Enter", "ask (chat); open the chosen result in the preview (look-up)"),
    ("Up / Down", "earlier questions (chat); move through results (look-up)"),
    ("PageUp/Dn", "scroll the chat; PageDown also jumps to a new reply below"),
    ("Ctrl+N/F3", "more results for the last question"),
    ("Ctrl+T/F4", "show the text around the last quote"),
    ("Ctrl+Y", "copy the quote in view, or the previewed passage (look-up)"),
    ("Ctrl+S", "save (export) the conversation to a Markdown file"),
    ("F2", "switch between the chat and the look-up screen"),
    ("Ctrl+G", "look-up: go to a passage by id"),
    ("Ctrl+B", "look-up: browse every passage by section"),
    ("Ctrl+P", "command palette"),
    ("F1", "this help"),
    ("Escape", "hide the pinned emergency message; leave look-up or this help"),
    ("Ctrl+Q/F10", "quit"),
]


class HelpScreen(ModalScreen):
    """Every key, and what the bot cannot do."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
                                  border: round $accent; background: $surface; padding: 0 1; }
    HelpScreen Static { height: auto; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # Up/Down/PageDown scroll the help

    def __init__(self, messages: Messages, **kwargs):
        super().__init__(**kwargs)
        self.messages = messages

    def compose(self) -> ComposeResult:
        keys = Content("\n").join(
            Content.assemble((f"{k:<11}", "bold"), d) for k, d in KEYS
        )
        with VerticalScroll() as box:
            box.border_subtitle = "Up/Down to scroll · Esc to close"
            yield Static(Content.assemble(("Keys", "bold"), "\n", keys))
            yield Static(Content("\n" + self.messages.get("help")))


class ExportScreen(ModalScreen):
    """Ask for a file name and write the transcript there; never overwrite unasked."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $accent;
                              background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, messages: Messages, replies: list[Reply], **kwargs):
        super().__init__(**kwargs)
        self.messages = messages
        self.replies = replies
        self._confirmed: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.messages.get("export_prompt")), id="export-help")
            yield calm_input(value="verbatim-conversation.md", id="export-name")

    @on(Input.Submitted, "#export-name")
    def save(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        text = transcript(self.replies, self.messages)
        try:
            path = write_private(name, text, overwrite=self._confirmed == name)
        except FileExistsError:
            self._confirmed = name
            self.query_one("#export-help", Static).update(
                Content(self.messages.get("export_exists")))
            return
        except ExportPathError as exc:
            self.query_one("#export-help", Static).update(Content(exc.reason))
            return
        except OSError as exc:
            self.notify(self.messages.get("export_failed", query=str(exc)), markup=False,
                        severity="error")
            return
        self.notify(self.messages.get("exported", query=str(path)), markup=False)
        self.dismiss(str(path))


class JumpScreen(ModalScreen[str]):
    """Type a passage id; the look-up screen shows it."""

    DEFAULT_CSS = """
    JumpScreen { align: center middle; }
    JumpScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $accent;
                            background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, bot, **kwargs):
        super().__init__(**kwargs)
        self.bot = bot

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.bot.messages.get("jump_prompt")))
            yield calm_input(id="jump-id")

    @on(Input.Submitted, "#jump-id")
    def jump(self, event: Input.Submitted) -> None:
        if self.bot.passage(event.value) is None:
            self.notify(self.bot.messages.get("no_such_passage"), markup=False, severity="warning")
            return
        self.dismiss(event.value.strip())


class ErrorScreen(Screen):
    """Shown instead of the chat when the documents could not be opened."""

    BINDINGS = [Binding("escape,q,enter", "app.quit", "Quit")]

    def __init__(self, text: str, **kwargs):
        super().__init__(**kwargs)
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(self.text), id="error")
