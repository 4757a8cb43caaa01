// plansearch: the search page. Plain JS, no build step. Every text from the
// index goes into the page as a text node (textContent), never as HTML.

const PAGE_SIZE = 10;
// Filters kept in the URL, each a list of values; the API's parameter names.
const FILTERS = ["region", "year", "sector", "type"];
const FILTER_LABELS = { region: "地区", year: "年份", sector: "行业", type: "类型" };

// ---------- small helpers ----------

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    // Through the CSSOM: the page's content security policy allows no inline style.
    else if (k === "style") Object.assign(node.style, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const $ = (id) => document.getElementById(id);

/** Text with `[start, end)` character ranges marked: a fragment of text and <mark>s. */
function marked(text, ranges) {
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of [...(ranges || [])].sort((a, b) => a[0] - b[0])) {
    if (start < at || start >= end) continue;
    if (start > at) frag.append(document.createTextNode(chars.slice(at, start).join("")));
    frag.append(el("mark", {}, chars.slice(start, end).join("")));
    at = end;
  }
  if (at < chars.length) frag.append(document.createTextNode(chars.slice(at).join("")));
  return frag;
}

function regionLabel(r) {
  const parts = [r.province, r.city, r.county].filter(Boolean);
  return parts.length ? parts.join(" ") : "地区未知";
}

function number(n) {
  return Number(n).toLocaleString("zh-CN");
}

// ---------- state in the URL ----------

/** The page's state, read from the URL. */
function readState() {
  const p = new URLSearchParams(location.search);
  const state = {
    q: p.get("q") || "",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
    by: p.get("by") === "doc" ? "doc" : "passage",
    has_target: p.get("has_target") === "1",
    new: p.get("new") === "1",
    current: p.get("current") === "1",
    sort: ["newest", "oldest"].includes(p.get("sort")) ? p.get("sort") : "",
    doc: p.get("doc") || "",
    sim: p.get("sim") || "",
    other: p.get("other") === "1",
    view: p.get("view") === "charts" ? "charts" : "",
  };
  for (const f of FILTERS) state[f] = p.getAll(f);
  return state;
}

function stateParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const f of FILTERS) for (const v of state[f] || []) p.append(f, v);
  if (state.has_target) p.set("has_target", "1");
  if (state.new) p.set("new", "1");
  if (state.current) p.set("current", "1");
  if (state.sort) p.set("sort", state.sort);
  if (state.by === "doc") p.set("by", "doc");
  if (state.page > 1) p.set("page", String(state.page));
  if (state.doc) p.set("doc", state.doc);
  if (state.sim) p.set("sim", state.sim);
  if (state.other) p.set("other", "1");
  if (state.view) p.set("view", state.view);
  return p;
}

/** Goes to a new state: a new history entry, then the page shows it. */
function go(state, hash = "") {
  const query = stateParams(state).toString();
  history.pushState(null, "", (query ? "?" + query : location.pathname) + hash);
  render();
}

/** The search parameters of the API for a state. */
function searchParams(state) {
  const p = new URLSearchParams();
  p.set("q", state.q);
  for (const f of FILTERS) for (const v of state[f] || []) p.append(f, v);
  if (state.has_target) p.set("has_target", "true");
  if (state.new) p.set("new", "1");
  if (state.current) p.set("current", "1");
  if (state.sort) p.set("sort", state.sort);
  if (state.by === "doc") p.set("by", "doc");
  return p;
}

// ---------- talking to the API ----------

let generation = 0;

