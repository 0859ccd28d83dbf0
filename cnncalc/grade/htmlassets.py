"""The style sheet and the table-sorting script of the HTML class report (``htmlreport``).

The wrong-cell colours are those of the marked PNGs (``draw/marked.py``); the heat
map is a single blue ramp, readable for every colour vision.
"""

CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#222;margin:1.5rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:#08306b}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.grid{border-collapse:collapse;margin:.5rem 0 1rem}
.grid td{width:3.6rem;height:2.6rem;text-align:center;border:1px solid #cdcdcd;padding:0;font-size:13px}
.grid th{font-weight:normal;color:#6e6e6e;font-size:12px;border:0;text-align:center}
.grid td span{display:block}.share{font-weight:bold}.grid td:empty{border:0}
.grid td.wrong{background:rgb(255,232,232);outline:3px solid rgb(214,0,0);outline-offset:-3px}
.grid td.wrong .exp{color:rgb(178,0,0)}.badge{padding:0 .4rem;border:1px solid #888;border-radius:.3rem}
.bar{fill:#2171b5}figure{margin:0}pre.feedback{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
img{max-width:100%;border:1px solid #ddd}
""".strip()

SORT_JS = """
document.querySelectorAll("th button[data-col]").forEach(function (b) {
  b.addEventListener("click", function () {
    var th = b.parentNode, table = th.closest("table"), body = table.tBodies[0];
    var col = +b.dataset.col, asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = x.cells[col].dataset.sort, c = y.cells[col].dataset.sort, n = parseFloat(a) - parseFloat(c);
      return (isNaN(n) ? a.localeCompare(c) : n) * (asc ? 1 : -1);
    });
    table.querySelectorAll("th[scope=col]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
""".strip()
