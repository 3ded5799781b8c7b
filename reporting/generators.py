"""Which function builds each kind of return. Each writes its files into a folder and returns
(rows per file, problems found while building); problems are listed with the validation results."""

from reporting import ssda903
from reporting.models import ReturnKind

GENERATORS = {
    ReturnKind.SSDA903: ssda903.export,
}