async function api(path, params) {
  const url = params ? `${path}?${params}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`服务器返回了无法读取的内容（HTTP ${response.status}）`);
  }
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function showStatus(text, kind = "") {
  const status = $("status");
  clear(status);
  if (text) status.append(el("div", { class: `status ${kind}`, role: kind === "error" ? "alert" : null }, text));
}

// ---------- rendering ----------

async function render() {
  const state = readState();
  const mine = ++generation;
  $("q").value = state.q;
  document.title = state.q ? `${state.q} · plansearch` : "plansearch · 县域发展文件检索";
  renderChips(state);
  try {
    if (state.doc) await renderDoc(state, mine);
    else if (state.sim) await renderSimilar(state, mine);
    else if (state.q && state.view === "charts") await renderCharts(state, mine);
    else if (state.q) await renderSearch(state, mine);
    else await renderHome(mine);
  } catch (e) {
    if (mine !== generation) return;
    clear($("view"));
    showStatus(e.message, "error");
  }
}

function renderChips(state) {
  const chips = $("chips");
  clear(chips);
  if (state.doc || state.sim) return;
  for (const f of FILTERS) {
    for (const v of state[f]) {
      chips.append(
        el("span", { class: "chip", dataset: { kind: f, value: v } },
          `${FILTER_LABELS[f]}：${v}`,
          el("button", {
            type: "button",
            class: "chip-remove",
            "aria-label": `去掉筛选 ${FILTER_LABELS[f]} ${v}`,
            title: "去掉此筛选",
            onclick: () => go({ ...state, [f]: state[f].filter((x) => x !== v), page: 1 }),
          }, "×")));
    }
  }
  if (state.has_target) {
    chips.append(el("span", { class: "chip", dataset: { kind: "has_target" } }, "含量化目标",
      el("button", { type: "button", class: "chip-remove", "aria-label": "去掉筛选 含量化目标",
        onclick: () => go({ ...state, has_target: false, page: 1 }) }, "×")));
  }
  if (state.new) {
    chips.append(el("span", { class: "chip", dataset: { kind: "new" } }, "最新一批",
      el("button", { type: "button", class: "chip-remove", "aria-label": "去掉筛选 最新一批",
        onclick: () => go({ ...state, new: false, page: 1 }) }, "×")));
  }
}

async function renderHome(mine) {
  showStatus("正在读取索引…");
  const stats = await api("/api/stats");
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  clear($("facets"));
  view.append(
    el("div", { class: "home" },
      el("h2", {}, "在县域发展文件中检索可比较的措施"),
      el("p", {}, `索引中有 ${number(stats.total.documents)} 份文件、${number(stats.total.passages)} 个段落，` +
        `来自 ${stats.regions.provinces} 个省级地区；${number(stats.with_targets.passages)} 个段落含量化目标。`),
      el("p", {}, "试试：",
        ...["肉牛养殖", "冷链物流 region:甘肃", "营商环境 year:2020..", "乡村振兴 type:规划"].map((q) =>
          el("a", { href: "?" + new URLSearchParams({ q }), class: "example", onclick: (e) => { e.preventDefault(); go({ ...readState(), q, page: 1 }); } }, q)))));
}

function hitMeta(hit) {
  const year = hit.year ? `${hit.year}年` : "年份未知";
  return `${regionLabel(hit.region)} · ${year} · ${hit.doc_type || "类型未知"}`;
}

function targetsLine(targets) {
  if (!targets || !targets.length) return null;
  const shown = targets.slice(0, 6).map((t) => {
    const bound = { at_least: "≥", at_most: "≤", about: "≈" }[t.bound] || "";
    const change = { increase: "+", decrease: "−" }[t.kind] || "";
    const parts = [`${t.indicator} ${bound}${change}${t.value_text}${t.unit || ""}`];
    const notes = [t.year, t.strive ? "力争" : null, t.redacted ? "数值隐去" : null].filter(Boolean);
    return notes.length ? `${parts[0]} (${notes.join(", ")})` : parts[0];
  });
  if (targets.length > 6) shown.push(`… 另 ${targets.length - 6} 项`);
  return el("div", { class: "targets" }, el("span", { class: "label" }, "目标："), shown.join(" · "));
}

/** What a policy database shows of a document: issuers, number, dates, force. */
function issueLine(hit) {
  const parts = [];
  if (hit.issuers && hit.issuers.length) parts.push(hit.issuers.join("；"));
  if (hit.doc_number) parts.push(hit.doc_number);
  for (const [label, date] of [["成文", hit.written], ["发布", hit.published], ["施行", hit.effective]]) {
    if (date) parts.push(`${label} ${date}`);
  }
  if (hit.force) parts.push(hit.force);
  return parts.length ? el("div", { class: "issue" }, parts.join(" · ")) : null;
}

/** A hit of a superseded version says which version replaced it. */
function supersededLine(hit) {
  const s = hit.superseded_by;
  if (!s) return null;
  return el("div", { class: "superseded" }, `已被新版本取代：${s.title}（${s.date}，${s.path}）`);
}

/** One hit: title, where, heading, highlighted snippet, targets, actions. */
function hitItem(hit, state, extra) {
  const [key, no] = hit.id.split(":");
  const docState = { ...state, doc: hit.id, sim: "" };
  const docHref = "?" + stateParams(docState) + `#p-${no}`;
  return el("li", { class: "hit", dataset: { id: hit.id, key, province: hit.region.province || "", city: hit.region.city || "", county: hit.region.county || "" } },
    el("h3", {}, el("a", { href: docHref, class: "doc-link", onclick: (e) => { e.preventDefault(); go(docState, `#p-${no}`); } }, hit.title)),
    el("div", { class: "meta" }, hitMeta(hit)),
    issueLine(hit),
    supersededLine(hit),
    hit.heading ? el("div", { class: "heading" }, hit.heading) : null,
    el("p", { class: "snippet" }, marked(hit.snippet, hit.highlights)),
    targetsLine(hit.targets),
    extra || null,
    el("div", { class: "actions" },
      el("a", { href: docHref, class: "open-doc", onclick: (e) => { e.preventDefault(); go(docState, `#p-${no}`); } }, "查看全文"),
      el("button", { type: "button", class: "similar-button", onclick: () => go({ ...state, sim: hit.id, doc: "" }) }, "相似措施"),
      el("span", { class: "where" },
        `${hit.path}#${hit.passage_no}`,
        hit.pages ? ` · ${pageLabel(hit.pages)}` : "",
        hit.sectors.length ? ` · ${hit.sectors.join("，")}` : "",
        hit.matching_passages ? ` · ${hit.matching_passages} 个段落匹配` : "",
        hit.score ? ` · 得分 ${hit.score.toFixed(2)}` : "")));
}

