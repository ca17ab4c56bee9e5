"""Where a run keeps settings, cache, drafts and logs: the user's, a given or a temp profile."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.product import APP_NAME

SETTINGS_FILE = "settings.ini"


@dataclass(frozen=True)
class Profile:
    """The directories one run of the app reads and writes; nothing else on disk is touched."""

    config_dir: Path
    cache_dir: Path
    data_dir: Path
    log_dir: Path
    temporary: bool = False
    """True for the demo's throwaway profile, which ``discard()`` deletes at exit."""

    @property
    def settings_path(self) -> Path:
        """The INI file QSettings uses for this profile."""
        return self.config_dir / SETTINGS_FILE

    @property
    def log_path(self) -> Path:
        """The rotating log file of this profile."""
        return self.log_dir / "dispatch-desk.log"

    @property
    def drafts_dir(self) -> Path:
        """Unsent notes and tickets, so nothing typed is lost across restarts."""
        return self.data_dir / "drafts"

    def ensure(self) -> Profile:
        """Create the directories (idempotent) and return self."""
        for path in (self.config_dir, self.cache_dir, self.data_dir, self.log_dir):
            path.mkdir(parents=True, exist_ok=True)
        return self

    def discard(self) -> None:
        """Delete a temporary profile; a no-op for a real one, which must never be removed."""
        # The name check guards against ever deleting a directory we did not create.
        if self.temporary and self.config_dir.name.startswith(_TEMP_PREFIX):
            shutil.rmtree(self.config_dir, ignore_errors=True)


_TEMP_PREFIX = "dispatch-desk-demo-"


def user_profile() -> Profile:
    """The signed-in user's profile in the platform's usual places (AppData on Windows)."""
    import platformdirs  # only the real profile needs it; --demo and --profile skip the import

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False, roaming=True)
    return Profile(
        config_dir=Path(dirs.user_config_dir),
        cache_dir=Path(dirs.user_cache_dir),
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
    )


def profile_at(root: Path) -> Profile:
    """A self-contained profile under ``root`` (``--profile DIR``; used by tests)."""
    root = root.expanduser().resolve()
    return Profile(
        config_dir=root,
        cache_dir=root / "cache",
        data_dir=root / "data",
        log_dir=root / "logs",
    )


def temporary_profile() -> Profile:
    """A throwaway profile for the demo: created empty, deleted by ``discard()`` at exit."""
    root = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX))
    base = profile_at(root)
    return Profile(
        config_dir=base.config_dir,
        cache_dir=base.cache_dir,
        data_dir=base.data_dir,
        log_dir=base.log_dir,
        temporary=True,
    )


def choose_profile(*, profile_dir: Path | None, demo: bool) -> Profile:
    """``--profile`` wins; otherwise the demo gets a temp profile and a normal run the user's."""
    if profile_dir is not None:
        return profile_at(profile_dir).ensure()
    if demo:
        return temporary_profile().ensure()
    return user_profile().ensure()
