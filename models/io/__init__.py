"""Data-package I/O: CSV folders and Excel workbooks, both ways, with located errors."""

from models.io.csv_files import save_csv
from models.io.errors import DataPackageError, LocatedProblem
from models.io.excel_files import save_excel
from models.io.package import load_package
from models.io.template import write_template

__all__ = [
    "DataPackageError",
    "LocatedProblem",
    "load_package",
    "save_csv",
    "save_excel",
    "write_template",
]