async function renderSearch(state, mine) {
  showStatus("检索中…");
  const params = searchParams(state);
  params.set("limit", String(PAGE_SIZE));
  params.set("page", String(state.page));
  params.set("facets", "tree");
  const results = await api("/api/search", params);
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  const unit = state.by === "doc" ? "份文件" : "个段落";
  const exportParams = searchParams(state);
  const first = (state.page - 1) * PAGE_SIZE + 1;
  const last = first + results.hits.length - 1;
  view.append(
    el("div", { class: "summary-bar" },
      el("div", { id: "summary", class: "summary", dataset: { total: results.total } },
        `共 ${number(results.total)} ${unit}匹配「${results.query}」`,
        results.hits.length ? `，显示第 ${first}–${last} 条` : ""),
      el("div", { class: "tools" },
        viewToggle(state),
        el("label", { class: "by" },
          el("input", { type: "checkbox", id: "by-doc", checked: state.by === "doc",
            onchange: (e) => go({ ...state, by: e.target.checked ? "doc" : "passage", page: 1 }) }),
          " 按文件归并"),
        el("label", { class: "new" },
          el("input", { type: "checkbox", id: "new-only", checked: state.new,
            onchange: (e) => go({ ...state, new: e.target.checked, page: 1 }) }),
          " 只看最新一批"),
        el("label", { class: "current" },
          el("input", { type: "checkbox", id: "current-only", checked: state.current,
            onchange: (e) => go({ ...state, current: e.target.checked, page: 1 }) }),
          " 只看现行版本"),
        el("select", { id: "sort", "aria-label": "排序", onchange: (e) => go({ ...state, sort: e.target.value, page: 1 }) },
          ...[["", "按相关度"], ["newest", "最新在前"], ["oldest", "最早在前"]].map(([value, label]) =>
            el("option", { value, selected: state.sort === value }, label))),
        el("a", { id: "export-csv", class: "button", href: `/api/export.csv?${exportParams}`, download: "plansearch.csv" }, "导出 CSV"),
        el("a", { id: "export-facets", class: "button", href: `/api/export.csv?${exportParams}&view=facets`, download: "plansearch-facets.csv" }, "导出分面计数"))));
  if (!results.hits.length) {
    view.append(el("p", { class: "empty" }, "没有匹配的段落。可以去掉筛选条件，或换一种说法。"));
  }
  view.append(el("ol", { id: "hits", class: "hits", start: first }, results.hits.map((h) => hitItem(h, state))));
  view.append(pager(state, results.total));
  renderFacets(state, results.facet_tree);
}

function pager(state, total) {
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(10000 / PAGE_SIZE));
  const nav = el("nav", { class: "pager", "aria-label": "翻页" });
  if (pages <= 1) return nav;
  const button = (label, page, current) =>
    el("button", { type: "button", class: current ? "current" : null, disabled: page < 1 || page > pages || current,
      "aria-current": current ? "page" : null, onclick: () => { go({ ...state, page }); window.scrollTo(0, 0); } }, label);
  nav.append(button("上一页", state.page - 1, false));
  const from = Math.max(1, state.page - 3);
  const to = Math.min(pages, from + 6);
  for (let p = from; p <= to; p++) nav.append(button(String(p), p, p === state.page));
  nav.append(button("下一页", state.page + 1, false));
  nav.append(el("span", { class: "pages" }, `共 ${pages} 页`));
  return nav;
}

// ---------- charts: the spread of a measure over places and years ----------
//
// Drawn by the page itself: SVG built here, no library, nothing fetched but
// the API. Each chart has a title and a description for screen readers and
// its numbers as a table.

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and children (strings become text nodes). */
function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

const VALUE_LABELS = { "(unknown)": "未知", "(none)": "未识别工具" };
const valueLabel = (v) => VALUE_LABELS[v] || v;

// The provinces as squares in their rough places on the map: [name, column,
// row] on an 8 × 8 grid, west to east and north to south. No borders are
// drawn: the grid only says roughly where a province lies. A province of the
// index is matched by the start of its name (甘肃 → 甘肃省).
const PROVINCE_TILES = [
  ["黑龙江", 7, 0],
  ["新疆", 1, 1], ["内蒙古", 4, 1], ["北京", 5, 1], ["辽宁", 6, 1], ["吉林", 7, 1],
  ["宁夏", 3, 2], ["山西", 4, 2], ["河北", 5, 2], ["天津", 6, 2],
  ["青海", 1, 3], ["甘肃", 2, 3], ["陕西", 3, 3], ["河南", 4, 3], ["山东", 5, 3],
  ["西藏", 1, 4], ["四川", 2, 4], ["重庆", 3, 4], ["湖北", 4, 4], ["安徽", 5, 4], ["江苏", 6, 4], ["上海", 7, 4],
  ["云南", 2, 5], ["贵州", 3, 5], ["湖南", 4, 5], ["江西", 5, 5], ["浙江", 6, 5],
  ["广西", 3, 6], ["广东", 4, 6], ["福建", 5, 6], ["台湾", 6, 6],
  ["海南", 3, 7], ["澳门", 4, 7], ["香港", 5, 7],
];

// Colours of the instrument categories, in the typology's order.
const CATEGORY_COLOURS = ["#c2410c", "#0f766e", "#4338ca", "#7c3aed"];
const NONE_COLOUR = "#a8a29e";

/** From pale to the accent, `t` in [0, 1]. */
function heatColour(t) {
  const from = [255, 241, 230];
  const to = [124, 45, 18];
  const c = from.map((v, i) => Math.round(v + (to[i] - v) * Math.min(1, Math.max(0, t))));
  return `rgb(${c.join(",")})`;
}

/** Round steps from 0 to `max`, at most about five. */
function ticks(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}

