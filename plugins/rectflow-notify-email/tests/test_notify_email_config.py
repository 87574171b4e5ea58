"""The configuration file: what it takes, its defaults, and every refusal saying how to fix it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rectflow_notify_email import (
    CONFIG_ENV,
    ConfigError,
    EmailConfig,
    MessageSettings,
    config_from_environment,
    load_config,
)

FULL = """
[smtp]
host = "mail.example.org"
port = 2587
security = "starttls"
sender = "区委巡察办 <xuncha@example.org>"
username = "xuncha"
password_env = "XUNCHA_SMTP_PASSWORD"
timeout = 12.5

[addresses]
"张三" = "zhangsan@example.org"
"李四" = " lisi@example.org "

[roles]
office = "xuncha@example.org"

[message]
subject_prefix = "【区委巡察整改督办】"
signature = "区委巡察办"
"""


def test_a_full_file_is_read(write_config: Callable[[str], Path]) -> None:
    """Every key, the password from the variable the file names (and never shown in a repr)."""
    path = write_config(FULL)
    config = load_config(path, {"XUNCHA_SMTP_PASSWORD": "pa55"})
    smtp = config.smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.timeout) == (
        "mail.example.org",
        2587,
        "starttls",
        12.5,
    )
    assert (smtp.sender.display_name, smtp.sender.addr_spec) == ("区委巡察办", "xuncha@example.org")
    assert (smtp.username, smtp.password) == ("xuncha", "pa55")
    assert "pa55" not in repr(config)
    assert {name: str(a) for name, a in config.addresses.items()} == {
        "张三": "zhangsan@example.org",
        "李四": "lisi@example.org",
    }
    assert str(config.roles["office"]) == "xuncha@example.org"
    assert config.message == MessageSettings("【区委巡察整改督办】", "区委巡察办")
    assert config.source == str(path)


@pytest.mark.parametrize(("security", "port"), [("none", 25), ("starttls", 587), ("ssl", 465)])
def test_the_port_defaults_to_the_security_s_port(
    write_config: Callable[[str], Path], security: str, port: int
) -> None:
    """25, 587 or 465; the message settings and the tables default too."""
    path = write_config(
        f'[smtp]\nhost = "h.example.org"\nsender = "a@example.org"\nsecurity = "{security}"\n'
    )
    config = load_config(path, {})
    assert config.smtp.port == port
    assert (config.addresses, config.roles, config.message) == ({}, {}, MessageSettings())


def test_security_defaults_to_starttls(write_config: Callable[[str], Path]) -> None:
    """Nothing said: STARTTLS on 587, never clear text by default."""
    config = load_config(write_config('[smtp]\nhost = "h.example.org"\nsender = "a@b.org"\n'), {})
    assert (config.smtp.security, config.smtp.port) == ("starttls", 587)


SMTP = '[smtp]\nhost = "h.example.org"\nsender = "a@example.org"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[smtp]\nhots = "x"\n', "[smtp] unknown key 'hots' (known: ca_file, host, password_env,"),
        (SMTP + "[adresses]\n", "unknown table [adresses] (known: [smtp], [addresses], [roles],"),
        ("[addresses]\n", 'no [smtp] table: add one with at least host and sender = "'),
        ('[smtp]\nsender = "a@example.org"\n', "[smtp] host is missing: the SMTP server's name"),
        ('[smtp]\nhost = "h"\n', "[smtp] sender is missing: the From address, e.g. sender ="),
        (SMTP + 'password = "x"\n', "[smtp] password: passwords never go in the file; put it in"),
        (SMTP + 'security = "tls"\n', '[smtp] security must be "none", "starttls" or "ssl", not'),
        (SMTP + 'port = "587"\n', "[smtp] port must be a whole number from 1 to 65535, not '587'"),
        (SMTP + "port = 0\n", "[smtp] port must be a whole number from 1 to 65535, not 0"),
        (SMTP + "timeout = -1\n", "[smtp] timeout must be a positive number of seconds, not -1"),
        (SMTP + 'username = "u"\n', "[smtp] username is set but password_env is not: name the"),
        (SMTP + 'password_env = "P"\n', "[smtp] password_env is set but username is not: add"),
        (
            SMTP + 'security = "none"\nusername = "u"\npassword_env = "P"\n',
            '[smtp] username with security = "none" would send the password in clear text',
        ),
        (
            SMTP + 'username = "u"\npassword_env = "UNSET_VARIABLE"\n',
            "[smtp] password_env names UNSET_VARIABLE, which is not set: export it",
        ),
        (SMTP + 'ca_file = "/nonexistent/ca.pem"\n', "[smtp] ca_file '/nonexistent/ca.pem' is not"),
        (
            '[smtp]\nhost = "h"\nsender = "巡察办 <not an address>"\n',
            "[smtp] sender '巡察办 <not an address>' is not an e-mail address",
        ),
        (SMTP + '[addresses]\n"张三" = "zhangsan"\n', "[addresses] \"张三\" 'zhangsan' is not an"),
        (SMTP + '[addresses]\n"张三" = 3\n', '[addresses] "张三" must be an address string, not 3'),
        (SMTP + '[roles]\nboss = "b@example.org"\n', "[roles] unknown key 'boss' (known: "),
        (SMTP + "[message]\nsubject_prefix = 1\n", "[message] subject_prefix must be a string"),
        ("[smtp\n", "not valid TOML ("),
        ('smtp = "x"\n', "smtp must be a table: write [smtp] above its keys"),
    ],
)
def test_an_invalid_file_is_refused_with_the_fix(
    write_config: Callable[[str], Path], text: str, expected: str
) -> None:
    """The message starts with the key and the fix, and ends with the file's path."""
    path = write_config(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path, {})
    message = str(raised.value)
    assert message.startswith(expected)
    assert message.endswith(f"(in {path})")
    assert raised.value.source == str(path)
    # Said in Chinese too (rectflow shows it under --lang zh): the key first, the path last.
    zh = raised.value.translations["zh"]
    if expected.startswith("["):
        assert zh.split(" ", 1)[0] == expected.split(" ", 1)[0]
    assert zh.endswith(f"（见 {path}）")
    assert english_words(zh) == [], zh


