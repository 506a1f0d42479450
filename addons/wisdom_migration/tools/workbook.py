"""Reading the customer's workbooks (.xls with xlrd, .xlsx with openpyxl) and writing result workbooks.

Cells come back as Python values: text, numbers, ``datetime`` for date-formatted cells (xlrd's
serials are converted with the workbook's date mode), ``None`` for empty cells.
"""

import io
import zipfile
from datetime import datetime
from pathlib import PurePosixPath

WORKBOOK_SUFFIXES = (".xls", ".xlsx")


class WorkbookError(ValueError):
    """A file that is not a readable workbook, or a sheet that is not in it."""


def read_rows(content, filename, sheet=0):
    """All rows of one sheet as lists of cell values.

    :param content: the file's bytes
    :param sheet: sheet name or 0-based index
    """
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".xlsx":
        return _read_xlsx(content, filename, sheet)
    if suffix == ".xls":
        return _read_xls(content, filename, sheet)
    raise WorkbookError(f"{filename}: only .xls and .xlsx workbooks can be read")


def _read_xlsx(content, filename, sheet):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookError(f"{filename} is not a readable .xlsx workbook: {error}") from error
    try:
        names = book.sheetnames
        worksheet = book[_pick(names, sheet, filename)]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _read_xls(content, filename, sheet):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError) as error:
        raise WorkbookError(f"{filename} is not a readable .xls workbook: {error}") from error
    worksheet = book.sheet_by_name(_pick(book.sheet_names(), sheet, filename))
    rows = []
    for index in range(worksheet.nrows):
        row = []
        for cell in worksheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(datetime(*xlrd.xldate_as_tuple(cell.value, book.datemode)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        rows.append(row)
    return rows


def _pick(names, sheet, filename):
    if isinstance(sheet, int):
        if sheet >= len(names):
            raise WorkbookError(f"{filename} has no sheet number {sheet + 1}")
        return names[sheet]
    if sheet not in names:
        raise WorkbookError(f"{filename} has no sheet named {sheet} (sheets: {', '.join(names)})")
    return sheet


def source_files(content, filename):
    """``{name: bytes}`` of the workbooks in an upload: a zip of workbooks or one workbook."""
    if filename.lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as error:
            raise WorkbookError(f"{filename} is not a zip archive") from error
        files = {}
        for info in archive.infolist():
            name = _zip_name(info)
            if not info.is_dir() and name.lower().endswith(WORKBOOK_SUFFIXES) and not name.startswith(("~$", ".")):
                files[name] = archive.read(info)
        if not files:
            raise WorkbookError(f"{filename} holds no .xls or .xlsx workbook")
        return files
    if filename.lower().endswith(WORKBOOK_SUFFIXES):
        return {PurePosixPath(filename).name: content}
    raise WorkbookError(f"{filename}: upload a .zip of workbooks, or a .xls or .xlsx workbook")


def _zip_name(info):
    name = info.filename
    if not info.flag_bits & 0x800:  # Windows zip tools write Chinese names in GBK without the UTF-8 flag
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            name = info.filename  # not GBK either: keep the name as the archive gives it
    return PurePosixPath(name).name


def write_xlsx(sheets):
    """Bytes of an .xlsx workbook; ``sheets`` is a list of ``(title, header, rows)``."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=False)
    book.remove(book.active)
    for title, header, rows in sheets:
        worksheet = book.create_sheet(title[:31])
        worksheet.append(list(header))
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append([_cell(value) for value in row])
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple, dict, set)):
        return str(value)
    return value
