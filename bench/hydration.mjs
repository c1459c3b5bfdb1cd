// What a page's hydration costs the browser's main thread, traced in Debian's Chromium: the
// long tasks after the first contentful paint, the total blocking time Lighthouse would
// simulate from them (each task 4x longer, as on its mobile profile), and how many WASM
// functions V8 compiled on first call (lazy compilation, on the main thread) and how long
// that took. Quieter than Lighthouse, whose simulated figures move a lot between runs here.
//   node bench/hydration.mjs URL [RUNS] [COOKIE]    (bench/hydration.sh runs it on five pages)
import { chromium } from "@playwright/test";

const [url, runs = "3", cookie] = process.argv.slice(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function trace() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true });
  if (cookie) {
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url }]);
  }
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ["toplevel", "devtools.timeline", "v8.wasm", "loading"] });
  await page.goto(url);
  // No selector waits: Playwright would inject its own script into the trace. The page has
  // hydrated well within this on this machine (its loader starts at most 2 s after paint).
  await page.waitForTimeout(5000);
  const hydrated = await page.evaluate(() => document.body.hasAttribute("data-hydrated"));
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  await browser.close();

  const main = events.find((e) => e.name === "thread_name" && e.args.name === "CrRendererMain");
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.pid === main.pid);
  // Top-level tasks only (a task's own nested run loops are part of it).
  const tasks = [];
  for (const e of onMain.filter((e) => e.name === "ThreadControllerImpl::RunTask" || e.name === "RunTask").sort((a, b) => a.ts - b.ts)) {
    const last = tasks[tasks.length - 1];
    if (!last || e.ts >= last.ts + last.dur) tasks.push(e);
  }
  const after = tasks.filter((t) => fcp && t.ts >= fcp.ts).map((t) => t.dur / 1000);
  const lazy = onMain.filter((e) => e.name === "wasm.CompileLazy");
  return {
    hydrated,
    longTasks: after.filter((ms) => ms >= 50 / 4).length,
    longest: Math.max(0, ...after),
    blocking: after.reduce((sum, ms) => sum + Math.max(0, 4 * ms - 50), 0),
    compiled: lazy.length,
    compileMs: lazy.reduce((sum, e) => sum + e.dur, 0) / 1000,
  };
}

const results = [];
for (let i = 0; i < Number(runs); i++) results.push(await trace());
const pick = (key) => median(results.map((r) => r[key]));
console.log(JSON.stringify({
  hydrated: results.every((r) => r.hydrated),
  longest_task_ms: +pick("longest").toFixed(1),
  simulated_blocking_ms: Math.round(pick("blocking")),
  wasm_functions_compiled: pick("compiled"),
  wasm_compile_ms: +pick("compileMs").toFixed(1),
}));