def english_words(text: str) -> list[str]:
    """Runs of three English words in ``text`` once quoted values, tables, keys and what
    tomllib says (its own English, in brackets) are set aside."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|\[[^\]]*\]|（[^（）]*）|\([^()]*\)", " ", text)
    prose = re.sub(r"\b[a-z]+_[a-z_]+\b|\b[A-Z_]{2,}\b", " ", prose)
    return re.findall(r"[A-Za-z]+(?: +[A-Za-z]+){2,}", prose)


def test_a_non_ascii_password_is_refused_before_any_connection(
    write_config: Callable[[str], Path],
) -> None:
    """smtplib sends logins as ASCII: said at load time, not as an encoding crash mid-run."""
    path = write_config(SMTP + 'username = "u"\npassword_env = "P"\n')
    with pytest.raises(ConfigError, match="non-ASCII characters, which Python's smtplib cannot"):
        load_config(path, {"P": "口令123"})


def test_without_the_variable_the_error_says_how_to_configure_or_disable() -> None:
    """No configuration is not silence: the error names the variable and the switch."""
    with pytest.raises(ConfigError) as raised:
        config_from_environment({})
    assert str(raised.value) == (
        f"{CONFIG_ENV} is not set, so nothing was sent: set it to the path of the "
        "plugin's TOML configuration"
    )
    assert raised.value.source is None
    assert raised.value.translations["zh"] == (
        f"未设置环境变量 {CONFIG_ENV}，未发送任何邮件：请将其设为本插件 TOML 配置文件的路径"
    )


def test_the_variable_names_the_file(write_config: Callable[[str], Path], tmp_path: Path) -> None:
    """The path is read from the variable; a missing file is named."""
    path = write_config(SMTP)
    assert isinstance(config_from_environment({CONFIG_ENV: str(path)}), EmailConfig)
    missing = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match=f"^no such file \\(named by {CONFIG_ENV}\\)"):
        config_from_environment({CONFIG_ENV: str(missing)})


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[smtp\n", '表声明末尾应为 "]"（第 1 行第 6 列）'),
        ("[smtp]\nhost = \n", "值无效（第 2 行第 8 列）"),
    ],
)
def test_a_toml_mistake_is_said_in_chinese_too(
    write_config: Callable[[str], Path], text: str, said: str
) -> None:
    """What tomllib says in English is said in Chinese through rectflow's catalogue, so the
    Chinese message quotes no English."""
    path = write_config(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path, {})
    assert raised.value.translations["zh"] == f"不是有效的 TOML（{said}）（见 {path}）"
