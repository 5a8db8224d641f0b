"""Moving in (issue 15, item 7): a search brought into a seeker's account on the server,
by ``followup server import EMAIL FILE`` and by the Settings page's upload, against the
test cluster's PostgreSQL.

The commands run as processes, as an administrator runs them; the web app runs in-process
with the server's own gate (its pool, its per-seeker stores and uploads). A refused file
is checked against a ``pg_dump`` of the whole database taken before it: nothing at all
was written, for anyone.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.adapters.postgres import schema
from followup.adapters.postgres.uploads import PostgresUploads
from followup.domain.accounts import Account, AccountRole
from followup.errors import NotFound
from followup.services import accounts
from followup.services.interchange import export_data
from tests.pg_cluster import Cluster
from tests.server_support import add, client, configure, csrf_of, sign_in

FOLLOWUP = str(Path(sys.executable).parent / "followup")
SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
#: A sheet of one's own: day-first dates, a status word of its own, a saved job.
SHEET = (
    "Firma,Stelle,Date applied,Status,Link,Notes\n"
    "Acme,Backend Engineer,20/02/2026,Interviewing,https://acme.example/jobs/42,\n"
    "Globex,Data Engineer,03/02/2026,On hold,https://globex.example/careers/7,referred\n"
    "Initech,Platform Engineer,,Wishlist,https://initech.example/jobs/3,\n"
)
SHEET_OPTIONS = ("--map", "company=Firma", "--map", "position=Stelle", "--dayfirst",
                 "--status", "On hold=active")  # fmt: skip


@pytest.fixture(scope="module")
def url(pg_cluster: Cluster) -> str:
    """A database of its own: the tests compare dumps of all of it."""
    made = pg_cluster.create_database("move_in")
    schema.init(made)
    return made


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    configure(monkeypatch, url)
    return url


def followup(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": url}
    return subprocess.run(
        [FOLLOWUP, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip


def dump(cluster: Cluster, url: str) -> str:
    """Every row and every sequence of the database, as pg_dump writes them (but for the
    random key of its ``\\restrict`` lines, new in each dump)."""
    done = subprocess.run(
        [str(cluster.bin / "pg_dump"), "--dbname", url, "--data-only", "--inserts"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    return "\n".join(x for x in lines if not x.startswith(("\\restrict ", "\\unrestrict ")))


def exported(seeker: int) -> dict[str, Any]:
    """The seeker's search as ``followup export`` would write it."""
    deps = bootstrap.server_deps(seeker)
    try:
        return export_data(deps)
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def companies(seeker: int) -> list[str]:
    return sorted(a["company"] for a in exported(seeker)["applications"])


