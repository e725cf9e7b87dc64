"""netsite.yaml: required keys, validated values at their lines, hints for typos."""

import pytest

from netsite.content.config import load
from netsite.diagnostics import NetsiteError

from conftest import cli, write_site


def load_errors(tmp_path, text):
    write_site(tmp_path, {}, config=text)
    with pytest.raises(NetsiteError) as info:
        load(tmp_path)
    assert info.value.exit_code == 2
    return [(d.code, d.location.path, d.location.line, str(d.message)) for d in info.value.diagnostics]


def test_valid_config_is_frozen_with_defaults(tmp_path):
    write_site(tmp_path, {}, config="title: Сеть\nbase_url: https://x.org/net\ntimezone: Asia/Yekaterinburg\n")
    config = load(tmp_path)
    assert config.base_url == "https://x.org/net/" and config.base_path == "/net/"
    assert config.language == "ru" and config.output_dir == "public" and config.paginate == 10
    assert config.vocabularies["audience"]["parents"] == "Родителям"
    with pytest.raises(AttributeError):
        config.title = "x"


def test_unknown_key_gets_a_hint_and_every_problem_is_reported(tmp_path):
    problems = load_errors(tmp_path, "title: Сеть\nbase_ulr: https://x.org/\ntimezone: Europe/Moskow\n"
                                     "paginate: 0\nlanguage: de\n")
    by_code = {(c, line): m for c, _, line, m in problems}
    assert "did you mean 'base_url'" in by_code[("config.key", 2)]
    assert "did you mean 'Europe/Moscow'" in by_code[("config.value", 3)]
    assert ("config.value", 4) in by_code and ("config.value", 5) in by_code
    assert ("config.required", 1) in by_code  # base_url is missing
    assert all(path == "netsite.yaml" for _, path, _, _ in problems)


@pytest.mark.parametrize("base_url", ["net.example.org", "ftp://x.org/", "https://x.org/?a=1", "/net/"])
def test_base_url_must_be_absolute_http(tmp_path, base_url):
    problems = load_errors(tmp_path, f"title: a\nbase_url: {base_url}\ntimezone: Europe/Moscow\n")
    assert [(c, line) for c, _, line, _ in problems] == [("config.value", 2)]


@pytest.mark.parametrize("output_dir", [".", "..", "content", "/", "themes", "content/x"])
def test_dangerous_output_dir_is_refused(tmp_path, output_dir):
    problems = load_errors(tmp_path, f"title: a\nbase_url: https://x.org/\ntimezone: Europe/Moscow\n"
                                     f"output_dir: '{output_dir}'\n")
    assert problems[0][0] == "config.output_dir" and problems[0][2] == 4


def test_vocabularies_extend_or_replace(tmp_path):
    write_site(tmp_path, {}, config="title: a\nbase_url: https://x.org/\ntimezone: Europe/Moscow\n"
               "vocabularies:\n  audience:\n    specialists: Специалистам\n"
               "  format:\n    replace: true\n    lecture: Лекция\n")
    config = load(tmp_path)
    assert config.vocabularies["audience"]["specialists"] == "Специалистам"
    assert "parents" in config.vocabularies["audience"]
    assert dict(config.vocabularies["format"]) == {"lecture": "Лекция"}


def test_missing_config_says_where_it_looked(tmp_path):
    result = cli("build", "--root", tmp_path)
    assert result.exit_code == 2
    assert str(tmp_path / "netsite.yaml") in result.stderr
    assert "[config.missing]" in result.stderr and "Traceback" not in result.stderr
