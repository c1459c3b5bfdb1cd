import { test as base, chromium, expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

/** Content-Security-Policy violations seen in any page of the current test. */
const violations: string[] = [];
/** Panics of a page's WASM (a hydration mismatch, say) and uncaught errors, likewise. */
const crashes: string[] = [];

function watchCrashes(page: Page) {
  // Left while its WASM is still loading (a test's next goto), the page has the load cut
  // off and fails as it goes: nothing anyone sees, so not counted.
  let leaving = false;
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) leaving = true;
  });
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) leaving = false;
  });
  const crashed = (text: string) => {
    if (!leaving) crashes.push(`${new URL(page.url()).pathname}: ${text}`);
  };
  page.on("pageerror", (error) => crashed(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /panicked at|hydration error/.test(message.text())) {
      crashed(message.text().split("\n").slice(0, 4).join(" / "));
    }
  });
}

const watched = new WeakSet<BrowserContext>();

/** Every page of `context` reports the browser's `securitypolicyviolation` events, and its
 * crashes. */
async function watchPolicy(context: BrowserContext) {
  if (watched.has(context)) return;
  watched.add(context);
  context.pages().forEach(watchCrashes);
  context.on("page", watchCrashes);
  await context.exposeBinding("__zdPolicyViolation", (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __zdPolicyViolation: (t: string) => void }).__zdPolicyViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
}

/** Contexts a test opens itself are watched too. */
function watchContextsOf(browser: Browser) {
  const marked = browser as Browser & { __zdWatched?: boolean };
  if (marked.__zdWatched) return;
  marked.__zdWatched = true;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchPolicy(context);
    return context;
  };
}

/** Playwright's `test`, failing any test during which a page violated the app's
 * Content-Security-Policy or the app crashed in the browser. Every spec imports `test` from
 * here. */
export const test = base.extend<{ policyGuard: void; toleratedErrors: RegExp[] }>({
  /** Uncaught errors a test causes on purpose (never a panic), set with `test.use`. */
  toleratedErrors: [[], { option: true }],
  policyGuard: [
    async ({ browser, context, toleratedErrors }, use) => {
      violations.length = 0;
      crashes.length = 0;
      watchContextsOf(browser);
      await watchPolicy(context);
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
      const unexpected = crashes.filter(
        (crash) => /panicked at/.test(crash) || !toleratedErrors.some((error) => error.test(crash)),
      );
      expect(unexpected, "the app crashed in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const DEMO_PASSWORD = "Demo-2026";
export const DEMO = {
  resident: "13900000001",
  manager: "13900000002",
  department: "13900000003",
  station: "13900000004",
  admin: "13900000006",
  worker: "13900000007",
};

/** The loader marks <body data-hydrated> once the page's islands have hydrated, or at once on
 * a page with none. */
export async function hydrated(page: Page) {
  // The WASM loads after the first paint: allow a loaded machine time for it.
  await expect(page.locator("body[data-hydrated]")).toBeAttached({ timeout: 30_000 });
}

/** Waits until the page's live channel follows a topic starting with `topic` (the app lists
 * the topics the server has confirmed in <body data-live>). */
export async function following(page: Page, topic: string) {
  await expect(page.locator(`body[data-live*="${topic}"]`)).toBeAttached({ timeout: 15_000 });
}

/** The path of every WASM file `page` fetches from now on, as it fetches them. */
export function wasmFetched(page: Page): string[] {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path);
  });
  return wasm;
}

/** The bundle cargo-leptos builds as the site's own WASM, in /pkg (`SITE_BUNDLE` in
 * app/src/hydration.rs); ./zd builds the others into /islands. */
const SITE_BUNDLE = "map";

/** Where `bundle`'s files are served: their paths start with this. */
export function bundleFiles(bundle: string): string {
  return bundle === SITE_BUNDLE ? "/pkg/zero-distance." : `/islands/${bundle}.`;
}

/** Asserts that the WASM fetched (`wasmFetched`) was `bundle`'s islands' alone, none of
 * another bundle's. */
export function expectIslandsOnly(wasm: string[], bundle: string) {
  expect(wasm.length, "WASM fetched").toBeGreaterThan(0);
  expect(wasm.filter((path) => !path.startsWith(bundleFiles(bundle))), `WASM other than the ${bundle} islands'`).toEqual([]);
}

/** A mainland mobile number no earlier run has used. */
export function freshPhone(): string {
  const digits = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-8);
  return `137${digits}`;
}

/** Signs up a new account on the sign-up page, which then lands on /me. */
export async function signUp(page: Page, phone: string, name: string, password: string) {
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("昵称").fill(name);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  // As after signing in: /me's own WASM is not counted as the next page's.
  await hydrated(page);
}

export async function signIn(page: Page, phone: string, password: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  // /me's own WASM, fetched once it has painted, is then not counted as the next page's.
  await hydrated(page);
}

/** A demo person signed in on their own phone, at `path`. */
export async function personAt(browser: Browser, phone: string, path: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 },
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await signIn(page, phone, DEMO_PASSWORD);
  await page.goto(path);
  await hydrated(page);
  return page;
}

/** Writes `file`: a Y4M video (what Chromium's fake camera plays) of the image at `src`, on
 * a white page as a camera held over it sees it. Rewriting it while a browser has it open
 * changes what that camera shows from the next time it is opened. */
export async function writeCameraVideo(page: Page, src: string, file: string) {
  const [width, height] = [640, 480];
  const luma: number[] = await page.evaluate(async ({ src, width, height }) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [width, height];
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, width, height);
    g.imageSmoothingEnabled = false;
    g.drawImage(img, (width - 360) / 2, (height - 360) / 2, 360, 360);
    const rgba = g.getImageData(0, 0, width, height).data;
    const y: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) y.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
    return y;
  }, { src, width, height });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`),
    Buffer.from(luma),
    chroma,
  ]));
}

/** A Chromium of its own whose camera shows the video `file` (see `writeCameraVideo`). */
export async function browserWithCamera(info: TestInfo, file: string): Promise<Browser> {
  const launch = info.project.use.launchOptions!;
  const browser = await chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${file}`],
  });
  watchContextsOf(browser);
  return browser;
}
