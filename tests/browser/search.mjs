// The browser test: the real `plansearch serve` page in headless Chromium
// (Debian's chromium package), driven with playwright-core, as a person would
// use it. Run from the repository root after `cargo build` (or `cargo test`):
//
//   (cd tests/browser && npm ci) && node tests/browser/search.mjs
//
// PLANSEARCH_BIN names the binary (default: the newer of target/release and
// target/debug), CHROMIUM the browser (default /usr/bin/chromium).
// Screenshots go to target/browser/ (copies of some are in docs/). Ends with
// "N passed, N failed".

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// The newer of the release and the debug build.
const bin =
  process.env.PLANSEARCH_BIN ||
  [join(root, "target/release/plansearch"), join(root, "target/debug/plansearch")]
    .filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(root, "target/browser");
const STEP_TIMEOUT = 60_000; // only so that a broken page fails instead of hanging

if (!bin || !existsSync(bin)) fail(`no plansearch binary: run cargo build --release first (or set PLANSEARCH_BIN)`);
if (!existsSync(browserPath)) fail(`no Chromium at ${browserPath}: apt-get install chromium (or set CHROMIUM)`);

function fail(message) {
  console.error(`browser test: ${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "plansearch-browser-"));
const index = join(work, "index");
mkdirSync(artifacts, { recursive: true });

// An index of the shipped corpus, and of one document whose text is markup:
// the page must show it as text.
const corpus = join(work, "corpus");
cpSync(join(root, "corpus"), corpus, { recursive: true });
writeFileSync(
  join(corpus, "documents", "zz-markup.txt"),
  [
    '关于<img src=x onerror="alert(1)">推进标记测试的实施方案',
    "",
    "一、总体要求",
    '推进标记测试<script>alert("x")</script>工作，<b onmouseover="alert(2)">加粗</b>示范县建设，到2025年建成标记测试基地5个。',
    "",
  ].join("\n"),
);
const built = spawnSync(bin, ["index", "--corpus", corpus, "--index", index, "--quiet"], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (built.status !== 0) fail("plansearch index failed");

/** Starts the server on a free port; resolves with its base URL. */
function startServer() {
  const server = spawn(bin, ["serve", "--index", index, "--corpus", corpus, "--addr", "127.0.0.1:0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolveUrl, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${seen}`)), STEP_TIMEOUT);
    server.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/\S+?)\/? /);
      if (m) {
        clearTimeout(timer);
        resolveUrl({ server, base: m[1].replace(/\/$/, "") });
      }
    });
    server.on("exit", (code) => reject(new Error(`the server ended (${code}):\n${seen}`)));
  });
}