let chartIds = 0;
/** A labelled SVG: a title and a description read out in its place. */
function chartSvg(width, height, title, desc, cls) {
  const id = `chart-${++chartIds}`;
  return svgEl("svg", { viewBox: `0 0 ${width} ${height}`, class: cls, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`, preserveAspectRatio: "xMidYMid meet" },
  svgEl("title", { id: `${id}-title` }, title),
  svgEl("desc", { id: `${id}-desc` }, desc));
}

/** The numbers of a chart as a table, folded away under it. */
function dataTable(caption, head, rows) {
  return el("details", { class: "chart-data" },
    el("summary", {}, "数据表"),
    el("table", { class: "data-table" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) => (i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c))))))));
}

function figure(id, title, ...body) {
  return el("figure", { class: "chart", id }, el("h3", {}, title), ...body);
}

/** (a) The adoption curve: provinces that have said it, by the documents' year. */
function adoptionCurve(timeline) {
  const curve = timeline.curve;
  const title = "采用曲线：已提及的省份数（按文件年份累计）";
  if (!curve.length) return figure("adoption-curve", title, el("p", { class: "empty" }, "没有带年份的省级文件。"));
  const W = 460, H = 250, L = 34, R = 14, T = 12, B = 28;
  const x0 = curve[0].year;
  const x1 = curve[curve.length - 1].year;
  const ymax = Math.max(1, timeline.regions);
  const x = (year) => (x1 === x0 ? (L + W - R) / 2 : L + ((year - x0) * (W - L - R)) / (x1 - x0));
  const y = (v) => T + (H - T - B) * (1 - v / ymax);
  const adopted = timeline.first_mentions.length;
  const first = timeline.first_mentions[0];
  const desc = first
    ? `${first.first_year}年首次有省份提及；至${x1}年共 ${adopted} 个省份提及，${timeline.regions} 个省份有带年份的文件。`
    : `没有省份的文件提及；${timeline.regions} 个省份有带年份的文件。`;
  const svg = chartSvg(W, H, title, desc, "curve");
  for (const v of ticks(ymax)) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }),
      svgEl("text", { x: L - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, v));
  }
  // Every step-th year, counted back from the last, so labels never overlap.
  const step = Math.max(1, Math.ceil(curve.length / 8));
  curve.forEach((c, i) => {
    if ((curve.length - 1 - i) % step === 0) {
      svg.append(svgEl("text", { x: x(c.year), y: H - B + 16, class: "tick", "text-anchor": "middle" }, c.year));
    }
  });
  svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(0), y2: y(0), class: "axis" }));
  const path = (key) => curve.map((c, i) => `${i ? "L" : "M"}${x(c.year).toFixed(1)},${y(c[key]).toFixed(1)}`).join(" ");
  svg.append(svgEl("path", { d: path("covered"), class: "line covered" },
    svgEl("title", {}, "当年及以前有文件的省份")));
  svg.append(svgEl("path", { d: path("cumulative"), class: "line cumulative" }));
  for (const c of curve) {
    svg.append(svgEl("circle", { cx: x(c.year), cy: y(c.cumulative), r: c.new ? 4 : 2.5, class: `point${c.new ? " new" : ""}`,
      dataset: { year: c.year, cumulative: c.cumulative, new: c.new, covered: c.covered } },
    svgEl("title", {}, `${c.year}年：新增 ${c.new}，累计 ${c.cumulative} 个省份提及；${c.covered} 个省份已有文件`)));
  }
  return figure("adoption-curve", title, svg,
    el("p", { class: "legend" },
      el("span", { class: "key cumulative" }), "累计提及的省份　",
      el("span", { class: "key covered" }), "当年及以前有文件的省份（其余省份无从判断）"),
    dataTable("采用曲线", ["年份", "新增", "累计", "有文件", "尚无文件"],
      curve.map((c) => [c.year, c.new, c.cumulative, c.covered, c.without_documents])));
}

/** What the tile map shows of each province. */
function provinceInfo(timeline, byProvince) {
  const info = new Map();
  for (const m of timeline.first_mentions) {
    info.set(m.region, { first: m.first_year, earliest: m.earliest_document_year, censored: m.censored, passages: 0 });
  }
  for (const r of timeline.never) info.set(r, { never: true, passages: 0 });
  for (const t of byProvince.row_totals) {
    if (t.value === "(unknown)") continue;
    if (!info.has(t.value)) info.set(t.value, { passages: 0 });
    info.get(t.value).passages = t.passages;
  }
  return info;
}

/** (d) The provinces as tiles, coloured by the first year or by passages. */
function tileMap(timeline, byProvince, mode, onMode) {
  const info = provinceInfo(timeline, byProvince);
  const names = [...info.keys()];
  const firsts = timeline.first_mentions.map((m) => m.first_year);
  const minYear = Math.min(...firsts);
  const maxYear = Math.max(...firsts);
  const maxPassages = Math.max(1, ...[...info.values()].map((i) => i.passages));
  const S = 50, G = 4;
  const W = 8 * S + 7 * G;
  const H = 8 * S + 7 * G;
  const byYear = mode !== "count";
  const title = byYear ? "省份方块图：首次提及的年份" : "省份方块图：匹配的段落数";
  const said = timeline.first_mentions.length;
  const desc = `${said} 个省份提及，${timeline.never.length} 个省份有文件而未提及，其余省份索引中没有文件。每个方块是一个省级地区，位置大致对应其地理位置。`;
  const svg = chartSvg(W, H, title, desc, "tiles");
  const rows = [];
  for (const [short, col, row] of PROVINCE_TILES) {
    const full = names.find((n) => n.startsWith(short)) || short;
    const p = info.get(full);
    let fill = "#ecebe6";
    let value = "";
    let status = "none";
    let text = "索引中没有文件";
    let t = 0;
    if (p && p.first) {
      status = "first";
      text = `${p.first}年首次提及${p.censored ? "（即其最早的文件，此前是否提及无从判断）" : `（最早文件 ${p.earliest}年）`}；${p.passages} 个段落`;
    } else if (p && p.passages) {
      status = "matched";
      text = `${p.passages} 个段落（无带年份的省级文件）`;
    } else if (p) {
      status = "never";
      text = "有文件，未提及";
    }
    if (byYear && status === "first") {
      t = maxYear === minYear ? 1 : 0.25 + (0.75 * (maxYear - p.first)) / (maxYear - minYear);
      fill = heatColour(t);
      value = `${p.first}${p.censored ? "*" : ""}`;
    } else if (!byYear && p && p.passages) {
      t = 0.12 + (0.88 * p.passages) / maxPassages;
      fill = heatColour(t);
      value = String(p.passages);
    } else if (p) {
      fill = "#ffffff";
      value = byYear ? "—" : "0";
    }
    const x = col * (S + G);
    const y = row * (S + G);
    const dark = t > 0.55;
    svg.append(svgEl("g", { class: `tile ${status}`, dataset: { province: full, status, firstYear: p && p.first ? p.first : "", passages: p ? p.passages : 0 } },
      svgEl("title", {}, `${full}：${text}`),
      svgEl("rect", { x, y, width: S, height: S, rx: 4, fill }),
      svgEl("text", { x: x + S / 2, y: y + 21, "text-anchor": "middle", class: `name${dark ? " dark" : ""}` }, short),
      svgEl("text", { x: x + S / 2, y: y + 39, "text-anchor": "middle", class: `value${dark ? " dark" : ""}` }, value)));
    rows.push([full, p && p.first ? `${p.first}${p.censored ? "*" : ""}` : "—", p ? p.passages : "—", text]);
  }
  const legend = byYear
    ? [el("span", { class: "swatch", style: { background: heatColour(1) } }), `${Number.isFinite(minYear) ? minYear : "—"} 较早　`,
      el("span", { class: "swatch", style: { background: heatColour(0.25) } }), `${Number.isFinite(maxYear) ? maxYear : "—"} 较晚　`]
    : [el("span", { class: "swatch", style: { background: heatColour(0.12) } }), "少　",
      el("span", { class: "swatch", style: { background: heatColour(1) } }), `多（${maxPassages}）　`];
  const toggle = el("div", { class: "segmented", role: "group", "aria-label": "方块颜色" },
    el("button", { type: "button", id: "tiles-by-year", "aria-pressed": String(byYear), onclick: () => onMode("year") }, "按首次年份"),
    el("button", { type: "button", id: "tiles-by-count", "aria-pressed": String(!byYear), onclick: () => onMode("count") }, "按段落数"));
  return figure("tile-map", title, toggle, svg,
    el("p", { class: "legend" }, legend,
      el("span", { class: "swatch blank" }), "有文件未提及　",
      el("span", { class: "swatch nodoc" }), "无文件",
      byYear ? el("br") : null, byYear ? "* 首次提及即该省最早的文件，此前是否提及无从判断" : null),
    dataTable("各省份", ["省份", "首次提及", "段落数", "说明"], rows));
}

/** (b) Year × province: passages, the first mention's year framed. */
function heatTable(byProvinceYear, timeline) {
  const t = byProvinceYear;
  const cols = t.column_values.filter((_, i) => t.column_totals[i].passages > 0);
  const colTotal = new Map(t.column_totals.map((c) => [c.value, c.passages]));
  const cells = new Map(t.cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const max = Math.max(1, ...t.cells.map((c) => c.passages));
  const firsts = new Map(timeline.first_mentions.map((m) => [m.region, String(m.first_year)]));
  const title = "年份 × 省份：匹配的段落数";
  if (!t.passages) return figure("heat-table", title, el("p", { class: "empty" }, "没有匹配的段落。"));
  const table = el("table", { class: "heat", "aria-label": `${title}；加框的格子是该省首次提及的年份` },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "省份"),
      cols.map((c) => el("th", { scope: "col" }, valueLabel(c))), el("th", { scope: "col", class: "total" }, "合计"))),
    el("tbody", {}, t.row_values.map((r, i) => el("tr", {},
      el("th", { scope: "row" }, valueLabel(r)),
      cols.map((c) => {
        const cell = cells.get(`${r}\u0000${c}`);
        const n = cell ? cell.passages : 0;
        const shade = n ? 0.12 + (0.88 * n) / max : 0;
        return el("td", {
          class: `${firsts.get(r) === c ? "first" : ""}${shade > 0.55 ? " dark" : ""}` || null,
          dataset: { row: r, column: c, passages: n },
          title: `${valueLabel(r)} ${valueLabel(c)}年：${n} 个段落${cell ? `，${cell.documents} 份文件` : ""}${firsts.get(r) === c ? "（首次提及）" : ""}`,
          style: n ? { background: heatColour(shade) } : null,
        }, n ? n : "");
      }),
      el("td", { class: "total" }, t.row_totals[i].passages)))),
    el("tfoot", {}, el("tr", {}, el("th", { scope: "row" }, "合计"),
      cols.map((c) => el("td", {}, colTotal.get(c))), el("td", { class: "total" }, t.passages))));
  return figure("heat-table", title, el("div", { class: "heat-scroll" }, table),
    el("p", { class: "legend" }, el("span", { class: "swatch framed" }), "加框：该省首次提及的年份（按文件本身的年份）"));
}

/** (c) Passages by policy instrument, coloured by category. */
function instrumentBars(byInstrument) {
  const rows = byInstrument.column_totals.filter((c) => c.passages > 0);
  const title = "政策工具：匹配的段落数";
  if (!rows.length) return figure("instrument-bars", title, el("p", { class: "empty" }, "没有匹配的段落。"));
  const categories = [...new Set(byInstrument.column_totals.map((c) => c.category).filter(Boolean))];
  const colour = (c) => (c.category ? CATEGORY_COLOURS[categories.indexOf(c.category) % CATEGORY_COLOURS.length] : NONE_COLOUR);
  const W = 460, rowH = 22, L = 118, R = 44, T = 4;
  const H = T + rows.length * rowH + 4;
  const max = Math.max(...rows.map((c) => c.passages));
  const top = [...rows].filter((c) => c.category).sort((a, b) => b.passages - a.passages)[0];
  const desc = `一个段落可用多种工具，按每种工具各计一次。${top ? `最多的是${top.value}（${top.passages} 个段落）。` : ""}`;
  const svg = chartSvg(W, H, title, desc, "bars");
  rows.forEach((c, i) => {
    const y = T + i * rowH;
    const w = Math.max(2, ((W - L - R) * c.passages) / max);
    svg.append(svgEl("g", { class: `bar${c.category ? "" : " none"}`, dataset: { instrument: c.value, passages: c.passages, category: c.category || "" } },
      svgEl("title", {}, `${valueLabel(c.value)}${c.category ? `（${c.category}）` : ""}：${c.passages} 个段落，${c.documents} 份文件`),
      svgEl("text", { x: L - 8, y: y + 15, "text-anchor": "end", class: "label" }, valueLabel(c.value)),
      svgEl("rect", { x: L, y: y + 3, width: w.toFixed(1), height: rowH - 7, rx: 2, fill: colour(c) }),
      svgEl("text", { x: L + w + 6, y: y + 15, class: "count" }, c.passages)));
  });
  return figure("instrument-bars", title, svg,
    el("p", { class: "legend" },
      categories.map((c, i) => [el("span", { class: "swatch", style: { background: CATEGORY_COLOURS[i % CATEGORY_COLOURS.length] } }), `${c}　`]),
      "一个段落可用多种工具"),
    dataTable("政策工具", ["工具", "类别", "段落", "文件"],
      rows.map((c) => [valueLabel(c.value), c.category || "—", c.passages, c.documents])));
}

function viewToggle(state) {
  const charts = state.view === "charts";
  return el("div", { class: "segmented", role: "group", "aria-label": "显示方式" },
    el("button", { type: "button", id: "view-list", "aria-pressed": String(!charts), onclick: () => go({ ...state, view: "", page: 1 }) }, "列表"),
    el("button", { type: "button", id: "view-charts", "aria-pressed": String(charts), onclick: () => go({ ...state, view: "charts", page: 1 }) }, "图表"));
}

/** The filters of a state as the API takes them, for the timeline and cross-tabs. */
function filterParams(state) {
  const p = searchParams(state);
  p.delete("by");
  return p;
}

let tileMode = "year";

async function renderCharts(state, mine) {
  showStatus("正在统计…");
  const withParams = (extra) => {
    const p = filterParams(state);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p;
  };
  const [results, timeline, byYear, byInstrument] = await Promise.all([
    api("/api/search", withParams({ limit: "1", facets: "tree" })),
    api("/api/timeline", withParams({ level: "province" })),
    api("/api/crosstab", withParams({ group_by: "province", by: "year" })),
    api("/api/crosstab", withParams({ group_by: "province", by: "instrument" })),
  ]);
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  view.append(
    el("div", { class: "summary-bar" },
      el("div", { id: "summary", class: "summary", dataset: { total: results.total } },
        `共 ${number(results.total)} 个段落匹配「${results.query}」；年份是文件本身的年份，不是目标年份`),
      el("div", { class: "tools" }, viewToggle(state),
        el("a", { id: "export-csv", class: "button", href: `/api/export.csv?${filterParams(state)}`, download: "plansearch.csv" }, "导出 CSV"))));
  const charts = el("section", { id: "charts", class: "charts", "aria-label": "图表" });
  const map = () => tileMap(timeline, byYear, tileMode, (mode) => {
    tileMode = mode;
    const fresh = map();
    charts.querySelector("#tile-map").replaceWith(fresh);
    fresh.querySelector(`#tiles-by-${mode}`).focus();
  });
  charts.append(adoptionCurve(timeline), map(), heatTable(byYear, timeline), instrumentBars(byInstrument));
  view.append(charts);
  renderFacets(state, results.facet_tree);
}

