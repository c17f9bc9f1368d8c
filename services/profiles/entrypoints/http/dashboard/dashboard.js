// Drehscheibe dashboard. The hub's API key lives in sessionStorage (this tab only) and
// travels only as a Bearer header; text from the API is set with textContent, never as HTML.
"use strict";

const STORE = "drehscheibe.hubKey";
const REFRESH_MS = 10000;
const SVG = "http://www.w3.org/2000/svg";
const COMPONENTS = {
  competence: "Kompetenzen",
  region: "Region",
  dqr: "DQR-Niveau",
  availability: "Verfügbarkeit",
  working_time: "Arbeitszeit",
};
const STATUS = { delivered: "zugestellt", retrying: "wird wiederholt", parked: "geparkt" };
let timer = null;
let labels = {};
let titles = {};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

const pct = (x) => `${Math.round(x * 100)} %`;
const km = (x) => `${x.toLocaleString("de-DE", { maximumFractionDigits: 1 })} km`;
const label = (id) => labels[id] || id.replace(/^.*\//, "");
const when = (iso) => new Date(iso).toLocaleString("de-DE", { dateStyle: "short", timeStyle: "short" });

function takeKeyFromFragment() {
  // A one-click link may carry the key after '#': browsers never send that part, and it
  // is removed from the address bar and history entry at once.
  const match = window.location.hash.match(/^#key=([A-Za-z0-9_\-]+)$/);
  if (match) {
    sessionStorage.setItem(STORE, match[1]);
    history.replaceState(null, "", window.location.pathname);
  }
}

async function load() {
  const key = sessionStorage.getItem(STORE);
  if (!key) return showSignIn("");
  let response;
  try {
    response = await fetch("/v1/dashboard", {
      headers: { Authorization: `Bearer ${key}`, Accept: "application/json" },
      cache: "no-store",
    });
  } catch (err) {
    $("aktualisiert").textContent = "Keine Verbindung zum Server";
    return;
  }
  if (!response.ok) {
    let detail = `Fehler ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(STORE);
      const why = response.status === 401
        ? "Der Schlüssel ist unbekannt oder widerrufen."
        : "Dieser Schlüssel gehört zu keiner regionalen Drehscheibe.";
      return showSignIn(`${why} (${detail})`);
    }
    $("aktualisiert").textContent = detail;
    return;
  }
  render(await response.json());
}

function showSignIn(message) {
  clearInterval(timer);
  timer = null;
  $("dashboard").hidden = true;
  $("session").hidden = true;
  $("anmeldung").hidden = false;
  $("anmeldefehler").textContent = message;
  $("titel").textContent = "Arbeitsmarkt-Drehscheibe";
}

function render(data) {
  labels = data.labels || {};
  titles = data.vacancy_titles || {};
  $("anmeldung").hidden = true;
  $("dashboard").hidden = false;
  $("session").hidden = false;
  $("titel").textContent = `Drehscheibe ${data.region.name}`;
  document.title = `Drehscheibe ${data.region.name} – Dashboard`;
  $("aktualisiert").textContent = `Stand ${new Date().toLocaleTimeString("de-DE")}`;
  renderKpis(data);
  renderMap(data.region);
  renderDistrictTable(data.region.districts);
  renderDeliveries(data.deliveries);
  renderMatches($("matches"), data.matches, "Noch keine Matches in der Region.");
  renderMatches($("qualifizierung"), data.training_matches, "Keine Matches mit Qualifizierungsbedarf.");
  if (!timer) timer = setInterval(load, REFRESH_MS);
}

function renderKpis(data) {
  const items = [
    ["vacancies", data.totals.vacancies, "Offene Stellen"],
    ["releases", data.totals.staff_releases, "Personalfreisetzungen"],
    ["profiles", data.totals.profiles, "Qualifikationsprofile"],
    ["matches", data.match_totals.active, "Aktive Matches"],
    ["training", data.match_totals.requires_training, "davon mit Qualifizierungsbedarf"],
  ];
  $("kennzahlen").replaceChildren(...items.map(([cls, value, text]) =>
    el("li", { class: cls }, el("span", { class: "value" }, value), el("span", { class: "label" }, text))));
}

function renderMap(region) {
  const box = svg("svg", {
    viewBox: `0 0 ${region.width} ${region.height}`,
    role: "img",
    "aria-labelledby": "karte-titel karte-beschreibung",
  });
  const total = region.districts.map((d) => `${d.name}: ${d.counts.vacancies} Stellen, ` +
    `${d.counts.staff_releases} Freisetzungen, ${d.counts.profiles} Profile`).join("; ");
  box.append(svg("desc", { id: "karte-beschreibung" }, `Kreise der Region ${region.name}. ${total}`));
  for (const d of region.districts) {
    const group = svg("g", { class: "district-group" });
    group.append(svg("title", {}, d.name));
    if (d.outline.length >= 3) {
      group.append(svg("polygon", { class: "district", points: d.outline.map((p) => p.join(",")).join(" ") }));
    }
    for (const [x, y] of d.dots) group.append(svg("circle", { class: "place", cx: x, cy: y, r: 3 }));
    box.append(group);
  }
  for (const d of region.districts) box.append(bubbles(d));
  $("karte").replaceChildren(box);
}

function bubbles(d) {
  const group = svg("g", { class: "bubbles" });
  const [cx, cy] = d.centre;
  group.append(svg("text", { class: "name", x: cx, y: cy - 40, "text-anchor": "middle" }, d.name));
  const kinds = [["vacancies", d.counts.vacancies], ["releases", d.counts.staff_releases],
    ["profiles", d.counts.profiles]];
  kinds.forEach(([kind, n], i) => {
    const x = cx + (i - 1) * 64;
    const r = 20 + Math.min(14, Math.sqrt(n) * 4);
    group.append(svg("circle", { class: `bubble ${kind}`, cx: x, cy: cy, r: r }));
    group.append(svg("text", { class: "bubble-label", x: x, y: cy + 7 }, n));
  });
  return group;
}

function renderDistrictTable(districts) {
  $("kreise").replaceChildren(...districts.map((d) => el("tr", {},
    el("th", { scope: "row" }, `${d.name} (${d.code})`),
    el("td", { class: "num" }, d.counts.vacancies),
    el("td", { class: "num" }, d.counts.staff_releases),
    el("td", { class: "num" }, d.counts.profiles))));
}

function renderDeliveries(h) {
  const summary = el("ul", { class: "health" },
    ...["delivered", "retrying", "parked"].map((s) =>
      el("li", { class: s }, el("span", { class: "value" }, h[s]), STATUS[s])));
  const intro = el("p", { class: "muted" }, h.subscriptions === 1
    ? "1 aktives Abonnement dieser Drehscheibe." : `${h.subscriptions} aktive Abonnements dieser Drehscheibe.`);
  const list = el("ul", { class: "deliveries" }, ...h.recent.map((d) => el("li", {},
    el("span", { class: `status ${d.status}` }, STATUS[d.status] || d.status), " · ",
    `${d.source_event_type.replace("de.drehscheibe.", "")} · ${d.attempts} Versuch(e) · ${when(d.occurred_at)}`,
    d.last_error ? el("div", { class: "muted" }, `Letzter Fehler: ${d.last_error}`) : "")));
  const empty = el("p", { class: "empty" }, "Noch keine Zustellungen.");
  $("zustellung").replaceChildren(intro, summary, h.recent.length ? list : empty);
}

function renderMatches(target, matches, emptyText) {
  if (!matches.length) return target.replaceChildren(el("li", { class: "empty" }, emptyText));
  target.replaceChildren(...matches.map(matchCard));
}

function matchCard(m) {
  const title = titles[m.vacancy_id] || (m.occupation ? label(m.occupation) : "Stelle");
  const badge = m.requires_training
    ? el("span", { class: "badge" }, "Qualifizierung nötig")
    : el("span", { class: "badge direct" }, "Direktes Match");
  const card = el("li", { class: "match" },
    el("header", {}, el("h3", {}, title), el("span", { class: "score", "aria-label": `Score ${pct(m.score)}` }, pct(m.score))),
    el("p", { class: "muted" }, badge, ` · Entfernung ${km(m.distance_km)} · aktualisiert ${when(m.updated_at)}`),
    components(m.components));
  if (m.gap.length) {
    card.append(el("h4", {}, "Lücke"), el("ul", { class: "gap" }, ...m.gap.map((g) => el("li", {},
      `${label(g.competence_id)}: benötigt Niveau ${g.required_level}, vorhanden ${g.held_level || "—"}`))));
  }
  if (m.offers.length) {
    card.append(el("h4", {}, "Weiterbildung, die die Lücke schließt"), el("ul", { class: "offers" },
      ...m.offers.map((o) => el("li", {}, `${o.title} – ${o.duration_hours} Std.` +
        `${o.dqr_level ? `, DQR ${o.dqr_level}` : ""}${o.online ? ", online" : ""}` +
        `${o.postcode ? `, PLZ ${o.postcode}` : ""}`))));
  }
  return card;
}

function components(list) {
  return el("ul", { class: "components", "aria-label": "Erklärung des Scores" }, ...list.flatMap((c) => {
    const bar = el("span", { class: "bar", role: "presentation" }, el("span"));
    bar.firstChild.style.width = pct(c.value).replace(" ", "");
    return [el("li", {}, el("span", {}, `${COMPONENTS[c.name] || c.name} (×${c.weight})`), bar,
      el("span", { class: "num" }, pct(c.value))), el("li", { class: "why" }, c.reason)];
  }));
}

document.addEventListener("DOMContentLoaded", () => {
  takeKeyFromFragment();
  $("anmeldeformular").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("schluessel").value.trim();
    $("schluessel").value = "";
    sessionStorage.setItem(STORE, key);
    load();
  });
  $("abmelden").addEventListener("click", () => {
    sessionStorage.removeItem(STORE);
    showSignIn("Abgemeldet.");
  });
  load();
});
