"""A run in a real Jupyter notebook: nbclient executes cells in a real ipykernel (the venv's python,
this checkout's source) on a run directory made of recorded generations (no model), and the
rendered HTML is checked as text and then in a real Chromium (filters work, injected markup stays
inert, nothing is fetched)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from report_helpers import rate

import tunediff
from tunediff.records import GENERATIONS, MANIFEST
from tunediff.rundir import RunPath

RECORDED = Path(__file__).parents[1] / "fixtures" / "generations"
SRC = Path(tunediff.__file__).parents[1]
XSS = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"


def recorded_run(tmp: Path) -> Path:
    """base, good and no-eos from the recorded demo generations, plus one prompt carrying markup."""
    run = tmp / "recorded"
    run.mkdir()
    rows = [json.loads(line) for name in ("good", "no-eos")
            for line in (RECORDED / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    base = {r["id"]: r for r in rows if r["variant"] == "base"}
    rows = [r for r in rows if r["variant"] != "base"] + list(base.values())
    for variant in ("base", "good", "no-eos"):
        rows.append({"id": "zz-markup", "variant": variant, "category": "edge", "prompt": f"say {XSS}",
                     "text": f"{variant}: {XSS}", "finish_reason": "eos"})
    (run / GENERATIONS).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    manifest = {"variants": [{"name": "base", "kind": "base"}, {"name": "good", "kind": "adapter"},
                             {"name": "no-eos", "kind": "adapter"}]}
    (run / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    rate(run, [("alice", "std-01", "good"), ("alice", "ood-01", "base")], a="base", b="good")
    return run


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Execute a two-cell notebook in a fresh kernel; yield the run, the executed notebook and its HTML."""
    tmp = tmp_path_factory.mktemp("nb")
    run = recorded_run(tmp)
    spec = tmp / "jupyter" / "kernels" / "tunediff-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tunediff test", "language": "python",
        "env": {"PYTHONPATH": str(SRC)}}), encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys, tunediff\ntunediff.__file__"),
                nbformat.v4.new_code_cell(f"run = tunediff.open_run({str(run)!r})\nrun"),
                nbformat.v4.new_code_cell("'torch' in sys.modules")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
        NotebookClient(nb, kernel_name="tunediff-test", timeout=120, resources={"metadata": {"path": str(tmp)}}
                       ).execute()
    html = nb.cells[1].outputs[0]["data"]["text/html"]
    yield {"run": run, "nb": nb, "html": html, "tmp": tmp}
    shutil.rmtree(tmp, ignore_errors=True)


def test_the_kernel_ran_this_checkout_without_torch(rendered: dict[str, Any]) -> None:
    nb = rendered["nb"]
    assert str(SRC) in nb.cells[0].outputs[0]["data"]["text/plain"]
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "False"


def test_notebook_output_is_the_summary_and_pairs_escaped(rendered: dict[str, Any]) -> None:
    html = rendered["html"]
    assert "What changed" in html and "no-eos broke:" in html and "good learned:" in html
    order = [html.index(f'id="{name}"') for name in ("changes", "summary", "ratings", "outputs")]
    assert order == sorted(order)
    assert "Blind review: 2 ratings by alice" in html and "alice: base better (base vs good)" in html
    assert html.count('<article class="card"') == 36  # 35 recorded prompts and the markup one
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_what_tunediff_run_returns_displays_as_the_run(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(yaml.safe_dump({"prompts": [{"id": "a", "category": "ood", "prompt": "hi"}]}), encoding="utf-8")
    out = tunediff.run(suite, backend="fake", adapters=["tuned=/x"], out=tmp_path / "r", flag=False, progress=False,
                       backend_options={"replies": {("a", "base"): ("hello", "eos"), ("a", "tuned"): ("hey", "eos")}})
    assert isinstance(out, RunPath) and out == tmp_path / "r"
    assert 'class="tunediff-run"' in out._repr_html_() and ">hey<" in out._repr_html_()


@pytest.mark.browser
def test_notebook_html_filters_work_and_markup_stays_inert(rendered: dict[str, Any], chromium: Any) -> None:
    page_path = rendered["tmp"] / "out.html"
    page_path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{rendered['html']}"
                         "</body></html>", encoding="utf-8")
    url = page_path.resolve().as_uri()
    context = chromium.new_context()
    fetched: list[str] = []

    def gate(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    root = page.locator(".tunediff-run")
    assert root.locator("#shown").inner_text() == "36 of 36 shown"
    root.locator("#f-category").select_option("ood")
    ood = root.locator("article.card:not([hidden])")
    assert 0 < ood.count() < 36
    assert all(c == "ood" for c in ood.evaluate_all("els => els.map(e => e.dataset.category)"))
    root.locator("#f-category").select_option("")
    root.locator("#f-flag").select_option("__gained__")
    gained = root.locator("#shown").inner_text()
    assert gained != "36 of 36 shown" and not gained.startswith("0 of")
    # The report's stylesheet applies inside the fragment and stays there: the page's body keeps its margin.
    assert root.locator("article.card").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius") == "6px"
    assert page.evaluate("getComputedStyle(document.body).margin") == "8px"
    assert page.evaluate("window.__xss") is None and not fetched and not errors
    context.close()
