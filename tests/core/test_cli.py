import subprocess
import sys

import pytest
from django.db import connection

from ratusha.cli import build_parser, main
from ratusha.core.audit import audit_log
from ratusha.core.models import AuditEvent
from ratusha.orgs.constants import Role
from ratusha.orgs.models import Employee, Organisation, User


def test_parser_knows_the_interface_commands():
    parser = build_parser()
    for argv in (["run", "--demo", "--host", "127.0.0.2", "--port", "9000"], ["worker"], ["demo"],
                 ["createadmin", "--username", "a"], ["audit-verify"], ["backup", "/tmp/x"],
                 ["restore", "/tmp/x"], ["manage", "check"]):
        args = parser.parse_args(argv)
        assert args.command == argv[0]
    args = parser.parse_args(["run", "--port", "9000"])
    assert (args.port, args.demo) == ("9000", False)


@pytest.mark.django_db
def test_audit_verify_exit_codes(capsys):
    for i in range(3):
        audit_log(actor=None, action="test.event", object_type="t", object_id=str(i))
    assert main(["audit-verify"]) == 0
    assert "3" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE seq = 2")
    assert main(["audit-verify"]) == 1
    err = capsys.readouterr().err
    assert "seq=2" in err


@pytest.mark.django_db
def test_createadmin_makes_superuser_with_admin_role(monkeypatch, capsys):
    monkeypatch.setenv("RATUSHA_ADMIN_PASSWORD", "a-long-Secret-phrase-42")
    assert main(["createadmin", "--username", "root-admin", "--organisation", "Тестова міська рада"]) == 0
    user = User.objects.get(username="root-admin")
    assert user.is_superuser and user.check_password("a-long-Secret-phrase-42")
    employee = Employee.objects.get(user=user)
    assert employee.roles == [Role.ADMIN.value]
    assert Organisation.objects.get().name == "Тестова міська рада"
    assert AuditEvent.objects.filter(action="user.create_admin").exists()
    # A second admin with the same name is refused with a clear message, exit code 2.
    assert main(["createadmin", "--username", "root-admin"]) == 2
    assert "уже існує" in capsys.readouterr().err


@pytest.mark.django_db
def test_createadmin_refuses_weak_password(monkeypatch, capsys):
    monkeypatch.setenv("RATUSHA_ADMIN_PASSWORD", "123")
    assert main(["createadmin", "--username", "weak"]) == 2
    assert not User.objects.filter(username="weak").exists()


def test_command_is_installed():
    out = subprocess.run([sys.executable, "-m", "ratusha.cli", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "audit-verify" in out and "createadmin" in out
