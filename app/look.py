"""The look: Fusion style with a palette that follows the system's light/dark setting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ColorGroup = QPalette.ColorGroup
Role = QPalette.ColorRole

# A neutral dark palette close to Windows 11's dark mode (Fusion's own is for light only).
_DARK = {
    Role.Window: "#202020",
    Role.WindowText: "#ffffff",
    Role.Base: "#292929",
    Role.AlternateBase: "#303030",
    Role.ToolTipBase: "#2b2b2b",
    Role.ToolTipText: "#ffffff",
    Role.PlaceholderText: "#9a9a9a",
    Role.Text: "#ffffff",
    Role.Button: "#333333",
    Role.ButtonText: "#ffffff",
    Role.BrightText: "#ff6b6b",
    Role.Light: "#3a3a3a",
    Role.Midlight: "#333333",
    Role.Mid: "#262626",
    Role.Dark: "#141414",
    Role.Shadow: "#000000",
    Role.Highlight: "#2f6fbf",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#6cb4ff",
    Role.LinkVisited: "#b59cff",
}
_DARK_DISABLED = {
    Role.WindowText: "#7a7a7a",
    Role.Text: "#7a7a7a",
    Role.ButtonText: "#7a7a7a",
    Role.Highlight: "#3a3a3a",
    Role.HighlightedText: "#9a9a9a",
}


def prepare_high_dpi() -> None:
    """Call before QApplication exists: honour fractional scaling (125 %, 150 %) exactly."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )


def dark_palette() -> QPalette:
    """Fusion's palette for dark mode."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(ColorGroup.Disabled, role, QColor(colour))
    return palette


def is_dark(app: QGuiApplication) -> bool:
    """True when the system asks for dark mode."""
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


SCHEMES = ("system", "light", "dark")


def apply_look(app: QApplication, scheme: str = "system") -> None:
    """Fusion, the palette for the colour scheme, and re-apply when the user flips it.

    ``scheme`` "light" or "dark" overrides the system setting (``--theme``; screenshots).
    Platforms may ignore a requested scheme (offscreen does), so the choice is applied here.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown colour scheme {scheme!r}")
    app.setStyle("Fusion")
    hints = app.styleHints()
    if scheme == "system":
        hints.colorSchemeChanged.connect(lambda _scheme: _apply_palette(app, is_dark(app)))
        _apply_palette(app, is_dark(app))
    else:
        wanted = Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light
        hints.setColorScheme(wanted)  # native parts (title bar) follow where supported
        _apply_palette(app, scheme == "dark")


def _apply_palette(app: QApplication, dark: bool) -> None:
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
