"""Backups of the database and the uploaded files, and restoring them (docs/backup.md).

A backup is a folder: the database (SQLite: a copy made with the online backup API; PostgreSQL:
``pg_dump --format=custom``), the files under MEDIA_ROOT in ``media/``, and ``manifest.json``,
written last, with the row count of every table and the sha256 of every file. A folder without
a manifest is an unfinished backup. A restore checks the folder against its manifest before it
changes anything, and afterwards checks the restored database and files against it again.

The erasure ledger (retention.py) is never part of a backup and never touched by a restore: it
is what keeps an erasure on request erased when an older backup comes back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path, PurePosixPath
from typing import Any, TypedDict, cast

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1024 * 1024

# (what is being done, done, total), e.g. core.progress.ProgressSteps
Progress = Callable[[str, int, int], None]


# Sent by `manage.py restore` once the restored data matches its backup: apps whose derived data
# (a server's search index) assumes the database only moves forward start over.
database_restored = Signal()


class BackupError(Exception):
    """A backup that cannot be written, read or restored; the message is for the operator."""


class DatabaseEntry(TypedDict):
    vendor: str
    file: str
    sha256: str
    size: int


class FileEntry(TypedDict):
    sha256: str
    size: int


class Manifest(TypedDict):
    format: int
    beirat_version: str | None
    beirat_commit: str | None
    created_at: str
    database: DatabaseEntry
    tables: dict[str, int]
    files: dict[str, FileEntry]


# Writing a backup --------------------------------------------------------------------------


def write_backup(folder: Path, *, progress: Progress | None = None) -> Manifest:
    """Write the database and the files into ``folder``, which must not exist or be empty.

    Side effects: creates the folder (readable by its owner only); on any failure removes what
    it wrote, so that no half backup is left that looks like a whole one.
    """
    vendor = _supported_vendor()
    _refuse_inside_transaction()
    _refuse_inside_media(folder)
    created = _prepare_folder(folder)
    try:
        database_file = folder / DATABASE_FILES[vendor]
        if vendor == "sqlite":
            tables = _dump_sqlite(database_file, progress)
        else:
            tables = _dump_postgresql(database_file, progress)
        files = _copy_media(media_root(), folder / MEDIA, progress)
        manifest: Manifest = {
            "format": FORMAT,
            "beirat_version": _beirat_version(),
            "beirat_commit": _beirat_commit(),
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": vendor,
                "file": database_file.name,
                "sha256": sha256_of(database_file),
                "size": database_file.stat().st_size,
            },
            "tables": tables,
            "files": files,
        }
        temporary = folder / f"{MANIFEST}.partial"
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        temporary.chmod(0o600)
        temporary.replace(folder / MANIFEST)  # the manifest appears only when all is there
    except BaseException:
        _remove_partial_backup(folder, created=created)
        raise
    return manifest


def _prepare_folder(folder: Path) -> bool:
    """Make sure the folder exists and is empty; True when it was created here."""
    if folder.exists():
        if not folder.is_dir():
            raise BackupError(f"{folder} ist eine Datei, kein Ordner.")
        if any(folder.iterdir()):
            raise BackupError(
                f"Der Ordner {folder} ist nicht leer. Eine Sicherung wird nur in einen neuen "
                "oder leeren Ordner geschrieben, damit sie keine ältere überschreibt."
            )
        return False
    folder.mkdir(parents=True, mode=0o700)  # a backup holds personal data
    return True


def _remove_partial_backup(folder: Path, *, created: bool) -> None:
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _dump_sqlite(target: Path, progress: Progress | None) -> dict[str, int]:
    connection.ensure_connection()
    # Django's own connection: in the tests that is the only way to the in-memory database.
    live = connection.connection
    with closing(sqlite3.connect(target)) as copy:
        # One step: the whole copy is read in one read transaction, a consistent snapshot that
        # does not block the site's writers (WAL). A copy in several steps would start over
        # whenever the site writes in between.
        live.backup(copy)
        # A single self-contained file: no -wal/-shm files beside it, readable without writing.
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = _count_rows(copy.cursor(), "sqlite", progress)
    target.chmod(0o600)
    return tables


def _dump_postgresql(target: Path, progress: Progress | None) -> dict[str, int]:
    pg_dump = _program("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump runs in the snapshot of this transaction, and the rows are counted in it too:
        # the counts in the manifest are those of the dump, however busy the site is.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_postgres_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={connection.settings_dict['NAME']}",
            ],
            failure="pg_dump konnte die Datenbank nicht sichern",
        )
        tables = _count_rows(cursor, "postgresql", progress)
    target.chmod(0o600)
    return tables


def _copy_media(source: Path, target: Path, progress: Progress | None) -> dict[str, FileEntry]:
    paths = sorted(_files_under(source))
    files: dict[str, FileEntry] = {}
    target.mkdir(mode=0o700)
    for done, path in enumerate(paths, start=1):
        relative = path.relative_to(source).as_posix()
        files[relative] = _copy_file(path, target / relative)
        if progress:
            progress("Dateien sichern", done, len(paths))
    return files


# Reading and checking a backup --------------------------------------------------------------


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"In {folder} liegt keine manifest.json: das ist keine (vollständige) Sicherung."
        )
    try:
        data = json.loads(path.read_text())
    except ValueError as error:
        raise BackupError(f"Die manifest.json in {folder} ist unlesbar: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise BackupError(f"Die Sicherung hat das Format {found!r}, erwartet wird {FORMAT}.")
    database = data.get("database")
    if (
        not Manifest.__required_keys__ <= data.keys()
        or not isinstance(database, dict)
        or not DatabaseEntry.__required_keys__ <= database.keys()
        or not isinstance(data["tables"], dict)
        or not isinstance(data["files"], dict)
        or not all(
            isinstance(entry, dict) and "sha256" in entry for entry in data["files"].values()
        )
    ):
        raise BackupError(f"Der manifest.json in {folder} fehlen Angaben.")
    for relative in data["files"]:
        _inside_media(relative)
    return cast(Manifest, data)


def check_backup(
    folder: Path, manifest: Manifest, *, progress: Progress | None = None
) -> list[str]:
    """What in the folder differs from its manifest (an empty list: the backup is whole)."""
    problems = []
    vendor = _supported_vendor()
    if manifest["database"]["vendor"] != vendor:
        problems.append(
            f"Die Sicherung stammt aus {manifest['database']['vendor']}, konfiguriert ist {vendor}."
        )
    database_file = folder / manifest["database"]["file"]
    if not database_file.is_file():
        problems.append(f"Die Datenbanksicherung {database_file.name} fehlt.")
    elif sha256_of(database_file) != manifest["database"]["sha256"]:
        problems.append(f"Die Datenbanksicherung {database_file.name} wurde verändert.")
    found = _hash_tree(folder / MEDIA, "Sicherung prüfen", progress)
    problems += _compare_files(manifest["files"], found, where="in der Sicherung")
    return problems


# Restoring ----------------------------------------------------------------------------------


def restore_backup(folder: Path, manifest: Manifest, *, progress: Progress | None = None) -> int:
    """Replace the database and the files under MEDIA_ROOT with the backup's.

    Call check_backup() first. Returns how many files that were not in the backup were removed.
    Side effects: every table of the database and every file under MEDIA_ROOT (the erasure
    ledger excepted) is replaced.
    """
    vendor = _supported_vendor()
    _refuse_inside_transaction()
    _refuse_inside_media(folder)
    database_file = folder / manifest["database"]["file"]
    if vendor == "sqlite":
        _restore_sqlite(database_file)
    else:
        _restore_postgresql(database_file)
    return _restore_media(folder / MEDIA, manifest["files"], progress)


def _restore_sqlite(database_file: Path) -> None:
    connection.ensure_connection()
    source_uri = f"{database_file.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(source_uri, uri=True)) as source:
        # Into Django's own connection, page by page: the file stays where it is (and in WAL
        # mode), other connections see the restored content with their next transaction.
        source.backup(connection.connection)


def _restore_postgresql(database_file: Path) -> None:
    pg_restore = _program("pg_restore")
    connection.close()  # no statement cached across the replaced tables
    _run_postgres_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            # All or nothing: a restore that fails half-way leaves the database as it was.
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database_file),
        ],
        failure="pg_restore konnte die Datenbank nicht wiederherstellen",
    )


def _restore_media(source: Path, wanted: dict[str, FileEntry], progress: Progress | None) -> int:
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    for done, (relative, entry) in enumerate(sorted(wanted.items()), start=1):
        target = root / _inside_media(relative)
        if not (target.is_file() and sha256_of(target) == entry["sha256"]):
            _copy_file(source / relative, target)
        if progress:
            progress("Dateien wiederherstellen", done, len(wanted))
    removed = 0
    for path in _files_under(root):
        if path.relative_to(root).as_posix() not in wanted:
            path.unlink()  # its database row is gone with the restore
            removed += 1
    return removed


def compare_with_manifest(manifest: Manifest, *, progress: Progress | None = None) -> list[str]:
    """What in the live database and MEDIA_ROOT differs from the manifest (empty: nothing)."""
    with connection.cursor() as cursor:
        counted = _count_rows(cursor, connection.vendor, progress)
    problems = []
    for table, expected in sorted(manifest["tables"].items()):
        if table not in counted:
            problems.append(f"Tabelle {table} fehlt.")
        elif counted[table] != expected:
            problems.append(f"Tabelle {table}: {counted[table]} Zeilen statt {expected}.")
    problems += [
        f"Tabelle {table} ist nicht in der Sicherung."
        for table in sorted(set(counted) - set(manifest["tables"]))
    ]
    found = _hash_tree(media_root(), "Dateien prüfen", progress)
    problems += _compare_files(manifest["files"], found, where="in MEDIA_ROOT")
    return problems


# Shared parts --------------------------------------------------------------------------------


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _supported_vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Für die Datenbank {connection.vendor} gibt es keine Sicherung.")
    return connection.vendor


def _refuse_inside_transaction() -> None:
    # Inside a transaction a backup would copy uncommitted rows (SQLite) or see none of them
    # (pg_dump), and a restore would wait for the transaction's own locks.
    if connection.in_atomic_block:
        raise BackupError("Sicherung und Wiederherstellung laufen nicht in einer Transaktion.")


def _refuse_inside_media(folder: Path) -> None:
    # A backup there would copy itself, and a restore would delete it as a file not in it.
    if folder.resolve().is_relative_to(media_root().resolve()):
        raise BackupError(
            f"{folder} liegt in MEDIA_ROOT ({media_root()}): bitte einen Ordner außerhalb wählen."
        )


def _files_under(root: Path) -> Iterator[Path]:
    """Every regular file under root; the erasure ledger never, wherever it is kept."""
    ledger = Path(settings.BEIRAT_ERASURE_LEDGER).resolve()
    if not root.is_dir():
        return
    for directory, _subdirectories, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink() and path.resolve() != ledger:
                yield path


def _inside_media(relative: str) -> PurePosixPath:
    """A manifest's file name as a path that cannot leave the folder it is restored into."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Ungültiger Dateiname in der manifest.json: {relative!r}")
    return path


