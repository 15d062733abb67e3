"""Every report notebook keeps the spine and runs through papermill on the bundled samples.

Notebooks are found by glob. Each executed copy goes to ``tmp_path`` and must hold at least one
image, no error and no stream output at all (a warning or a print would show in the page).
"""

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from analytics.publish.registry import PARAMETERS
from analytics.report import style

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

CASES = {
    "twcs": {"source": "twcs", "period": "2017-W44", "tz": "UTC"},
    "consumidor_gov": {"source": "consumidor_gov", "period": "2014-12",
                       "tz": "America/Sao_Paulo", "lang": "pt-BR"},
    "demo": {"source": "demo", "period": "2026-10", "tz": "America/Sao_Paulo"},
}
DEMO_READY = (ROOT / "data" / "demo" / "messages.csv.gz").exists()
#: Pages that have nothing to draw for a source, and the box that says why instead.
NO_FIGURE = {("dependency", "consumidor_gov"): "esta fonte não tem o texto do cliente",
             ("repeat_contacts", "consumidor_gov"): "esta fonte não registra quem é o cliente"}


def _ids(paths):
    return [p.stem for p in paths]


def test_the_report_notebooks_are_found():
    assert {p.stem for p in NOTEBOOKS} >= {"summary", "response_times", "channel_usage",
                                           "repeat_contacts"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_first_code_cell_is_the_only_parameters_cell_with_the_report_parameters(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0] is tagged[0]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    found = papermill.inspect_notebook(str(path))
    assert tuple(found) == PARAMETERS
    for name, parameter in found.items():
        assert parameter["inferred_type_name"] != "None", f"{name} has no type comment"
        assert parameter["help"], f"{name} has no help comment"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs_and_with_the_project_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata["kernelspec"]["name"] == "support-analytics"
    assert nb.metadata["kernelspec"]["display_name"] == "Support analytics (.venv)"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


_FORBIDDEN_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For,
                    ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                    ast.Try)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_code_holds_no_definitions_loops_or_date_arithmetic(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "%matplotlib inline" in code[1], "the setup cell selects the inline backend"
    for source in code:
        tree = ast.parse("\n".join(line for line in source.splitlines()
                                   if not line.startswith("%")))
        for node in ast.walk(tree):
            assert not isinstance(node, _FORBIDDEN_NODES), (path.name, ast.dump(node)[:80])
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                assert name not in ("Timedelta", "timedelta", "DateOffset", "use", "print",
                                    "warnings", "filterwarnings"), (path.name, name)
        assert "Agg" not in source


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _execute(path, tmp_path, parameters):
    output = tmp_path / path.name
    papermill.execute_notebook(str(path), str(output), parameters=parameters,
                               kernel_name="python3", cwd=str(ROOT), execution_timeout=120,
                               progress_bar=False)
    return nbformat.read(output, as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_executes_with_images_and_no_errors_or_warnings(path, case, tmp_path):
    if case == "demo" and not DEMO_READY:
        pytest.skip("data/demo is not generated yet")
    nb = _execute(path, tmp_path, CASES[case])
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    streams = [o for o in outputs if o.output_type == "stream"]
    assert not streams, [o.get("text") for o in streams]
    markdown = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    if (path.stem, case) in NO_FIGURE:
        assert NO_FIGURE[path.stem, case] in markdown
    else:
        assert any("image/png" in o.get("data", {}) for o in outputs)
    lang = CASES[case].get("lang", "en")
    assert style.period_name(CASES[case]["period"], lang) in markdown  # in the reader's words


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_says_so_when_the_period_has_no_data(path, tmp_path):
    nb = _execute(path, tmp_path, {"source": "twcs", "period": "2016-W10", "tz": "UTC"})
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type in ("error", "stream")]
    assert not any("image/png" in o.get("data", {}) for o in outputs)  # no empty axes
    markdown = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "No customer started a contact in week of 7 Mar 2016" in markdown


@pytest.mark.slow
def test_report_specific_parameters_reach_the_page(tmp_path):
    twcs = {"source": "twcs", "period": "2017-W44", "tz": "UTC"}
    nb = _execute(ROOT / "notebooks" / "repeat_contacts.ipynb", tmp_path,
                  {**twcs, "frequent_k": 2})
    markdown = "".join(o.get("data", {}).get("text/markdown", "") for o in _outputs(nb))
    assert "got in touch 2 or more times" in markdown
    assert "Frequent contacters: customers with 2 or more contacts" in markdown
    nb = _execute(ROOT / "notebooks" / "channel_usage.ipynb", tmp_path,
                  {**twcs, "public_channels": ["chat"]})
    markdown = "".join(o.get("data", {}).get("text/markdown", "") for o in _outputs(nb))
    assert "No contact came through a public channel" in markdown
    assert "Public channels, as chosen for this report: Chat." in markdown