const results = [];
async function step(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).split("\n").join("\n     ")}`);
    throw e;
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

let server;
let context;
try {
  const started = await startServer();
  server = started.server;
  const base = started.base;

  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: browserPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`a dialog opened: ${d.message()}`);
    d.dismiss();
  });
  // The page must never reach beyond the server.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) route.continue();
    else {
      problems.push(`a request left the server: ${url}`);
      route.abort();
    }
  });

  const total = async () => Number(await page.locator("#summary").getAttribute("data-total"));
  const waitForTotalChange = async (before) => {
    await page.waitForFunction(
      (b) => {
        const s = document.querySelector("#summary");
        return s && Number(s.dataset.total) !== b;
      },
      before,
    );
    return total();
  };

  let all;
  await step("the page opens and shows the index", async () => {
    await page.goto(base + "/");
    await page.locator(".home").waitFor();
    const text = await page.locator(".home").innerText();
    // The shipped corpus and the markup document, as the index counts them.
    const stats = await (await page.request.get(base + "/api/stats")).json();
    const documents = stats.total.documents.toLocaleString("zh-CN");
    check(stats.total.documents > 300 && text.includes(`${documents} 份文件`), `home page: ${text}`);
  });

  await step("typing a query and submitting shows highlighted hits", async () => {
    await page.locator("#q").fill("县域经济");
    await page.locator("#q").press("Enter");
    await page.locator("#summary").waitFor();
    all = await total();
    check(all > 10, `total ${all}`);
    const hits = await page.locator("#hits .hit").count();
    check(hits === 10, `${hits} hits on the first page`);
    const marks = await page.locator("#hits .snippet mark").allInnerTexts();
    check(marks.length > 0, "no <mark> in the snippets");
    check(marks.some((m) => m.includes("县域") || m.includes("经济")), `marks: ${marks}`);
    check(new URL(page.url()).searchParams.get("q") === "县域经济", `URL ${page.url()}`);
  });

  let province;
  let narrowed;
  await step("clicking a region facet narrows the hits to that region", async () => {
    const facet = page.locator("#facet-region .tree.depth-1 > li > .facet").first();
    province = await facet.getAttribute("data-value");
    const expected = Number((await facet.locator(".count").innerText()).replace(/[^\d]/g, ""));
    await facet.click();
    narrowed = await waitForTotalChange(all);
    check(narrowed < all, `${narrowed} is not fewer than ${all}`);
    check(narrowed === expected, `${narrowed} hits, the facet said ${expected}`);
    const provinces = await page.locator("#hits .hit").evaluateAll((hits) => hits.map((h) => h.dataset.province));
    check(provinces.length > 0, "no hits after the click");
    check(provinces.every((p) => p === province), `hits outside ${province}: ${provinces}`);
    check(await page.locator("#hits .snippet mark").count() > 0, "no <mark> after the click");
    const chip = page.locator(`.chip[data-kind=region]`);
    check((await chip.innerText()).includes(province), "no chip for the region");
    check(new URL(page.url()).searchParams.getAll("region").includes(province), `URL ${page.url()}`);
    await page.screenshot({ path: join(artifacts, "search.png") });
  });

  await step("back and forward restore the searches; the URL is a bookmark", async () => {
    await page.goBack();
    check((await waitForTotalChange(narrowed)) === all, "back did not restore the search");
    await page.goForward();
    check((await waitForTotalChange(all)) === narrowed, "forward did not restore the filter");
    const bookmark = page.url();
    const second = await context.newPage();
    await second.goto(bookmark);
    await second.locator("#summary").waitFor();
    check(Number(await second.locator("#summary").getAttribute("data-total")) === narrowed, "bookmark");
    await second.close();
  });

  await step("removing the chip widens the search again", async () => {
    await page.locator(".chip[data-kind=region] .chip-remove").click();
    check((await waitForTotalChange(narrowed)) === all, "the chip did not go");
  });

  await step("the year histogram filters on click", async () => {
    const bar = page.locator("#facet-year .bar-row").first();
    const year = await bar.getAttribute("data-value");
    await bar.click();
    const n = await waitForTotalChange(all);
    check(n < all, `${n} hits for ${year}`);
    const years = await page.locator("#hits .hit .meta").allInnerTexts();
    check(years.every((m) => m.includes(`${year}年`)), `years: ${years}`);
    await page.locator(".chip[data-kind=year] .chip-remove").click();
    await waitForTotalChange(n);
  });

  await step("a hit opens its document with the passage in view and the evidence", async () => {
    const first = page.locator("#hits .hit").first();
    const id = await first.getAttribute("data-id");
    await first.locator(".open-doc").click();
    await page.locator("#document").waitFor();
    const focus = page.locator(".passage.focus");
    check((await focus.getAttribute("data-id")) === id, `focus ${await focus.getAttribute("data-id")} for ${id}`);
    check(await focus.isVisible(), "focus passage hidden");
    const box = await focus.boundingBox();
    check(box && box.y >= 0 && box.y < 900, `focus passage out of view: ${JSON.stringify(box)}`);
    check(await page.locator(".evidence dt").count() === 4, "no evidence");
    check(await page.locator(".passage").count() > 1, "one passage only");
    await page.screenshot({ path: join(artifacts, "document.png") });
  });

  await step("相似措施 lists passages of other documents", async () => {
    await page.locator(".passage.focus .similar-button").click();
    await page.locator("#similar").waitFor();
    check(await page.locator("#similar .hit").count() > 0, "no similar passages");
    check(await page.locator("#similar .key-terms .term").count() > 0, "no key terms");
    await page.screenshot({ path: join(artifacts, "similar.png") });
  });

  await step("a long document opens at one page of passages and loads more on demand", async () => {
    // The longest document among the hits of a few broad queries.
    let longest = { key: "", total: 0 };
    for (const q of ["条例", "规划", "发展"]) {
      const r = await page.request.get(`${base}/api/search?${new URLSearchParams({ q, by: "doc", limit: "30" })}`);
      for (const hit of (await r.json()).hits) {
        const key = hit.id.split(":")[0];
        const d = await (await page.request.get(`${base}/api/doc/${key}?limit=1`)).json();
        if (d.total_passages > longest.total) longest = { key, total: d.total_passages };
      }
    }
    check(longest.total > 200, `no document over one page (longest ${longest.total})`);
    await page.goto(`${base}/?doc=${longest.key}`);
    await page.locator("#document").waitFor();
    check(await page.locator(".passage").count() === 200, `first page: ${await page.locator(".passage").count()}`);
    check(!(await page.locator("#earlier-passages").isVisible()), "earlier passages offered on the first page");
    await page.locator("#later-passages").click();
    const expected = Math.min(400, longest.total);
    await page.waitForFunction((n) => document.querySelectorAll(".passage").length === n, expected);
    const ids = await page.locator(".passage").evaluateAll((els) => els.map((e) => e.dataset.id));
    check(new Set(ids).size === ids.length, "a passage shown twice");
    check(ids[200].endsWith(":200") || ids[200].endsWith(":201"), `page two starts at ${ids[200]}`);
    if (longest.total <= 400) check(!(await page.locator("#later-passages").isVisible()), "more offered after the last page");
  });

  await step("导出 CSV links the export of the current search", async () => {
    await page.goto(`${base}/?q=${encodeURIComponent("肉牛养殖")}`);
    await page.locator("#export-csv").waitFor();
    const href = await page.locator("#export-csv").getAttribute("href");
    check(href.startsWith("/api/export.csv?q="), href);
    const response = await page.request.get(base + href);
    check(response.status() === 200, `export status ${response.status()}`);
    const csv = await response.text();
    check(csv.startsWith("\uFEFFid,path,title"), csv.slice(0, 40));
    check(csv.includes("肉牛养殖"), "the export lacks the hits");
  });

  await step("sorting by date and 只看现行版本 follow the API", async () => {
    await page.goto(`${base}/?q=${encodeURIComponent("营商环境")}`);
    await page.locator("#summary").waitFor();
    const apiFirst = async (params) => {
      const r = await page.request.get(`${base}/api/search?${new URLSearchParams({ q: "营商环境", limit: "1", ...params })}`);
      return (await r.json()).hits[0].id;
    };
    const newest = await apiFirst({ sort: "newest" });
    check(newest !== (await apiFirst({})), "the newest hit is also the most relevant: no test");
    const rendered = page.waitForResponse((r) => r.url().includes("/api/search") && r.url().includes("sort=newest"));
    await page.locator("#sort").selectOption("newest");
    await rendered;
    await page.waitForFunction(
      (id) => document.querySelector("#hits .hit")?.dataset.id === id, newest,
    ).catch(() => {});
    const first = await page.locator("#hits .hit").first().getAttribute("data-id");
    check(first === newest, `newest first: ${first}, the API says ${newest}`);
    const filtered = page.waitForResponse((r) => r.url().includes("/api/search") && r.url().includes("current=1"));
    await page.locator("#current-only").check();
    await filtered;
    await page.waitForURL(/current=1/);
    const shown = await total();
    const r = await page.request.get(`${base}/api/search?${new URLSearchParams({ q: "营商环境", current: "1", sort: "newest", limit: "1" })}`);
    check(shown === (await r.json()).total, `current total ${shown}`);
    check((await page.locator("#current-only").isChecked()) && (await page.locator("#sort").inputValue()) === "newest", "controls keep their state");
  });

  await step("图表 draws the spread of the query, consistent with the API", async () => {
    const q = "县域经济";
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    await page.locator("#summary").waitFor();
    await page.locator("#view-charts").click();
    await page.locator("#charts #instrument-bars svg").waitFor();
    check(new URL(page.url()).searchParams.get("view") === "charts", `URL ${page.url()}`);
    const api = async (path, params) => {
      const response = await page.request.get(`${base}${path}?${new URLSearchParams(params)}`);
      check(response.status() === 200, `${path}: ${response.status()}`);
      return response.json();
    };
    const timeline = await api("/api/timeline", { q, level: "province" });
    const byYear = await api("/api/crosstab", { q, group_by: "province", by: "year" });
    const { facets } = await api("/api/search", { q, limit: "1" });

    // (a) The adoption curve: a line and a point a year, ending at the API's total.
    const curve = page.locator("#adoption-curve svg");
    check(await curve.getAttribute("role") === "img", "the curve is not labelled as an image");
    check((await curve.locator("title").first().textContent()).includes("采用曲线"), "the curve has no title");
    check(await curve.locator("path.line.cumulative").count() === 1, "no adoption line");
    const points = await curve.locator("circle.point").evaluateAll((cs) => cs.map((c) => [Number(c.dataset.year), Number(c.dataset.cumulative)]));
    check(JSON.stringify(points) === JSON.stringify(timeline.curve.map((c) => [c.year, c.cumulative])),
      `curve points ${JSON.stringify(points)} against the API's ${JSON.stringify(timeline.curve)}`);
    check(points.at(-1)[1] === timeline.first_mentions.length, "the curve does not end at the provinces that said it");
    check(await page.locator("#adoption-curve .chart-data tbody tr").count() === timeline.curve.length, "the curve's table");

    // (d) The tile map: every province a square; the first years are the timeline's.
    const tiles = page.locator("#tile-map svg g.tile");
    check(await tiles.count() === 34, `${await tiles.count()} tiles`);
    const firsts = await page.locator("#tile-map g.tile.first").evaluateAll((ts) =>
      Object.fromEntries(ts.map((t) => [t.dataset.province, Number(t.dataset.firstYear)])));
    const expected = Object.fromEntries(timeline.first_mentions.map((m) => [m.region, m.first_year]));
    check(JSON.stringify(Object.entries(firsts).sort()) === JSON.stringify(Object.entries(expected).sort()),
      `tiles ${JSON.stringify(firsts)} against first mentions ${JSON.stringify(expected)}`);
    const gansu = page.locator('#tile-map g.tile[data-province="甘肃省"]');
    check((await gansu.locator("title").textContent()).includes(`${expected["甘肃省"]}年首次提及`), "甘肃's tile says no year");
    await page.locator("#tiles-by-count").click();
    await page.locator("#tiles-by-count[aria-pressed=true]").waitFor();
    const counts = await page.locator("#tile-map g.tile").evaluateAll((ts) =>
      Object.fromEntries(ts.filter((t) => Number(t.dataset.passages) > 0).map((t) => [t.dataset.province, t.querySelector("text.value").textContent])));
    // National documents (全国) have a row in the heat table but no tile.
    for (const t of byYear.row_totals.filter((r) => r.value !== "(unknown)" && r.value !== "全国")) {
      check(counts[t.value] === String(t.passages), `${t.value}: tile ${counts[t.value]}, API ${t.passages}`);
    }

    // (b) The year × province table: its cells are the cross-tab's.
    const heat = page.locator("#heat-table table.heat");
    check(await heat.locator("tbody tr").count() === byYear.row_values.length, "heat table rows");
    const cells = await heat.locator("tbody td[data-passages]").evaluateAll((tds) =>
      tds.filter((td) => Number(td.dataset.passages) > 0).map((td) => `${td.dataset.row}|${td.dataset.column}|${td.dataset.passages}`));
    const apiCells = byYear.cells.map((c) => `${c.row}|${c.column}|${c.passages}`);
    check(JSON.stringify(cells.sort()) === JSON.stringify(apiCells.sort()), `heat cells ${cells.length}, API ${apiCells.length}`);
    const framed = await heat.locator("td.first").count();
    check(framed === timeline.first_mentions.length, `${framed} framed cells for ${timeline.first_mentions.length} first mentions`);

    // (c) The instrument bars: one a used instrument, as long as the facet's count.
    const bars = await page.locator("#instrument-bars svg g.bar:not(.none)").evaluateAll((gs) =>
      gs.map((g) => [g.dataset.instrument, Number(g.dataset.passages), Number(g.querySelector("rect").getAttribute("width"))]));
    check(bars.length > 0, "no bars");
    const facetCounts = Object.fromEntries(facets.instrument.map((f) => [f.value, f.count]));
    check(bars.length === Object.keys(facetCounts).length, `${bars.length} bars for ${Object.keys(facetCounts).length} instruments`);
    for (const [name, n] of bars) check(facetCounts[name] === n, `${name}: bar ${n}, facet ${facetCounts[name]}`);
    const longest = bars.reduce((a, b) => (b[1] > a[1] ? b : a));
    for (const [name, n, width] of bars) {
      check(Math.abs(width / longest[2] - Math.max(n / longest[1], 2 / longest[2])) < 0.01, `${name}'s bar is not to scale`);
    }

    await page.locator("#tile-map").screenshot({ path: join(artifacts, "charts-tiles-count.png") });
    await page.locator("#tiles-by-year").click();
    await page.locator("#tiles-by-year[aria-pressed=true]").waitFor();
    // The page as tall as the charts, under the header as one sees it.
    await page.setViewportSize({ width: 1280, height: 1960 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, "charts.png") });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A filter from the sidebar narrows the charts too, and the list comes back.
    const facet = page.locator('#facet-region .tree.depth-1 > li > .facet[data-value^="甘肃"]');
    await facet.click();
    await page.waitForFunction(() => document.querySelectorAll("#tile-map g.tile.first").length === 1);
    check(new URL(page.url()).searchParams.get("view") === "charts", "the filter left the charts");
    await page.locator("#view-list").click();
    await page.locator("#hits .hit").first().waitFor();
    check(problems.length === 0, problems.join("\n"));
  });

  await step("text from the query, the index and errors is shown as text, never run", async () => {
    const nasty = `<img src=x onerror="alert(1)">"`;
    await page.goto(`${base}/?q=${encodeURIComponent(nasty)}`);
    await page.locator("#status .error, #summary").first().waitFor();
    check(await page.locator("#view img, #status img").count() === 0, "markup from the query was inserted");
    // A document whose title and text are markup: shown as text, in the
    // hits and in the document view.
    await page.goto(`${base}/?q=${encodeURIComponent("标记测试")}`);
    await page.locator("#hits .hit").first().waitFor();
    const hitText = await page.locator("#hits").innerText();
    check(hitText.includes("<script>") && hitText.includes('<img src=x onerror="alert(1)">'), hitText);
    check(await page.locator("#view img, #view script, #view b").count() === 0, "markup from the index was inserted");
    await page.locator("#hits .hit .open-doc").first().click();
    await page.locator("#document").waitFor();
    const docText = await page.locator("#document").innerText();
    check(docText.includes("<b onmouseover"), docText.slice(0, 200));
    check(await page.locator("#view img, #view script, #view b").count() === 0, "markup in the document view");
    await page.goto(`${base}/?q=${encodeURIComponent("(肉牛")}`);
    const error = page.locator("#status .error");
    await error.waitFor();
    check((await error.innerText()).includes("unbalanced"), await error.innerText());
    check(problems.length === 0, problems.join("\n"));
  });
} catch (e) {
  if (!results.some(([, ok]) => !ok)) {
    results.push(["setup", false]);
    console.log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
  }
} finally {
  if (context) await context.close().catch(() => {});
  if (server) server.kill();
  rmSync(work, { recursive: true, force: true });
}

const passed = results.filter(([, ok]) => ok).length;
const failed = results.length - passed;
console.log(`screenshots in ${artifacts}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