// ---------- facets ----------

function addFilter(state, kind, value) {
  if (state[kind].includes(value)) return;
  // A region or sector below one already chosen replaces it.
  const kept = state[kind].filter((v) => !(kind === "region" || kind === "sector") || !value.startsWith(v + "/"));
  go({ ...state, [kind]: [...kept, value], page: 1 });
}

function facetButton(state, kind, value, label, count, extraClass = "") {
  return el("button", { type: "button", class: `facet ${extraClass}`, dataset: { kind, value },
    title: `只看 ${label}`, onclick: () => addFilter(state, kind, value) },
    el("span", { class: "name" }, label), el("span", { class: "count" }, number(count)));
}

function treeList(state, kind, nodes, depth) {
  if (!nodes || !nodes.length) return null;
  return el("ul", { class: `tree depth-${depth}` },
    nodes.map((n) => el("li", {},
      facetButton(state, kind, n.path, n.name, n.passages),
      depth < 3 ? treeList(state, kind, n.children, depth + 1) : null)));
}

function renderFacets(state, tree) {
  const aside = $("facets");
  clear(aside);
  if (!tree) return;
  const section = (title, id, ...body) =>
    el("section", { class: "facet-group", id }, el("h2", {}, title), ...body);

  aside.append(section("地区", "facet-region",
    treeList(state, "region", tree.region, 1) || el("p", { class: "none" }, "—"),
    tree.region_unknown.passages ? el("div", { class: "unknown" }, `地区未知 ${number(tree.region_unknown.passages)}`) : null));

  const years = tree.year.filter((y) => y.value !== null);
  const max = Math.max(1, ...years.map((y) => y.passages));
  aside.append(section("年份", "facet-year",
    el("div", { class: "histogram" },
      years.map((y) => el("button", { type: "button", class: "bar-row facet", dataset: { kind: "year", value: y.value },
        title: `${y.value}年：${y.passages} 个段落，${y.documents} 份文件`, onclick: () => addFilter(state, "year", y.value) },
        el("span", { class: "year" }, y.value),
        el("span", { class: "bar" }, el("span", { class: "fill", style: { width: `${Math.max(2, (100 * y.passages) / max).toFixed(1)}%` } })),
        el("span", { class: "count" }, number(y.passages))))),
    tree.year.some((y) => y.value === null)
      ? el("div", { class: "unknown" }, `年份未知 ${number(tree.year.find((y) => y.value === null).passages)}`) : null));

  aside.append(section("行业", "facet-sector", treeList(state, "sector", tree.sector, 1) || el("p", { class: "none" }, "—")));
  aside.append(section("文件类型", "facet-type",
    el("ul", { class: "tree depth-1" }, tree.doc_type.filter((t) => t.value !== null).map((t) =>
      el("li", {}, facetButton(state, "type", t.value, t.value, t.passages))))));
  aside.append(section("量化目标", "facet-targets",
    el("label", {},
      el("input", { type: "checkbox", id: "has-target", checked: state.has_target,
        onchange: (e) => go({ ...state, has_target: e.target.checked, page: 1 }) }),
      ` 只看含量化目标的段落（${number(tree.with_targets.passages)}）`)));
}

