"""Load a data package from a CSV folder, an Excel workbook or a zip of CSV files."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from models.dataset import Dataset
from models.io.csv_files import TABLE_FILES, read_csv_folder
from models.io.errors import DataPackageError, LocatedProblem
from models.io.excel_files import read_workbook
from models.io.reader import build_dataset
from models.messages import Message, msg


def load_package(path: str | Path) -> Dataset:
    """Load and validate a package; raise DataPackageError listing every problem found."""
    path = Path(path)
    if not path.exists():
        raise DataPackageError(
            str(path), [LocatedProblem(str(path), None, None, msg("file.missing"))]
        )
    if path.is_dir():
        return build_dataset(read_csv_folder(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return build_dataset(read_workbook(path))
    if suffix == ".zip":
        return _load_zip(path)
    raise DataPackageError(
        str(path),
        [LocatedProblem(path.name, None, None, msg("package.give_package"))],
    )


MAX_ZIP_MEMBERS = 200
"""A package has a dozen tables; an archive with more entries than this is refused unread."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The package's tables may unpack to at most this much in total (a zip bomb stops here)."""
MAX_COMPRESSION_RATIO = 200
"""CSV text compresses about 5-20×; a member claiming more than this is refused."""
CHUNK_BYTES = 1024 * 1024


def _zip_problem(path: Path, message: Message) -> DataPackageError:
    return DataPackageError(str(path), [LocatedProblem(path.name, None, None, message)])


def _package_members(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members to unpack: the package's table CSVs beside its one dataset.csv."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _zip_problem(
            path, msg("zip.too_many_entries", count=len(members), most=MAX_ZIP_MEMBERS)
        )
    roots = [m for m in members if PurePosixPath(m.filename).name == "dataset.csv"]
    if len(roots) != 1:
        raise _zip_problem(path, msg("zip.one_package"))
    folder = PurePosixPath(roots[0].filename).parent
    chosen = [
        m
        for m in members
        if not m.is_dir()
        and PurePosixPath(m.filename).parent == folder
        and PurePosixPath(m.filename).name in TABLE_FILES
    ]
    total = sum(m.file_size for m in chosen)
    if total > MAX_UNPACKED_BYTES:
        raise _zip_problem(
            path,
            msg("zip.too_large", size=total // 2**20, most=MAX_UNPACKED_BYTES // 2**20),
        )
    for member in chosen:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise _zip_problem(
                path,
                msg(
                    "zip.bomb",
                    name=PurePosixPath(member.filename).name,
                    ratio=f"{ratio:.0f}",
                    most=MAX_COMPRESSION_RATIO,
                ),
            )
    return chosen


def _unpack(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, folder: Path) -> None:
    """Copy one member, counting the bytes actually produced (headers can lie)."""
    target = folder / PurePosixPath(member.filename).name
    written = 0
    with archive.open(member) as source, target.open("wb") as output:
        while chunk := source.read(CHUNK_BYTES):
            written += len(chunk)
            if written > member.file_size or written > MAX_UNPACKED_BYTES:
                raise _zip_problem(path, msg("zip.larger_than_header", name=target.name))
            output.write(chunk)


def _load_zip(path: Path) -> Dataset:
    """Unpack only the package's tables, within size, ratio and count limits, then read them."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            with zipfile.ZipFile(path) as archive:
                for member in _package_members(path, archive):
                    _unpack(path, archive, member, Path(folder))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as error:
            raise _zip_problem(path, msg("file.not_zip", error=str(error))) from None
        raw = read_csv_folder(Path(folder))
        raw.source = str(path)
        return build_dataset(raw)
