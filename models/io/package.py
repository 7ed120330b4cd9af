"""Load a data package from a CSV folder, an Excel workbook or a zip of CSV files."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from models.dataset import Dataset
from models.io.csv_files import read_csv_folder
from models.io.errors import DataPackageError, LocatedProblem
from models.io.excel_files import read_workbook
from models.io.reader import build_dataset


def load_package(path: str | Path) -> Dataset:
    """Load and validate a package; raise DataPackageError listing every problem found."""
    path = Path(path)
    if not path.exists():
        raise DataPackageError(str(path), [LocatedProblem(str(path), None, None, "does not exist")])
    if path.is_dir():
        return build_dataset(read_csv_folder(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return build_dataset(read_workbook(path))
    if suffix == ".zip":
        return _load_zip(path)
    raise DataPackageError(
        str(path),
        [LocatedProblem(path.name, None, None, "give a folder of CSV files, an .xlsx or a .zip")],
    )


def _load_zip(path: Path) -> Dataset:
    with tempfile.TemporaryDirectory() as folder:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(folder)
        except zipfile.BadZipFile as error:
            problem = LocatedProblem(path.name, None, None, f"is not a zip file ({error})")
            raise DataPackageError(str(path), [problem]) from None
        found = sorted(Path(folder).rglob("dataset.csv"))
        if len(found) != 1:
            problem = LocatedProblem(
                path.name, None, None, "must hold exactly one package (one dataset.csv)"
            )
            raise DataPackageError(str(path), [problem])
        raw = read_csv_folder(found[0].parent)
        raw.source = str(path)
        return build_dataset(raw)