@pytest.fixture
def local_export(tmp_path: Path) -> Path:
    """A search kept locally (the sample), exported as followup/1 by the local command."""
    db, file = tmp_path / "local.db", tmp_path / "search.json"
    made = subprocess.run([FOLLOWUP, "--db", str(db), "demo"], capture_output=True, check=False)
    assert made.returncode == 0, made.stderr
    out = subprocess.run(
        [FOLLOWUP, "--db", str(db), "export", str(file)], capture_output=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return file


def sheet(tmp_path: Path, text: str = SHEET, name: str = "search.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- the command ---------------------------------------------------------------------------


def test_an_export_moves_in_whole_and_again_changes_nothing(
    server: str, local_export: Path, pg_cluster: Cluster
) -> None:
    seeker = add()
    done = followup(server, "server", "import", seeker.email.upper(), str(local_export))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Imported {local_export}: 5 new, 0 updated, 0 unchanged application(s).\n"
        f"{seeker.email} can take the whole import back with Undo on their History page.\n"
    )
    assert exported(seeker.id) == json.loads(local_export.read_text())  # all of it, exactly
    before = dump(pg_cluster, server)
    again = followup(server, "server", "import", seeker.email, str(local_export), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "created": 0, "updated": 0, "unchanged": 5, "settings_changed": False, "settings": []
    }  # fmt: skip
    assert dump(pg_cluster, server) == before
    # Another seeker moves the same search in: the same ids, two searches.
    other = add()
    assert followup(server, "server", "import", other.email, str(local_export)).returncode == 0
    with client() as c:  # the first takes theirs back, on their History page
        signed_in(c, seeker)
        history = c.get("/history").text
        assert "change 1: Imported search.json: 5 new, 0 updated, 0 unchanged" in history
        entry = hidden(history, "entry")
        undone = c.post("/undo", data={"csrf_token": csrf_of(history), "entry": entry})
        assert undone.status_code == 303
    assert exported(seeker.id)["applications"] == []
    assert exported(other.id) == json.loads(local_export.read_text())


def test_a_spreadsheet_with_the_imports_options(
    server: str, tmp_path: Path, pg_cluster: Cluster
) -> None:
    seeker = add()
    path = sheet(tmp_path)
    before = dump(pg_cluster, server)
    dry = followup(server, "server", "import", seeker.email, str(path), *SHEET_OPTIONS,
                   "--dry-run")  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"Dry run of {path}: nothing was written.\n")
    assert "Would add 2, complete 0 and leave 0 unchanged, from 3 row(s); 1 row(s)" in dry.stdout
    assert dump(pg_cluster, server) == before
    done = followup(server, "server", "import", seeker.email, str(path), *SHEET_OPTIONS,
                    "--include-saved")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Imported {path}: 3 new, 0 completed, 0 unchanged")
    apps = {a["company"]: a for a in exported(seeker.id)["applications"]}
    assert sorted(apps) == ["Acme", "Globex", "Initech"]
    assert apps["Globex"]["applied_on"] == "2026-02-03"  # day first
    assert apps["Globex"]["status"] == "active"  # "On hold", as --status taught it
    assert apps["Acme"]["link"] == "https://acme.example/jobs/42"
    before = dump(pg_cluster, server)
    again = followup(server, "server", "import", seeker.email, str(path), *SHEET_OPTIONS,
                     "--include-saved")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 completed, 3 unchanged" in again.stdout
    assert dump(pg_cluster, server) == before
    # Two more jobs of the same title at Acme (other ads): ids numbered past the stored one.
    more = sheet(
        tmp_path,
        "Company,Position,Link\n"
        "Acme,Backend Engineer,https://acme.example/jobs/43\n"
        "Acme,Backend Engineer,https://acme.example/jobs/44\n",
        "more.csv",
    )
    assert followup(server, "server", "import", seeker.email, str(more)).returncode == 0
    ids = sorted(a["id"] for a in exported(seeker.id)["applications"] if a["company"] == "Acme")
    assert ids == ["acme-backend-engineer", "acme-backend-engineer-2", "acme-backend-engineer-3"]
    # The layouts the local import knows, from stdin too.
    linkedin = followup(server, "server", "import", seeker.email, "-", "--format", "csv",
                        stdin=(SHEETS / "linkedin.csv").read_text())  # fmt: skip
    assert linkedin.returncode == 0, linkedin.stderr
    assert "new" in linkedin.stdout


def test_a_bad_file_writes_nothing_anywhere(
    server: str, tmp_path: Path, local_export: Path, pg_cluster: Cluster
) -> None:
    seeker, other = add(), add()
    for someone in (seeker, other):  # searches under way in both accounts
        moved = followup(server, "server", "import", someone.email, str(local_export))
        assert moved.returncode == 0, moved.stderr
    before = dump(pg_cluster, server)
    bad_row = sheet(tmp_path, SHEET + "Umbrella,SRE,31/02/2026,Applied,,\n")
    refused = followup(server, "server", "import", seeker.email, str(bad_row), *SHEET_OPTIONS)
    assert refused.returncode == 5
    assert refused.stdout == ""
    assert refused.stderr == (
        f'followup: {bad_row}: row 5, column "Date applied": not a date: 31/02/2026\n'
    )
    # A followup/1 file whose last application is bad, after many good ones (a batch
    # of them is written before the bad one is read: the transaction takes it back).
    document = json.loads(local_export.read_text())
    good = document["applications"][0]
    document["applications"] = [
        {**good, "id": f"copy-{n}", "contacts": [], "interviews": [], "touches": []}
        for n in range(1_200)
    ] + [{**good, "id": "bad", "applied_on": "someday"}]
    bad_export = tmp_path / "bad.json"
    bad_export.write_text(json.dumps(document))
    refused = followup(server, "server", "import", seeker.email, str(bad_export))
    assert refused.returncode == 5, refused.stderr
    assert refused.stderr.startswith(f"followup: {bad_export}: ")
    assert "someday" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert dump(pg_cluster, server) == before