// ---------- document view ----------

function evidenceBlock(doc) {
  if (!doc.evidence) {
    return el("p", { class: "note" }, doc.evidence_note || "没有依据信息。");
  }
  const rows = [
    ["标题", doc.title, doc.evidence.title],
    ["地区", regionLabel(doc.region), doc.evidence.region],
    ["年份", doc.year ? `${doc.year}年` : "未知", doc.evidence.year],
    ["类型", doc.doc_type || "未知", doc.evidence.doc_type],
  ];
  return el("dl", { class: "evidence" },
    rows.map(([name, value, ev]) => [
      el("dt", {}, name),
      el("dd", {},
        el("strong", {}, value),
        el("span", { class: "confidence" }, ev.given ? "（人工给定）" : `（置信度 ${Number(ev.confidence).toFixed(2)}）`),
        ev.evidence.length ? el("ul", {}, ev.evidence.map((line) => el("li", {}, line))) : null),
    ]));
}

// The document view pages its passages (/api/doc takes offset and limit): a
// document of 100,000 passages opens at the page that holds the passage
// asked for, and more load on demand, before it and after it.
const DOC_PAGE = 200;

async function renderDoc(state, mine) {
  showStatus("正在打开文件…");
  clear($("facets"));
  const path = `/api/doc/${encodeURIComponent(state.doc)}`;
  const doc = await api(path, new URLSearchParams({ limit: DOC_PAGE }));
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  const back = { ...state, doc: "" };
  const passages = el("div", { class: "passages" }, doc.passages.map((p) => passageSection(p, state, doc.focus)));
  const evidence = el("details", { class: "evidence-box", open: true }, el("summary", {}, "元数据及依据"), evidenceBlock(doc));
  // What is loaded: passages [first, next) of the document.
  let first = doc.offset;
  let next = doc.next_offset;
  const earlier = el("button", { type: "button", class: "more-passages", id: "earlier-passages" });
  const later = el("button", { type: "button", class: "more-passages", id: "later-passages" });
  const label = () => {
    earlier.hidden = first === 0;
    earlier.textContent = `载入前面的段落（前面还有 ${number(first)} 段）`;
    later.hidden = next === null;
    later.textContent = next === null ? "" : `载入更多段落（后面还有 ${number(doc.total_passages - next)} 段）`;
  };
  const load = async (button, offset, limit) => {
    button.disabled = true;
    try {
      const page = await api(path, new URLSearchParams({ offset, limit }));
      if (mine !== generation) return null;
      return page;
    } catch (e) {
      showStatus(e.message, "error");
      return null;
    } finally {
      button.disabled = false;
    }
  };
  earlier.onclick = async () => {
    const offset = Math.max(0, first - DOC_PAGE);
    const page = await load(earlier, offset, first - offset);
    if (!page) return;
    passages.prepend(...page.passages.map((p) => passageSection(p, state, doc.focus)));
    first = offset;
    label();
  };
  later.onclick = async () => {
    const page = await load(later, next, DOC_PAGE);
    if (!page) return;
    passages.append(...page.passages.map((p) => passageSection(p, state, doc.focus)));
    next = page.next_offset;
    label();
  };
  label();
  view.append(
    el("article", { class: "document", id: "document", dataset: { key: doc.key } },
      el("p", {}, el("a", { href: "?" + stateParams(back), class: "back", onclick: (e) => { e.preventDefault(); go(back); } }, "← 返回")),
      el("h2", {}, doc.title),
      el("div", { class: "meta" }, `${regionLabel(doc.region)} · ${doc.year ? doc.year + "年" : "年份未知"} · ${doc.doc_type || "类型未知"} · ${number(doc.total_passages)} 个段落`),
      el("div", { class: "paths" }, doc.paths.join("，"), doc.encoding ? ` · 编码 ${doc.encoding}` : ""),
      evidence,
      earlier,
      passages,
      later));
  const focus = doc.focus ? document.getElementById(`p-${doc.focus}`) : null;
  if (focus) focus.scrollIntoView({ block: "center" });
  // Opened at a later page: the evidence comes with the first one.
  if (!doc.evidence && doc.offset > 0) {
    try {
      const head = await api(`/api/doc/${doc.key}`, new URLSearchParams({ offset: 0, limit: 1 }));
      if (mine !== generation) return;
      evidence.replaceChildren(el("summary", {}, "元数据及依据"), evidenceBlock(head));
    } catch {
      // The note of the page stays.
    }
  }
}

