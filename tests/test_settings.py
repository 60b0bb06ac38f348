"""Settings from the environment: each variable read under its documented name, the defaults
where a variable is unset or empty, and a value that cannot be used named in one line."""
from __future__ import annotations

import pytest

from scrutiny.errors import InvalidValue
from scrutiny.limits import Limits
from scrutiny.settings import Settings


@pytest.fixture
def env(monkeypatch):
    """Set variables for one test, none of any setting left from the machine's environment."""
    for variable in Settings.variables():
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch.setenv


def test_unset_or_empty_variables_give_the_defaults(env, tmp_path):
    env("XDG_CONFIG_HOME", str(tmp_path))
    env("SCRUTINY_DB", "")
    env("SCRUTINY_SESSION_HOURS", " ")
    settings = Settings.from_env()
    assert settings.database_url == "sqlite:///scrutiny.db" and settings.session_hours == 8
    assert (settings.max_upload_bytes, settings.max_request_bytes) == (20 * 2**20, 64 * 2**20)
    assert settings.secret_key is None and settings.secret_file == str(tmp_path / "scrutiny" / "secret-key")
    assert not settings.read_requires_login and not settings.secure_cookies
    assert settings.limits == Limits()


def test_each_variable_sets_its_field(env):
    for variable, value in {"SCRUTINY_DB": "postgresql://scrutiny@db/scrutiny", "SCRUTINY_MAX_UPLOAD_MB": "0.5",
                            "SCRUTINY_MAX_REQUEST_MB": "2", "SCRUTINY_SECRET_KEY": "k" * 32,
                            "SCRUTINY_SECRET_FILE": "/etc/scrutiny/key", "SCRUTINY_SESSION_HOURS": "1.5",
                            "SCRUTINY_READ_REQUIRES_LOGIN": "yes", "SCRUTINY_SECURE_COOKIES": " On ",
                            "SCRUTINY_LIMIT_SECONDS": "10", "SCRUTINY_LIMIT_HTML_DEPTH": "64"}.items():
        env(variable, value)
    settings = Settings.from_env()
    assert settings.database_url == "postgresql://scrutiny@db/scrutiny"  # rewritten for psycopg by the store
    assert (settings.max_upload_bytes, settings.max_request_bytes) == (2**19, 2 * 2**20)
    assert (settings.secret_key, settings.secret_file, settings.session_hours) == ("k" * 32, "/etc/scrutiny/key", 1.5)
    assert settings.read_requires_login and settings.secure_cookies
    assert settings.limits == Limits(seconds=10, html_depth=64)


def test_only_the_documented_names_are_read(env):
    env("DATABASE_URL", "postgresql://elsewhere/db")  # another program's variable
    env("SCRUTINY_DATABASE_URL", "sqlite:///field-name.db")  # the field's name, not its variable
    env("SCRUTINY_LIMITS", '{"pages": 1}')  # the nested model as pydantic-settings would read it
    settings = Settings.from_env()
    assert settings.database_url == "sqlite:///scrutiny.db" and settings.limits == Limits()


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("SCRUTINY_MAX_UPLOAD_MB", "lots", "SCRUTINY_MAX_UPLOAD_MB: must be a number above 0, not 'lots'"),
    ("SCRUTINY_SESSION_HOURS", "0", "SCRUTINY_SESSION_HOURS: must be a number above 0, not '0'"),
    ("SCRUTINY_LIMIT_PAGES", "2.5", "SCRUTINY_LIMIT_PAGES: must be a whole number above 0, not '2.5'"),
    ("SCRUTINY_SECURE_COOKIES", "maybe", "SCRUTINY_SECURE_COOKIES: must be yes or no, not 'maybe'"),
    ("SCRUTINY_READ_REQUIRES_LOGIN", "y", "SCRUTINY_READ_REQUIRES_LOGIN: must be yes or no, not 'y'"),
    ("SCRUTINY_SECRET_KEY", "hunter2", "SCRUTINY_SECRET_KEY: must be at least 32 characters"),  # never the key itself
    ("SCRUTINY_TRUSTED_PROXIES", "10.0.0.1,proxy.local",
     "SCRUTINY_TRUSTED_PROXIES: must be IP addresses or networks, separated by commas, not '10.0.0.1,proxy.local'"),
])
def test_a_value_that_cannot_be_used_is_one_line_naming_the_variable(env, variable, value, said):
    env(variable, value)
    with pytest.raises(InvalidValue) as raised:
        Settings.from_env()
    assert str(raised.value) == said


@pytest.mark.parametrize(("yes", "no"), [("1", "0"), ("yes", "no"), ("TRUE", "false"), ("on", "off")])
def test_flags_take_yes_or_no_as_people_write_them(env, yes, no):
    env("SCRUTINY_READ_REQUIRES_LOGIN", yes)
    env("SCRUTINY_SECURE_COOKIES", no)
    settings = Settings.from_env()
    assert settings.read_requires_login and not settings.secure_cookies


def test_trusted_proxies_are_addresses_or_networks_separated_by_commas(env):
    assert Settings.from_env().trusted_proxies == ()  # none: X-Forwarded-For is believed from nowhere
    env("SCRUTINY_TRUSTED_PROXIES", " 10.0.0.5, 192.168.0.0/16,::1, ")
    assert Settings.from_env().trusted_proxies == ("10.0.0.5", "192.168.0.0/16", "::1")


def test_code_passes_settings_by_field_name():
    settings = Settings(database_url="sqlite:///x.db", max_upload_mb=1 / 16, limits=Limits(pages=3))
    assert (settings.database_url, settings.max_upload_bytes, settings.limits.pages) == ("sqlite:///x.db", 65536, 3)
