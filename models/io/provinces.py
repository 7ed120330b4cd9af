"""Load every province's data package for a national run: a folder of packages, or a .zip of them.

Each package is a CSV folder (with dataset.csv), an .xlsx workbook or a .zip, named after its
province (the folder or file name, underscores read as spaces). Every province is read and every
problem of every province is reported at once, each under its province's name; nothing is loaded
when any province has a problem.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from models.dataset import Dataset
from models.io.errors import DataPackageError, LocatedProblem
from models.io.package import load_package
from models.messages import msg

PACKAGE_SUFFIXES = (".xlsx", ".xlsm", ".zip")


def province_name(path: Path) -> str:
    """The province a package belongs to, from its folder or file name."""
    return path.stem.replace("_", " ").strip() if path.is_file() else path.name.replace("_", " ")


def find_packages(folder: Path) -> list[Path]:
    """The packages directly inside ``folder`` (CSV folders, workbooks, zips), sorted by name."""
    found = [
        entry
        for entry in folder.iterdir()
        if (entry.is_dir() and (entry / "dataset.csv").is_file())
        or (entry.is_file() and entry.suffix.lower() in PACKAGE_SUFFIXES)
    ]
    return sorted(found, key=lambda p: p.name)


def load_provinces(path: str | Path) -> list[tuple[str, Dataset]]:
    """(province name, dataset) for every package in the folder or zip at ``path``.

    Raises DataPackageError listing every problem of every province (each location prefixed with
    the province's package), or saying that no package was found.
    """
    path = Path(path)
    if not path.exists():
        raise DataPackageError(
            str(path), [LocatedProblem(str(path), None, None, msg("file.missing"))]
        )
    if path.is_file() and path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory() as folder:
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(folder)
            except zipfile.BadZipFile as error:
                problem = LocatedProblem(
                    path.name, None, None, msg("file.not_zip", error=str(error))
                )
                raise DataPackageError(str(path), [problem]) from None
            root = Path(folder)
            packages = sorted(p.parent for p in root.rglob("dataset.csv"))
            return _load_all(path, packages)
    if not path.is_dir():
        problem = LocatedProblem(path.name, None, None, msg("package.give_provinces"))
        raise DataPackageError(str(path), [problem])
    if (path / "dataset.csv").is_file():
        problem = LocatedProblem(
            path.name,
            None,
            None,
            msg("package.one_package"),
        )
        raise DataPackageError(str(path), [problem])
    return _load_all(path, find_packages(path))


def _load_all(source: Path, packages: list[Path]) -> list[tuple[str, Dataset]]:
    if not packages:
        problem = LocatedProblem(source.name, None, None, msg("package.no_package"))
        raise DataPackageError(str(source), [problem])
    loaded: list[tuple[str, Dataset]] = []
    problems: list[LocatedProblem] = []
    names: dict[str, Path] = {}
    for package in packages:
        name = province_name(package)
        if name in names:
            message = msg("package.same_province", other=names[name].name)
            problems.append(LocatedProblem(package.name, None, None, message))
            continue
        names[name] = package
        try:
            loaded.append((name, load_package(package)))
        except DataPackageError as error:
            problems += [
                LocatedProblem(f"{package.name}/{p.location}", p.row, p.column, p.message)
                for p in error.problems
            ]
    if problems:
        raise DataPackageError(str(source), problems)
    return loaded
