"""Bot settings: environment over YAML file over defaults, and one clear sentence per mistake."""
from __future__ import annotations

import pytest

from bot.discord.config import ENV_VARS, ConfigError, load_config

TOKEN = {"DISCORD_TOKEN": "abc.def.ghi"}


def test_defaults(tmp_path):
    config = load_config(None, {**TOKEN, "KUBETUTOR_DB": str(tmp_path / "k.db")})
    assert (config.prefix, config.lang, config.instructor_role, config.quiz_channel) == ("!", "ko", None, None)
    assert (config.test_guild, config.shard_count, config.shard_ids, config.message_content) == (None, None, None, True)
    assert config.db == str(tmp_path / "k.db")


def test_token_is_not_in_the_repr():
    assert "abc.def.ghi" not in repr(load_config(None, TOKEN))


def test_every_setting_from_the_environment():
    env = {**TOKEN, "KUBETUTOR_DB": "/data/k.db", "KUBETUTOR_PREFIX": "?", "KUBETUTOR_LANG": "en",
           "KUBETUTOR_INSTRUCTOR_ROLE": "강사", "KUBETUTOR_QUIZ_CHANNEL": "123456789012345678",
           "KUBETUTOR_TEST_GUILD": "223456789012345678", "KUBETUTOR_SHARD_COUNT": "4",
           "KUBETUTOR_SHARD_IDS": "0, 2", "KUBETUTOR_MESSAGE_CONTENT": "off"}
    config = load_config(None, env)
    assert config.db == "/data/k.db" and config.prefix == "?" and config.lang == "en"
    assert config.instructor_role == "강사" and config.quiz_channel == "123456789012345678"
    assert config.test_guild == 223456789012345678
    assert config.shard_count == 4 and config.shard_ids == (0, 2) and config.message_content is False


def test_yaml_file_with_environment_winning(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("token: from-file\nprefix: '?'\nlang: en\ninstructor_role: 123\nshard_count: 2\n"
                    "shard_ids: [1]\nmessage_content: false\n", encoding="utf-8")
    config = load_config(path, {"KUBETUTOR_LANG": "ko"})
    assert config.token == "from-file" and config.prefix == "?" and config.lang == "ko"
    assert config.instructor_role == "123" and config.shard_ids == (1,) and config.message_content is False


def test_config_file_from_environment_variable(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("token: t\nquiz_channel: 42\n", encoding="utf-8")
    assert load_config(None, {"KUBETUTOR_CONFIG": str(path)}).quiz_channel == "42"


def test_command_line_overrides_win():
    config = load_config(None, {**TOKEN, "KUBETUTOR_SHARD_COUNT": "2"}, shard_count=3, shard_ids="2")
    assert config.shard_count == 3 and config.shard_ids == (2,)


def test_yaml_keys_are_the_documented_settings():
    assert set(ENV_VARS) == {"token", "db", "prefix", "lang", "instructor_role", "quiz_channel", "test_guild",
                             "shard_count", "shard_ids", "message_content", "health_port", "health_host", "api_listen"}


@pytest.mark.parametrize("env, words", [
    ({}, ["DISCORD_TOKEN is not set"]),
    ({"DISCORD_TOKEN": "   "}, ["DISCORD_TOKEN is not set"]),
    ({**TOKEN, "KUBETUTOR_PREFIX": "k !"}, ["KUBETUTOR_PREFIX", "without spaces"]),
    ({**TOKEN, "KUBETUTOR_PREFIX": "toolong"}, ["KUBETUTOR_PREFIX"]),
    ({**TOKEN, "KUBETUTOR_LANG": "jp"}, ["KUBETUTOR_LANG", "ko, en", "'jp'"]),
    ({**TOKEN, "KUBETUTOR_QUIZ_CHANNEL": "#quiz"}, ["KUBETUTOR_QUIZ_CHANNEL", "channel id"]),
    ({**TOKEN, "KUBETUTOR_TEST_GUILD": "my server"}, ["KUBETUTOR_TEST_GUILD", "server id"]),
    ({**TOKEN, "KUBETUTOR_SHARD_COUNT": "0"}, ["KUBETUTOR_SHARD_COUNT", "at least 1"]),
    ({**TOKEN, "KUBETUTOR_SHARD_COUNT": "two"}, ["KUBETUTOR_SHARD_COUNT"]),
    ({**TOKEN, "KUBETUTOR_SHARD_IDS": "0"}, ["KUBETUTOR_SHARD_IDS", "KUBETUTOR_SHARD_COUNT"]),
    ({**TOKEN, "KUBETUTOR_SHARD_COUNT": "2", "KUBETUTOR_SHARD_IDS": "0,2"}, ["from 0 to 1"]),
    ({**TOKEN, "KUBETUTOR_SHARD_COUNT": "2", "KUBETUTOR_SHARD_IDS": "a,b"}, ["separated by commas"]),
    ({**TOKEN, "KUBETUTOR_MESSAGE_CONTENT": "maybe"}, ["KUBETUTOR_MESSAGE_CONTENT", "true or false"]),
    ({**TOKEN, "KUBETUTOR_HEALTH_PORT": "70000"}, ["KUBETUTOR_HEALTH_PORT", "65535"]),
], ids=["health-port", "no-token", "blank-token", "space-prefix", "long-prefix", "lang", "channel", "guild", "zero-shards",
        "word-shards", "ids-without-count", "id-out-of-range", "bad-ids", "flag"])
def test_mistakes_are_one_sentence_naming_the_setting(env, words):
    with pytest.raises(ConfigError) as caught:
        load_config(None, env)
    message = str(caught.value)
    assert all(word in message for word in words), message
    assert message.count("\n") == 0 and message.endswith(".")


@pytest.mark.parametrize("text, words", [
    ("token: [unclosed\n", ["not valid YAML", "line"]),
    ("- a\n- b\n", ["must be a mapping"]),
    ("token: t\ncolour: blue\n", ["unknown setting", "colour"]),
    ("token: t\nlang: fr\n", ["`lang` in", "'fr'"]),
], ids=["syntax", "list", "unknown-key", "bad-value"])
def test_file_mistakes_name_the_file(tmp_path, text, words):
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert str(path) in str(caught.value) and all(w in str(caught.value) for w in words), str(caught.value)


def test_missing_file_is_a_sentence(tmp_path):
    with pytest.raises(ConfigError, match="Cannot read the config file"):
        load_config(tmp_path / "nope.yaml", TOKEN)
