// Loads an ecsguard HTML report in headless Chromium through the DevTools protocol and prints
// what a person would see as one JSON object: console errors (script errors, CSP violations),
// how many findings are visible before and after choosing a filter, the order after clicking a
// column header, whether opening a row shows the fix. Writes a screenshot PNG.
//
//   node html_check.js REPORT.html SCREENSHOT.png   (CHROMIUM=/path overrides /usr/bin/chromium)
//
// Exit status: 0 when the page was driven (the caller judges the JSON), 2 when Chromium could
// not be driven. Nothing leaves the machine: the page is a local file whose policy allows no
// network, and Chromium's own background traffic is switched off.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");

const WebSocketImpl = typeof WebSocket !== "undefined" ? WebSocket : require("ws");

const [htmlPath, pngPath] = process.argv.slice(2);
if (!htmlPath || !pngPath) {
  console.error("usage: node html_check.js REPORT.html SCREENSHOT.png");
  process.exit(2);
}
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ecsguard-chromium-"));
const browser = spawn(
  chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    `--user-data-dir=${profile}`,
    "--window-size=1400,1000",
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe"] },
);
let browserLog = "";
browser.stderr.on("data", (d) => (browserLog += d));

function cleanup() {
  try {
    browser.kill("SIGKILL");
  } catch (e) {}
  try {
    fs.rmSync(profile, { recursive: true, force: true });
  } catch (e) {}
}
function fail(message) {
  cleanup();
  console.error(`html_check: ${message}\n${browserLog.slice(-2000)}`);
  process.exit(2);
}
const deadline = setTimeout(() => fail("timed out"), 90000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function devtoolsPort() {
  const file = path.join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(file)) {
      const port = fs.readFileSync(file, "utf8").split("\n")[0].trim();
      if (port) return port;
    }
    if (browser.exitCode !== null) fail(`chromium exited with ${browser.exitCode}`);
    await sleep(100);
  }
  fail("no DevToolsActivePort");
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => {
          try {
            resolve(JSON.parse(body));
          } catch (e) {
            reject(e);
          }
        });
      })
      .on("error", reject);
  });
}

class Session {
  constructor(url) {
    this.ws = new WebSocketImpl(url);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    const onMessage = (data) => {
      const msg = JSON.parse(typeof data === "string" ? data : data.toString());
      if (msg.id && this.pending.has(msg.id)) {
        const { resolve, reject } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) reject(new Error(`${msg.error.message}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners) l(msg);
      }
    };
    if (this.ws.on) this.ws.on("message", onMessage);
    else this.ws.onmessage = (e) => onMessage(e.data);
  }
  open() {
    return new Promise((resolve, reject) => {
      if (this.ws.on) {
        this.ws.on("open", resolve);
        this.ws.on("error", reject);
      } else {
        this.ws.onopen = resolve;
        this.ws.onerror = reject;
      }
    });
  }
  send(method, params = {}) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
  on(listener) {
    this.listeners.push(listener);
  }
  waitFor(method, ms) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method}`)), ms);
      this.on((m) => {
        if (m.method === method) {
          clearTimeout(timer);
          resolve(m.params);
        }
      });
    });
  }
  async eval(expression) {
    const r = await this.send("Runtime.evaluate", { expression, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.text}`);
    return r.result.value;
  }
  async click(selector) {
    const box = await this.eval(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)});
         if (!e) return null; e.scrollIntoView({block: 'center'});
         const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`,
    );
    if (!box) throw new Error(`nothing matches ${selector}`);
    for (const type of ["mousePressed", "mouseReleased"]) {
      await this.send("Input.dispatchMouseEvent", {
        type,
        x: box.x,
        y: box.y,
        button: "left",
        clickCount: 1,
      });
    }
  }
}

(async () => {
  const port = await devtoolsPort();
  const targets = await getJson(`http://127.0.0.1:${port}/json/list`);
  const page = targets.find((t) => t.type === "page");
  if (!page) fail("no page target");
  const s = new Session(page.webSocketDebuggerUrl);
  await s.open();

  const consoleErrors = [];
  s.on((m) => {
    if (m.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(m.params.type)) {
      consoleErrors.push(m.params.args.map((a) => a.value ?? a.description).join(" "));
    } else if (m.method === "Runtime.exceptionThrown") {
      const d = m.params.exceptionDetails;
      consoleErrors.push((d.exception && d.exception.description) || d.text);
    } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
      consoleErrors.push(`${m.params.entry.source}: ${m.params.entry.text}`);
    }
  });
  await s.send("Runtime.enable");
  await s.send("Log.enable");
  await s.send("Page.enable");
  await s.send("Emulation.setDeviceMetricsOverride", {
    width: 1400,
    height: 1000,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const loaded = s.waitFor("Page.loadEventFired", 30000);
  await s.send("Page.navigate", { url: "file://" + path.resolve(htmlPath) });
  await loaded;
  await sleep(200);

  const visible = () =>
    s.eval(`Array.from(document.querySelectorAll('tbody.finding')).filter(b => !b.hidden).length`);
  const result = { consoleErrors };
  result.total = await s.eval(`document.querySelectorAll('tbody.finding').length`);
  result.failRecords = await s.eval(
    `document.querySelectorAll('tbody.finding[data-status="FAIL"]').length`,
  );
  result.initialVisible = await visible();
  result.initialShownText = await s.eval(`document.getElementById('shown').textContent`);

  // A filter: choose FAIL in the status filter, as the change event of a person's choice.
  await s.eval(`(() => { const f = document.getElementById('f-status'); f.focus();
                 f.value = 'FAIL'; f.dispatchEvent(new Event('change', {bubbles: true})); })()`);
  result.afterStatusFilterVisible = await visible();
  result.afterStatusFilterShownText = await s.eval(`document.getElementById('shown').textContent`);
  await s.eval(`(() => { const f = document.getElementById('f-status');
                 f.value = ''; f.dispatchEvent(new Event('change', {bubbles: true})); })()`);
  result.allVisible = await visible();

  // Sorting: a real click on the Resource header, twice.
  const order = () =>
    s.eval(
      `Array.from(document.querySelectorAll('tbody.finding')).map(b => b.getAttribute('data-resource'))`,
    );
  result.orderBefore = await order();
  await s.click(`th[data-key="resource"] button.sort`);
  result.orderAscending = await order();
  result.ariaSortAfterClick = await s.eval(
    `document.querySelector('th[data-key="resource"]').getAttribute('aria-sort')`,
  );
  await s.click(`th[data-key="resource"] button.sort`);
  result.orderDescending = await order();

  // Priority sort, then open the most urgent finding's details with a click on its row.
  await s.click(`th[data-key="prank"] button.sort`);
  await s.click(`tbody.finding:not([hidden]) tr.row td.why`);
  result.detailsOpen = await s.eval(
    `!document.querySelector('tbody.finding tr.details').hidden`,
  );
  result.detailsText = await s.eval(`document.querySelector('tbody.finding tr.details').innerText`);
  await s.eval(`window.scrollTo(0, 0)`);
  await sleep(100);

  const metrics = await s.send("Page.getLayoutMetrics");
  const size = metrics.cssContentSize || metrics.contentSize;
  const shot = await s.send("Page.captureScreenshot", {
    format: "png",
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: 1400, height: Math.min(Math.ceil(size.height), 4000), scale: 1 },
  });
  fs.writeFileSync(pngPath, Buffer.from(shot.data, "base64"));
  result.screenshot = pngPath;

  clearTimeout(deadline);
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  cleanup();
  process.exit(0);
})().catch((e) => fail(e.stack || String(e)));