// A hit's pages ([first, last]) as cited: "p. 12", "pp. 12-13".
function pageLabel([first, last]) {
  return first === last ? `p. ${first}` : `pp. ${first}-${last}`;
}

function passageSection(p, state, focus) {
  const words = state.q ? queryWords(state.q) : [];
  return el("section", { class: `passage${p.passage_no === focus ? " focus" : ""}`, id: `p-${p.passage_no}`, dataset: { id: p.id } },
    el("div", { class: "passage-head" },
      el("a", { href: `#p-${p.passage_no}`, class: "anchor" }, `§${p.passage_no}`),
      p.pages ? el("span", { class: "page" }, pageLabel(p.pages)) : null,
      p.heading ? el("span", { class: "heading" }, p.heading) : null,
      el("button", { type: "button", class: "similar-button", onclick: () => go({ ...state, doc: "", sim: p.id }) }, "相似措施")),
    p.text.split("\n").map((line) => el("p", {}, p.passage_no === focus ? markWords(line, words) : line)),
    p.sectors.length ? el("div", { class: "sectors" }, p.sectors.join("，")) : null,
    targetsLine(p.targets));
}

/** The plain words of a query, to mark them in the document view. */
function queryWords(q) {
  return q
    .replace(/\b(title|heading|region|year|sector|type|target-year):\S+/g, " ")
    .split(/[\s"“”()（）]+/)
    .filter((w) => w && w !== "OR" && !w.startsWith("-"));
}

function markWords(line, words) {
  const ranges = [];
  const chars = Array.from(line);
  const text = chars.join("");
  for (const w of words) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(w, from);
      if (at < 0) break;
      const start = Array.from(text.slice(0, at)).length;
      ranges.push([start, start + Array.from(w).length]);
      from = at + w.length;
    }
  }
  return marked(line, ranges);
}