def _copy_file(source: Path, target: Path) -> FileEntry:
    """Copy, hashing on the way; the target appears whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.partial")
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reading, temporary.open("wb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    shutil.copystat(source, temporary)
    temporary.replace(target)
    return {"sha256": digest.hexdigest(), "size": size}


def _hash_tree(root: Path, label: str, progress: Progress | None) -> dict[str, str]:
    paths = sorted(_files_under(root))
    hashes = {}
    for done, path in enumerate(paths, start=1):
        hashes[path.relative_to(root).as_posix()] = sha256_of(path)
        if progress:
            progress(label, done, len(paths))
    return hashes


def _compare_files(
    expected: dict[str, FileEntry], found: dict[str, str], *, where: str
) -> list[str]:
    problems = []
    for relative, entry in sorted(expected.items()):
        if relative not in found:
            problems.append(f"Datei {relative} fehlt {where}.")
        elif found[relative] != entry["sha256"]:
            problems.append(f"Datei {relative} ist {where} verändert (sha256 stimmt nicht).")
    problems += [
        f"Datei {relative} ist {where}, steht aber nicht in der manifest.json."
        for relative in sorted(set(found) - set(expected))
    ]
    return problems


def _count_rows(cursor: Any, vendor: str, progress: Progress | None) -> dict[str, int]:
    """Rows per table: every table of the database, not only those of Django's models."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = current_schema() ORDER BY table_name"
        )
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for done, name in enumerate(names, start=1):
        quoted = '"' + name.replace('"', '""') + '"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - a quoted table name
        counts[name] = int(cursor.fetchone()[0])
        if progress:
            progress("Zeilen zählen", done, len(names))
    return counts


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} fehlt: bitte 'apt-get install postgresql-client' ausführen.")
    return found


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password never on a command line,
    where every user of the machine could read it in the process list."""
    settings_dict = connection.settings_dict
    _arguments, from_options = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(from_options or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _run_postgres_tool(arguments: list[str], *, failure: str) -> None:
    completed = subprocess.run(  # noqa: S603 - the found program, arguments from the settings
        arguments,
        env=_postgres_environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"{failure} (Exit {completed.returncode}):\n{completed.stderr.strip()}")


def _beirat_version() -> str | None:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def _beirat_commit() -> str | None:
    git = shutil.which("git")
    if git is None or not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    completed = subprocess.run(  # noqa: S603 - the found program, fixed arguments
        [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None
