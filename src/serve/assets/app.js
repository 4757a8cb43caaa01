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
    doc: p.get("doc") || "",
    sim: p.get("sim") || "",
    other: p.get("other") === "1",
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
  if (state.by === "doc") p.set("by", "doc");
  if (state.page > 1) p.set("page", String(state.page));
  if (state.doc) p.set("doc", state.doc);
  if (state.sim) p.set("sim", state.sim);
  if (state.other) p.set("other", "1");
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
        el("label", { class: "by" },
          el("input", { type: "checkbox", id: "by-doc", checked: state.by === "doc",
            onchange: (e) => go({ ...state, by: e.target.checked ? "doc" : "passage", page: 1 }) }),
          " 按文件归并"),
        el("label", { class: "new" },
          el("input", { type: "checkbox", id: "new-only", checked: state.new,
            onchange: (e) => go({ ...state, new: e.target.checked, page: 1 }) }),
          " 只看最新一批"),
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

async function renderDoc(state, mine) {
  showStatus("正在打开文件…");
  clear($("facets"));
  const doc = await api(`/api/doc/${encodeURIComponent(state.doc)}`);
  if (mine !== generation) return;
  showStatus("");
  const view = $("view");
  clear(view);
  const back = { ...state, doc: "" };
  view.append(
    el("article", { class: "document", id: "document", dataset: { key: doc.key } },
      el("p", {}, el("a", { href: "?" + stateParams(back), class: "back", onclick: (e) => { e.preventDefault(); go(back); } }, "← 返回")),
      el("h2", {}, doc.title),
      el("div", { class: "meta" }, `${regionLabel(doc.region)} · ${doc.year ? doc.year + "年" : "年份未知"} · ${doc.doc_type || "类型未知"} · ${doc.passages.length} 个段落`),
      el("div", { class: "paths" }, doc.paths.join("，"), doc.encoding ? ` · 编码 ${doc.encoding}` : ""),
      el("details", { class: "evidence-box", open: true }, el("summary", {}, "元数据及依据"), evidenceBlock(doc)),
      el("div", { class: "passages" }, doc.passages.map((p) => passageSection(p, state, doc.focus)))));
  const focus = doc.focus ? document.getElementById(`p-${doc.focus}`) : null;
  if (focus) focus.scrollIntoView({ block: "center" });
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
      p.pages ? el("span", { class: "page" }, p.pages) : null,
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
        el("p", {}, src.passage)) : null,
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
