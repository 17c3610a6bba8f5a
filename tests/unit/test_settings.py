"""Settings from the environment: defaults, and a clear error naming a bad value."""

from __future__ import annotations

import pytest

from webapp.config import ConfigError, load_settings

BASE = {"SECRET_KEY": "a-secret-key-for-these-tests"}


def test_the_response_cache_has_a_default_and_can_be_turned_off():
    assert load_settings(BASE).response_cache_mb == 32
    assert load_settings({**BASE, "RESPONSE_CACHE_MB": ""}).response_cache_mb == 32
    assert load_settings({**BASE, "RESPONSE_CACHE_MB": "0"}).response_cache_mb == 0
    assert load_settings({**BASE, "RESPONSE_CACHE_MB": "256"}).response_cache_mb == 256


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RESPONSE_CACHE_MB", "lots", "RESPONSE_CACHE_MB must be a whole number, got 'lots'"),
        ("RESPONSE_CACHE_MB", "-1", "RESPONSE_CACHE_MB must be between 0 and 4096, got -1"),
        ("RESPONSE_CACHE_MB", "5000", "RESPONSE_CACHE_MB must be between 0 and 4096, got 5000"),
        ("PORT", "http", "PORT must be a whole number, got 'http'"),
        ("PORT", "70000", "PORT must be between 1 and 65535, got 70000"),
    ],
)
def test_a_bad_number_is_refused_by_name(name: str, value: str, message: str):
    with pytest.raises(ConfigError) as refused:
        load_settings({**BASE, name: value})
    assert str(refused.value) == message
