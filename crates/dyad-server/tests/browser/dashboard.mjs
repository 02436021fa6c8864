// Drives Debian's headless Chromium through chromedriver (W3C WebDriver over
// HTTP, with Node's built-in fetch) against a running dyad server:
// open the dashboard, paste an article, code it, pick a dyad, check the
// timeline, table, detail, network and map, and save a screenshot.
//
//   node dashboard.mjs --url URL --token TOKEN --article FILE --out DIR
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const k of ["url", "token", "article", "out"]) {
  if (!args[k]) {
    console.error(`dashboard.mjs: missing --${k}`);
    process.exit(2);
  }
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMEDRIVER = process.env.CHROMEDRIVER || "chromedriver";
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   - ${name}${detail ? ": " + detail : ""}`);
  } else {
    failed++;
    console.log(`FAIL - ${name}${detail ? ": " + detail : ""}`);
  }
  return ok;
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function waitFor(what, fn, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// The server must be up before the browser opens the page.
await waitFor("the server's /v1/health", async () => (await fetch(new URL("/v1/health", args.url))).ok, 30000);

const port = await freePort();
const driver = spawn(CHROMEDRIVER, [`--port=${port}`], { stdio: ["ignore", "ignore", "inherit"] });
const base = `http://127.0.0.1:${port}`;
const profile = mkdtempSync(join(tmpdir(), "dyad-chromium-"));
let session = null;

async function wd(method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const v = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(v.value && v.value.message ? v.value.message : v).slice(0, 400)}`);
  return v.value;
}
const sess = (p) => `/session/${session}${p}`;
const exec = (script, ...a) => wd("POST", sess("/execute/sync"), { script, args: a });
const find = async (css) => (await wd("POST", sess("/element"), { using: "css selector", value: css }))[ELEMENT];
const click = async (css) => wd("POST", sess(`/element/${await find(css)}/click`), {});
const type = async (css, text) => {
  const el = await find(css);
  await wd("POST", sess(`/element/${el}/clear`), {});
  await wd("POST", sess(`/element/${el}/value`), { text });
};

async function main() {
  await waitFor("chromedriver", async () => (await wd("GET", "/status")).ready, 15000);
  const created = await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "chrome",
        "goog:chromeOptions": {
          binary: CHROMIUM,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            `--user-data-dir=${profile}`,
            "--window-size=1400,2600",
          ],
        },
      },
    },
  });
  session = created.sessionId;
  await wd("POST", sess("/url"), { url: args.url });
  await waitFor("the dashboard to load", () =>
    exec("return document.readyState === 'complete' && typeof Chart === 'function' && typeof topojson === 'object' && /documents/.test(document.querySelector('#health').textContent)"),
  );
  check("dashboard loads with its embedded chart and map libraries", true);

  // Paste the article and code it live.
  const article = readFileSync(args.article, "utf8");
  await exec("const t = document.querySelector('#article'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));", article);
  await exec("document.querySelector('#published').value = '2024-06-02';");
  await type("#token", args.token);
  await click("#code-btn");
  const coded = await waitFor("coded events", () =>
    exec("const s = document.querySelector('#code-status'); if (s.classList.contains('error')) return 'ERROR ' + s.textContent; return document.querySelectorAll('#coded-list li.coded-event').length;"),
  );
  check("pasted article is coded and its events rendered", typeof coded === "number" && coded > 0, `${coded} events`);
  const codedText = await exec("return document.querySelector('#coded-list').textContent");
  check("an IRQ–USA event among them", /IRQ\S*.*USA|USA\S*.*IRQ/.test(codedText));

  // Pick the dyad and draw the timeline.
  await type("#dyad-a", "IRQ");
  await type("#dyad-b", "USA");
  await exec("document.querySelector('#interval').value = 'month'; document.querySelector('#timeline-panel').dataset.drawn = 'false';");
  await click("#dyad-go");
  const drawn = await waitFor("the timeline", () =>
    exec("const p = document.querySelector('#timeline-panel'); return p.dataset.drawn === 'true' && Number(p.dataset.events) > 0 ? {buckets: Number(p.dataset.buckets), events: Number(p.dataset.events)} : false;"),
  );
  check("IRQ–USA timeline has events", drawn.events > 0, `${drawn.events} events in ${drawn.buckets} intervals`);
  const chart = await exec(`
    const c = Chart.getChart('timeline');
    if (!c) return null;
    const bars = c.data.datasets.filter(d => d.type === 'bar').reduce((n, d) => n + d.data.reduce((a, b) => a + (b || 0), 0), 0);
    const lines = c.data.datasets.filter(d => d.type === 'line' && d.data.some(v => v != null)).length;
    const cv = document.querySelector('#timeline');
    const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let ink = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
    return { bars, lines, ink, labels: c.data.labels };`);
  check("timeline chart drawn: stacked QuadClass bars", chart && chart.bars > 0, chart && `${chart.bars} events over ${JSON.stringify(chart.labels)}`);
  check("timeline chart drawn: Goldstein line", chart && chart.lines > 0);
  check("timeline canvas has ink", chart && chart.ink > 2000, chart && `${chart.ink} painted pixels`);

  // Event table and detail with highlights.
  const rows = await waitFor("event table rows", () => exec("return document.querySelectorAll('#events-table tbody tr').length"));
  check("event table lists the dyad's events", rows > 0, `${rows} rows`);
  await click("#events-table tbody tr");
  const detail = await exec(`
    const d = document.querySelector('#event-detail');
    return { marks: [...d.querySelectorAll('.sentence mark')].map(m => m.className + ':' + m.textContent), text: d.textContent };`);
  check("clicking an event shows its sentence with highlighted words", detail.marks.length >= 2, JSON.stringify(detail.marks));
  check("detail shows date, place and pattern", /date/.test(detail.text) && /place/.test(detail.text) && /pattern/.test(detail.text));

  const net = await waitFor("network", () => exec("return document.querySelectorAll('#network path.edge').length"));
  check("actor network drawn", net > 0, `${net} edges`);
  const land = await exec("const p = document.querySelector('#map path.land'); return p ? p.getAttribute('d').length : 0");
  check("map outline drawn from the embedded world atlas", land > 1000);
  const dots = await exec("return document.querySelectorAll('#map circle.event-dot').length");
  console.log(`info - ${dots} located events on the map`);

  const offsite = await exec("return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))");
  check("no request leaves the server (no CDN)", offsite.length === 0, offsite.join(" "));

  await exec("window.scrollTo(0, 0);");
  const png = await wd("GET", sess("/screenshot"));
  const file = join(args.out, "dashboard.png");
  writeFileSync(file, Buffer.from(png, "base64"));
  console.log(`info - screenshot saved to ${file}`);
}

let code = 0;
try {
  await main();
} catch (e) {
  check("browser test ran to the end", false, e.message);
} finally {
  if (session) await wd("DELETE", sess("")).catch(() => {});
  driver.kill();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
if (failed > 0) code = 1;
process.exit(code);
