"""Profiles: the --profile layout, the demo's throwaway profile, real ones never removed."""

from __future__ import annotations

from pathlib import Path

from app.profile import choose_profile, profile_at, temporary_profile


def test_profile_dir_holds_settings_cache_and_logs(tmp_path: Path) -> None:
    profile = profile_at(tmp_path / "p").ensure()
    assert profile.settings_path == (tmp_path / "p" / "settings.ini").resolve()
    for path in (profile.cache_dir, profile.data_dir, profile.log_dir):
        assert path.is_dir()
        assert (tmp_path / "p").resolve() in path.parents
    assert not profile.temporary


def test_demo_gets_a_temporary_profile_that_is_removed_on_discard() -> None:
    profile = choose_profile(profile_dir=None, demo=True)
    try:
        assert profile.temporary
        assert profile.config_dir.is_dir()
        profile.settings_path.write_text("[x]\n")
    finally:
        profile.discard()
    assert not profile.config_dir.exists()


def test_explicit_profile_wins_over_demo_and_is_never_discarded(tmp_path: Path) -> None:
    profile = choose_profile(profile_dir=tmp_path / "kept", demo=True)
    profile.settings_path.write_text("[x]\n")
    profile.discard()
    assert profile.settings_path.exists()


def test_discard_refuses_a_directory_it_did_not_create(tmp_path: Path) -> None:
    temp = temporary_profile()
    temp.discard()
    foreign = type(temp)(
        config_dir=tmp_path,
        cache_dir=tmp_path,
        data_dir=tmp_path,
        log_dir=tmp_path,
        temporary=True,
    )
    (tmp_path / "keep.txt").write_text("x")
    foreign.discard()
    assert (tmp_path / "keep.txt").exists()