def test_only_an_active_seekers_account_takes_an_import(
    server: str, tmp_path: Path, pg_cluster: Cluster
) -> None:
    path = sheet(tmp_path)
    coach, admin, gone = add(AccountRole.COACH), add(AccountRole.ADMIN), add()
    accounts.disable(bootstrap.server_accounts(), gone.email)
    before = dump(pg_cluster, server)
    cases = [
        ("nobody@example.org", 3, "followup: nobody@example.org: no such account\n"),
        (gone.email, 8, f"followup: {gone.email}: the account is disabled; nothing was imported\n"),
        (coach.email, 8, f"followup: {coach.email}: a coach account holds no job search; only "
                         "a seeker's account can take an import\n"),
        (admin.email, 8, f"followup: {admin.email}: an admin account holds no job search; "
                         "only a seeker's account can take an import\n"),
    ]  # fmt: skip
    for email, code, said in cases:
        done = followup(server, "server", "import", email, str(path), *SHEET_OPTIONS)
        assert (done.returncode, done.stderr, done.stdout) == (code, said, ""), email
    unset = subprocess.run(
        [FOLLOWUP, "server", "import", "x@example.org", str(path)],
        capture_output=True, text=True, check=False,
        env={k: v for k, v in os.environ.items() if k != "FOLLOWUP_DATABASE_URL"},
    )  # fmt: skip
    assert unset.returncode == 12
    assert dump(pg_cluster, server) == before


# --- the web app ---------------------------------------------------------------------------


def signed_in(c: TestClient, account: Account) -> TestClient:
    assert sign_in(c, account.email) == 303
    return c


def upload(c: TestClient, name: str, content: bytes) -> Any:
    token = csrf_of(c.get("/settings").text)
    return c.post("/settings/import", data={"csrf_token": token}, files={"file": (name, content)})


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def preview_form(html: str, **more: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_of(html),
        "token": hidden(html, "token"),
        "format": hidden(html, "format"),
        "name": hidden(html, "name"),
        "map.company": "Firma",
        "map.position": "Stelle",
        "dayfirst": "on",
        "statuses": "On hold=active",
        **more,
    }


def pending(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT u.seeker_id, count(c.seq) FROM pending_upload AS u"
            " LEFT JOIN pending_upload_chunk AS c USING (seeker_id, token_sha256)"
            " GROUP BY 1, u.token_sha256"
        ).fetchall()