// ---------- similar measures ----------

async function renderSimilar(state, mine) {
  showStatus("正在查找相似措施…");
  clear($("facets"));
  const params = new URLSearchParams({ ref: state.sim, limit: "10" });
  if (state.other) params.set("other_regions", "true");
  const results = await api("/api/similar", params);
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  const src = results.source;
  const back = { ...state, sim: "", other: false };
  view.append(
    el("div", { class: "similar", id: "similar" },
      el("p", {}, el("a", { href: "?" + stateParams(back), class: "back", onclick: (e) => { e.preventDefault(); go(back); } }, "← 返回")),
      el("h2", {}, "相似措施"),
      src ? el("div", { class: "source" },
        el("div", { class: "meta" }, `${src.title} · ${hitMeta(src)} · ${src.path}#${src.passage_no}`),
        src.heading ? el("div", { class: "heading" }, src.heading) : null,
        el("p", {}, src.text)) : null,
      el("p", { class: "key-terms" }, el("span", { class: "label" }, "关键词："),
        results.key_terms.map((k) => el("span", { class: "term", title: `权重 ${k.weight.toFixed(1)}，出现于 ${k.df} 个段落` }, k.term))),
      el("label", { class: "by" },
        el("input", { type: "checkbox", checked: state.other, onchange: (e) => go({ ...state, other: e.target.checked }) }),
        " 只看其他地区"),
      el("p", { class: "summary" }, `${number(results.total)} 个其他文件的段落至少共有 ${results.min_shared} 个关键词` +
        (results.excluded_region ? `（已排除 ${results.excluded_region}）` : "")),
      el("ol", { class: "hits" }, results.hits.map((h) => hitItem(h, { ...state, sim: "" },
        el("div", { class: "shared" }, el("span", { class: "label" }, "共有："), h.shared_terms.join(" · ")))))));
  window.scrollTo(0, 0);
}

// ---------- wiring ----------

$("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("q").value.trim();
  const state = readState();
  go({ ...state, q, page: 1, doc: "", sim: "" });
});
window.addEventListener("popstate", render);
render();
