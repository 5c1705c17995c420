#pragma once

// The stylesheet and script of the HTML report, inlined into every report (no network: the
// Content-Security-Policy allows nothing but these). The script's SHA-256 goes into the CSP, so
// it must stay a constant; it reads the data from the DOM, never from strings it builds.

#include <string_view>

namespace ecsguard::report::internal {

inline constexpr std::string_view kHtmlStyle = R"css(
:root{--ink:#1c2430;--muted:#5b6675;--line:#dde2ea;--bg:#f5f7fa;--card:#fff;--accent:#1f4e8c;
--fail:#c0392b;--fail-bg:#fdecea;--pass:#1e7b46;--pass-bg:#e7f5ec;--exc:#6b4fa1;--exc-bg:#f0ebf8;
--ne:#9a6700;--ne-bg:#fff4d6;--p1:#b3261e;--p2:#d9591b;--p3:#b7860b;--p4:#5b6675}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--bg)}
header.top{background:#14233b;color:#fff;padding:20px 32px 18px}
header.top .brand{font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:#9fb3d1;font-weight:600}
header.top h1{margin:4px 0 10px;font-size:22px;font-weight:600}
dl.meta{display:flex;flex-wrap:wrap;gap:4px 28px;margin:0;font-size:13px}
dl.meta div{display:flex;gap:6px}
dl.meta dt{color:#9fb3d1}
dl.meta dd{margin:0;word-break:break-all}
main{padding:20px 32px 40px;max-width:1600px;margin:0 auto}
section{margin-top:22px}
h2{font-size:16px;margin:0 0 10px;font-weight:600}
.banner{border-radius:6px;padding:10px 14px;margin-top:16px;font-weight:500}
.banner.warn{background:var(--ne-bg);color:#6b4a00;border:1px solid #f0d48a}
.banner.ok{background:var(--pass-bg);color:var(--pass);border:1px solid #b9e0c7}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--muted);
border-radius:6px;padding:10px 14px}
.card .n{font-size:26px;font-weight:650;line-height:1.1}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.card.fail{border-left-color:var(--fail)}.card.fail .n{color:var(--fail)}
.card.pass{border-left-color:var(--pass)}.card.pass .n{color:var(--pass)}
.card.excepted{border-left-color:var(--exc)}.card.excepted .n{color:var(--exc)}
.card.ne{border-left-color:var(--ne)}.card.ne .n{color:var(--ne)}
.card.p1{border-left-color:var(--p1)}.card.p2{border-left-color:var(--p2)}
.card.p3{border-left-color:var(--p3)}.card.p4{border-left-color:var(--p4)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;overflow:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:#eef1f6;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);
position:sticky;top:0;white-space:nowrap}
th button.sort{all:unset;cursor:pointer}
th button.sort:focus-visible{outline:2px solid var(--accent)}
th button.sort::after{content:" \2195";color:#a7b0bd}
th[aria-sort=ascending] button.sort::after{content:" \2191";color:var(--ink)}
th[aria-sort=descending] button.sort::after{content:" \2193";color:var(--ink)}
tbody.finding tr.row{cursor:pointer}
tbody.finding tr.row:hover td{background:#f7f9fc}
tbody.finding:nth-of-type(even) tr.row td{background:#fbfcfe}
td.res,td.why{word-break:break-word}
td.res{max-width:380px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
button.toggle{border:0;background:none;cursor:pointer;color:var(--muted);padding:0 4px 0 0;font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.s-FAIL{background:var(--fail-bg);color:var(--fail)}
.s-PASS{background:var(--pass-bg);color:var(--pass)}
.s-EXCEPTED{background:var(--exc-bg);color:var(--exc)}
.s-NOT_EVALUATED{background:var(--ne-bg);color:var(--ne)}
.pri{font-weight:700}.pri-1{color:var(--p1)}.pri-2{color:var(--p2)}.pri-3{color:var(--p3)}.pri-4{color:var(--p4)}
.sev-critical,.sev-high{color:var(--fail);font-weight:600}.sev-medium{color:var(--ne)}.sev-low{color:var(--muted)}
.muted{color:var(--muted)}
tr.details td{background:#f9fafc;padding:12px 18px 16px}
.details-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:10px 28px}
.details-grid h3,.fix h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:6px 0 4px}
.details-grid ul{margin:0;padding-left:18px}
.fix{margin-top:8px}
.fix h4{font-size:13px;margin:10px 0 4px}
pre{background:#fff;border:1px solid var(--line);border-radius:4px;padding:8px 10px;white-space:pre-wrap;word-break:break-word;margin:0}
.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin-bottom:10px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:3px}
.filters select,.filters input{font:inherit;padding:5px 8px;border:1px solid #c5ccd7;border-radius:4px;background:#fff;min-width:140px}
.filters input{min-width:220px}
#shown{color:var(--muted);font-size:13px;margin:0 0 8px}
.panel.fit{display:inline-block;max-width:100%}
table.grid{width:auto}
table.grid td.cov{text-align:center;font-weight:600;font-size:12px;min-width:130px}
.cov-evaluated{background:var(--pass-bg);color:var(--pass)}
.cov-denied{background:var(--fail-bg);color:var(--fail)}
.cov-failed{background:var(--ne-bg);color:var(--ne)}
.cov-none{color:#a7b0bd}
ul.problems{margin:0;padding:10px 10px 10px 30px}
ul.problems li{margin:3px 0}
.control{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin-bottom:12px}
.control h3{margin:0 0 6px;font-size:15px}
.control .fix h3{font-size:12px;margin:12px 0 4px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
.empty{padding:14px;color:var(--muted)}
)css";

inline constexpr std::string_view kHtmlScript = R"js(
(function () {
  'use strict';
  var table = document.getElementById('findings-table');
  if (!table) return;
  var bodies = Array.prototype.slice.call(table.tBodies);
  bodies.forEach(function (b, i) { b.setAttribute('data-index', String(i)); });
  var filters = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var search = document.getElementById('f-text');
  var shown = document.getElementById('shown');

  function matches(body) {
    for (var i = 0; i < filters.length; i++) {
      var want = filters[i].value;
      if (!want) continue;
      var have = body.getAttribute('data-' + filters[i].getAttribute('data-filter')) || '';
      if (want.charAt(0) === '!' ? have === want.slice(1) : have !== want) return false;
    }
    var q = search ? search.value.trim().toLowerCase() : '';
    return !q || (body.getAttribute('data-text') || '').indexOf(q) >= 0;
  }
  function apply() {
    var n = 0;
    bodies.forEach(function (b) { var ok = matches(b); b.hidden = !ok; if (ok) n++; });
    shown.textContent = 'Showing ' + n + ' of ' + bodies.length + ' records';
  }
  filters.forEach(function (s) { s.addEventListener('change', apply); });
  if (search) search.addEventListener('input', apply);

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function sortBy(th) {
    var key = th.getAttribute('data-key');
    var numeric = th.hasAttribute('data-numeric');
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var sorted = bodies.slice().sort(function (a, b) {
      var x = a.getAttribute('data-' + key) || '', y = b.getAttribute('data-' + key) || '';
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      if (c === 0) c = Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index'));
      else c *= dir;
      return c;
    });
    sorted.forEach(function (b) { table.appendChild(b); });
  }
  headers.forEach(function (th) {
    var button = th.querySelector('button.sort');
    if (button) button.addEventListener('click', function () { sortBy(th); });
  });

  function toggle(body) {
    var row = body.querySelector('tr.details');
    var button = body.querySelector('button.toggle');
    if (!row || !button) return;
    var open = row.hidden;
    row.hidden = !open;
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.textContent = open ? '\u25BE' : '\u25B8';
    var slot = row.querySelector('.fix[data-control]');
    if (open && slot && !slot.hasChildNodes()) {
      var template = document.getElementById('fix-' + slot.getAttribute('data-control'));
      if (template) slot.appendChild(template.content.cloneNode(true));
    }
  }
  table.addEventListener('click', function (e) {
    var row = e.target.closest('tr.row');
    if (row) toggle(row.parentNode);
  });
  apply();
})();
)js";

}  // namespace ecsguard::report::internal