@pytest.fixture
def two_workers(server: str) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on the one database, as two worker processes of ``server run`` are."""
    with client() as one, client() as two:
        yield one, two


def test_the_upload_round_trip_across_workers_and_undo(
    server: str, two_workers: tuple[TestClient, TestClient]
) -> None:
    seeker = add()
    one, two = two_workers
    signed_in(one, seeker)
    two.cookies.update(dict(one.cookies.items()))  # the same browser, reaching the other
    page = upload(one, "search.csv", SHEET.encode())
    assert page.status_code == 422  # no company column yet: choose one
    assert '<option value="Firma">' in page.text
    assert pending(server) == [(seeker.id, 1)]
    preview = two.post("/settings/import/sheet", data=preview_form(page.text, do="preview"))
    assert preview.status_code == 200, preview.text
    assert "Import 2 new application(s)" in preview.text
    assert companies(seeker.id) == []  # a preview writes nothing
    done = one.post("/settings/import/sheet", data=preview_form(preview.text, do="import"))
    assert (done.status_code, done.headers["location"]) == (303, "/settings")
    assert pending(server) == []  # dropped once imported
    assert companies(seeker.id) == ["Acme", "Globex"]
    applications = two.get("/applications").text
    assert "Acme" in applications
    assert "Globex" in applications
    today = one.get("/").text
    assert "Globex" in today  # its first follow-up, long overdue
    history = two.get("/history").text
    assert "Imported search.csv: 2 new, 0 completed, 0 unchanged application(s)" in history
    undone = two.post(
        "/undo",
        data={"csrf_token": csrf_of(history), "entry": hidden(history, "entry"), "next": "/"},
    )
    assert undone.status_code == 303
    assert companies(seeker.id) == []
    assert "Globex" not in one.get("/applications").text
    for app in (one.app, two.app):  # nothing kept on a worker's disk
        assert getattr(app.state, "uploads", None) is None  # type: ignore[attr-defined]


def test_a_followup_export_uploaded_on_the_settings_page(
    server: str, local_export: Path, pg_cluster: Cluster
) -> None:
    seeker = add()
    with client() as c:
        signed_in(c, seeker)
        page = upload(c, "followup.json", local_export.read_bytes())
        assert page.status_code == 200
        assert "Imported: 5 new, 0 updated, 0 unchanged application(s)." in page.text
        assert exported(seeker.id) == json.loads(local_export.read_text())
        before = dump(pg_cluster, server)
        again = upload(c, "followup.json", local_export.read_bytes())
        assert "Imported: 0 new, 0 updated, 5 unchanged application(s)." in again.text
        bad = upload(c, "followup.json", b'{"format": "followup/1", "applications": [{}]}')
        assert bad.status_code == 422
        assert dump(pg_cluster, server) == before
        assert "Acme" in c.get("/applications").text


def test_nobody_else_sees_or_confirms_a_pending_preview(server: str, url: str) -> None:
    seeker, other = add(), add()
    with client() as mine, client() as theirs:
        signed_in(mine, seeker)
        signed_in(theirs, other)
        page = upload(mine, "search.csv", SHEET.encode()).text
        settings = theirs.get("/settings").text
        for do in ("preview", "import"):
            form = {**preview_form(page, do=do), "csrf_token": csrf_of(settings)}
            answer = theirs.post("/settings/import/sheet", data=form)
            assert answer.status_code == 404, do
            assert "choose the file again" in answer.text
            assert "Acme" not in answer.text
            assert "Firma" not in answer.text
        assert companies(other.id) == []
        assert pending(url) == [(seeker.id, 1)]  # still there for its owner
        done = mine.post("/settings/import/sheet", data=preview_form(page, do="import"))
        assert done.status_code == 303
    assert companies(seeker.id) == ["Acme", "Globex"]
    assert companies(other.id) == []


def test_uploads_are_the_seekers_own_and_expire(server: str, url: str) -> None:
    seeker, other = add(), add()
    mine, theirs = PostgresUploads(url, seeker.id), PostgresUploads(url, other.id)
    big = os.urandom(2 * 1024 * 1024 + 5)  # three chunks
    token = mine.keep(io.BytesIO(big))
    with mine.open(token) as source:
        assert source.read() == big
    with pytest.raises(NotFound, match="choose the file again"), theirs.open(token):
        pass
    theirs.drop(token)  # nothing of the owner's goes
    with mine.open(token) as source:
        assert source.read(3) == big[:3]
    with psycopg.connect(url) as conn:
        (stored,) = conn.execute(
            "SELECT count(*) FROM pending_upload_chunk WHERE seeker_id = %s", (seeker.id,)
        ).fetchone() or (0,)
        assert stored == 3
        conn.execute(
            "UPDATE pending_upload SET created_at = now() - interval '61 minutes'"
            " WHERE seeker_id = %s",
            (seeker.id,),
        )
    with pytest.raises(NotFound, match="choose the file again"), mine.open(token):
        pass
    theirs.drop(theirs.keep(io.BytesIO(b"x")))  # the next upload clears the old one
    assert pending(url) == []


def test_an_upload_over_the_servers_ceiling_is_refused_and_kept_nowhere(server: str) -> None:
    """One account cannot fill the server's database with one request (``web.body_limit``):
    an upload over the ceiling is answered 413, before anything of it is kept."""
    seeker = add()
    before = pending(server)
    with client(max_body=1024 * 1024) as c:
        signed_in(c, seeker)
        refused = upload(c, "search.csv", SHEET.encode() + b"," * (2 * 1024 * 1024))
        assert refused.status_code == 413
        assert "larger than this server takes (1 MiB)" in refused.text
        assert pending(server) == before
        taken = upload(c, "search.csv", SHEET.encode())  # under it, the same page works
        assert taken.status_code == 422  # kept, and its columns asked for, as always
        assert '<option value="Firma">' in taken.text
        assert len(pending(server)) == len(before) + 1
