// lookalike web app: a few helpers shared by the pages (no framework, no network beyond this app)
"use strict";

async function api(path, options = {}) {
  const init = { method: options.method || (options.body ? "POST" : "GET"), headers: {} };
  if (options.form) { init.body = options.form; init.method = "POST"; }
  else if (options.body) { init.body = JSON.stringify(options.body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && data.error) || `error: the app answered ${response.status}.`;
    const error = new Error(message);
    error.field = data && data.field; error.line = data && data.line;
    throw error;
  }
  return data;
}

function show(id, text) { const el = document.getElementById(id); if (el) el.textContent = text || ""; }

function seconds(s) {
  if (s === null || s === undefined) return "–";
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function fillTable(table, preview) {
  table.innerHTML = "";
  const head = table.createTHead().insertRow();
  for (const name of preview.columns) { const th = document.createElement("th"); th.textContent = name; head.appendChild(th); }
  const body = table.createTBody();
  for (const cells of preview.rows) {
    const tr = body.insertRow();
    for (const cell of cells) tr.insertCell().textContent = cell;
  }
}
