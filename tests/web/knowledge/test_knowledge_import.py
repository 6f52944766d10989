"""`lingting knowledge_import`: a vault from a YAML list or JSON lines, bad records told by
line and the rest stored."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from lingting.knowledge.models import Article

YAML = """\
- code: KB-X1
  kind: answer
  title: 停电了怎么办
  alternates: [家里没电了, 突然断电]
  body: 先检查家里的空气开关，再看邻居家是否有电。
- code: KB-X2
  kind: faq
  title: 类型写错的文章
  body: x
- kind: script
  title: 没有步骤的话术
"""


@pytest.mark.django_db
def test_a_yaml_vault_is_published_and_its_bad_records_told_by_line(tmp_path: Path) -> None:
    source = tmp_path / "vault.yaml"
    source.write_text(YAML, encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("knowledge_import", str(source), "--publish", stdout=out, stderr=err)
    assert exited.value.code == 1
    assert "1 created, 0 updated, 0 unchanged, 2 rejected (published)" in out.getvalue()
    assert "line 6: kind 'faq' is none of" in err.getvalue()
    assert "line 10: a script needs at least one step" in err.getvalue()
    article = Article.objects.get(code="KB-X1")
    assert article.live is not None
    assert article.live.as_content().alternates == ("家里没电了", "突然断电")


@pytest.mark.django_db
def test_a_gbk_jsonl_vault_is_read_and_a_broken_line_skipped(tmp_path: Path) -> None:
    source = tmp_path / "vault.jsonl"
    source.write_bytes(
        '{"kind": "policy", "title": "峰谷电价", "body": "谷段 22:00-次日 8:00。"}\n{坏\n'.encode(
            "gbk"
        )
    )
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("knowledge_import", str(source), stdout=StringIO(), stderr=err)
    assert "line 2:" in err.getvalue()
    article = Article.objects.get()
    assert article.title == "峰谷电价"
    assert article.live is None  # not published: a draft waiting for review


@pytest.mark.django_db
def test_a_yaml_file_that_is_not_a_list_is_refused_whole(tmp_path: Path) -> None:
    source = tmp_path / "vault.yaml"
    source.write_text("kind: answer\ntitle: x\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("knowledge_import", str(source), stdout=StringIO(), stderr=err)
    assert "must be a list of articles" in err.getvalue()
    assert not Article.objects.exists()
