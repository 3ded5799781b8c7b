"""Which function builds each kind of return. Each writes its files into a folder and returns
(rows per file, problems found while building); problems are listed with the validation results."""

from reporting import annex_a, ssda903, trafficking_summary
from reporting.models import ReturnKind

GENERATORS = {
    ReturnKind.SSDA903: ssda903.export,
    ReturnKind.ANNEX_A_LIST8: annex_a.export,
    ReturnKind.TRAFFICKING_MISSING_SUMMARY: trafficking_summary.export,
}
