import { DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, hydrated, signIn, test, wasmFetched } from "./helpers";

const XINHUI = "新会片区党群服务站";

test.describe("before any JavaScript runs", () => {
  test.use({ javaScriptEnabled: false });

  test("the list and a detail page are complete in the server-rendered HTML", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("place-list").getByRole("listitem").first()).toBeVisible();
    await expect(page.getByRole("link", { name: XINHUI })).toBeVisible();
    await page.getByRole("link", { name: XINHUI }).click();
    await expect(page.getByRole("heading", { name: XINHUI, level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "开放时间" })).toBeVisible();
  });
});

test("filter to lunch points, then search for 服务站", async ({ page }) => {
  const wasm = wasmFetched(page);
  await page.goto("/");
  await hydrated(page);
  // Opened directly, the map list is server HTML and an island: its filters are links.
  await page.getByRole("link", { name: "白领午餐点" }).click();
  await expect(page).toHaveURL(/kind=lunch_point/);
  await expect(page.getByTestId("result-count")).toHaveText(/找到 11 个地点/);

  await page.getByRole("link", { name: "白领午餐点" }).click();
  await expect(page).not.toHaveURL(/kind=/);
  // Turned off from the list itself, the filter stays off: the remembered one is not brought back.
  await hydrated(page);
  await expect(page.getByTestId("result-count")).toHaveText(/找到 \d+ 个地点/);
  await expect(page).not.toHaveURL(/kind=/);
  await page.evaluate(() => ((window as any).zdMarker = "same page"));
  await page.getByLabel("搜索名称、地址或服务").fill("服务站");
  // Debounced: the URL follows the box once typing stops.
  await expect(page).toHaveURL(/q=%E6%9C%8D%E5%8A%A1%E7%AB%99/);
  const names = page.getByTestId("place-list").locator("li > div:first-child a");
  await expect(names).toHaveCount(10);
  for (const name of await names.allTextContents()) expect(name).toContain("服务站");
  // The server's list was brought into the page, which was not loaded anew, and the
  // filters now keep the search.
  expect(await page.evaluate(() => (window as any).zdMarker)).toBe("same page");
  await expect(page.getByLabel("搜索名称、地址或服务")).toBeFocused();
  await expect(page.getByRole("link", { name: "营业中" })).toHaveAttribute("href", /q=%E6%9C%8D%E5%8A%A1%E7%AB%99/);
  expectIslandsOnly(wasm, "map");
});

test("open a detail page and come back", async ({ page }) => {
  await page.goto("/?kind=service_station");
  await hydrated(page);
  await page.getByRole("link", { name: XINHUI }).click();
  await expect(page.getByRole("heading", { name: XINHUI, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: /拨打电话/ })).toHaveAttribute("href", "tel:02162660001");
  await expect(page.getByRole("heading", { name: "开放时间" })).toBeVisible();
  // Back returns to the filtered list.
  await page.goBack();
  await expect(page).toHaveURL(/kind=service_station/);
  await expect(page.getByTestId("result-count")).toHaveText(/找到 10 个地点/);
  // So does the page's own link: the last filters are remembered.
  await page.getByRole("link", { name: XINHUI }).click();
  await page.getByRole("link", { name: "返回列表" }).click();
  await expect(page).toHaveURL(/kind=service_station/);
  await expect(page.getByTestId("place-list")).toBeVisible();
});

test.describe("near me, with the position granted", () => {
  test.use({ geolocation: { latitude: 31.2431, longitude: 121.4372 }, permissions: ["geolocation"] });

  test("lists what is within the 15-minute circle, nearest first", async ({ page }) => {
    await page.goto("/?kind=service_station");
    await hydrated(page);
    await page.getByRole("button", { name: "我的附近" }).click();
    await expect(page).toHaveURL(/near=31\.24310,121\.43720&circle=1/);
    await expect(page.getByTestId("result-count")).toContainText("步行约 15 分钟（1200 米）范围内");
    const items = page.getByTestId("place-list").getByRole("listitem");
    await expect(items.first()).toContainText(XINHUI);
    const distances = await page.getByTestId("distance").allTextContents();
    const metres = distances.map((d) => (d.includes("公里") ? parseFloat(d) * 1000 : parseInt(d, 10)));
    expect(metres.length).toBeGreaterThan(1);
    expect(metres).toEqual([...metres].sort((a, b) => a - b));
    expect(Math.max(...metres)).toBeLessThanOrEqual(1200);

    // The map shows the same places inside the drawn circle.
    await page.getByRole("link", { name: "地图", exact: true }).first().click();
    await expect(page.locator("[data-zd-map]")).toHaveAttribute("data-zd-drawn", String(metres.length));
    await expect(page.locator(".zd-circle")).toBeAttached();
  });
});

test("with the position denied, a clear message and a way to pick a point", async ({ page }) => {
  await page.context().clearPermissions();
  await page.goto("/?kind=service_station");
  await hydrated(page);
  await page.getByRole("button", { name: "我的附近" }).click();
  await expect(page.getByRole("alert")).toContainText("以此为圆心");
  await page.getByRole("listitem").filter({ hasText: XINHUI }).getByRole("link", { name: "以此为圆心" }).click();
  await expect(page).toHaveURL(/circle=1/);
  await expect(page.getByTestId("place-list").getByRole("listitem").first()).toContainText(XINHUI);
});

test("with map tiles blocked, the markers and the outline still show", async ({ page }) => {
  let tileRequests = 0;
  await page.route(/tile\.openstreetmap\.org/, (route) => {
    tileRequests++;
    return route.abort();
  });
  await page.goto("/?kind=service_station");
  await hydrated(page);
  await page.getByRole("link", { name: "地图", exact: true }).first().click();
  await expect(page).toHaveURL(/view=map/);
  const map = page.locator("[data-zd-map]");
  await expect(map).toHaveAttribute("data-zd-drawn", "10");
  await expect(page.locator(".zd-outline")).toBeAttached();
  await expect(page.locator(".zd-creek")).toBeAttached();
  expect(await page.locator(".zd-marker, .marker-cluster").count()).toBeGreaterThan(0);
  expect(tileRequests).toBeGreaterThan(0);
});

test("an admin edits a place and a resident sees the change", async ({ browser }) => {
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin, DEMO_PASSWORD);
  const wasm = wasmFetched(admin);
  await admin.goto("/admin/places?q=梦清园");
  await expect(admin.getByRole("searchbox")).toHaveValue("梦清园");
  await admin.getByRole("link", { name: "编辑" }).first().click();
  await hydrated(admin);
  expectIslandsOnly(wasm, "map-admin");
  await admin.getByLabel("联系电话").fill("021-6266 3009");
  await admin.getByLabel("纬度").fill("31.30");
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.locator("#place-lat-help")).toContainText("不在长寿路街道范围内");
  await admin.getByLabel("纬度").fill("31.2452");
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByRole("heading", { name: "梦清园", level: 1 })).toBeVisible();

  const resident = await browser.newPage();
  await signIn(resident, DEMO.resident, DEMO_PASSWORD);
  await resident.goto("/?q=梦清园");
  await resident.getByRole("link", { name: "梦清园" }).click();
  await expect(resident.getByRole("link", { name: /拨打电话/ })).toHaveAttribute("href", "tel:02162663009");
});

test("a place page opened directly is server HTML that fetches no WASM", async ({ page }) => {
  const wasm = wasmFetched(page);
  await page.goto("/");
  await page.getByRole("link", { name: XINHUI }).click();
  await expect(page.getByRole("heading", { name: XINHUI, level: 1 })).toBeVisible();
  await hydrated(page);
  const before = wasm.length;
  // Opened anew, as a phone following a link would.
  await page.goto(page.url());
  await hydrated(page);
  await expect(page.getByRole("link", { name: /拨打电话/ })).toHaveAttribute("href", "tel:02162660001");
  expect(wasm.slice(before), "WASM fetched by the place page").toEqual([]);
});

/** A page the app hydrates, in the lunch chunk; signed out, it asks the visitor to sign in. */
const APP_PAGE = "/lunch/orders";

test("a page's WASM is fetched after its first paint, with the chunks it names", async ({ page }) => {
  await page.goto(APP_PAGE);
  await hydrated(page);
  const named = (await page.locator('meta[name="wasm-chunks"]').getAttribute("content"))!.split(" ");
  expect(named.length, "the chunk files of lunch").toBeGreaterThan(1);
  const seen = await page.evaluate(() => ({
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0,
    pkg: performance
      .getEntriesByType("resource")
      .filter((entry) => new URL(entry.name).pathname.startsWith("/pkg/") && !entry.name.endsWith(".css"))
      .map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime })),
  }));
  expect(seen.paint, "the browser reports its first paint").toBeGreaterThan(0);
  for (const chunk of named) expect(seen.pkg.map((file) => file.path)).toContain(chunk);
  for (const file of seen.pkg) expect(file.start, file.path).toBeGreaterThan(seen.paint);
});

/** A capability's WASM chunks (and their shared chunks). */
const chunkFiles = /\/pkg\/(chunk|split)_[^/]*\.wasm$/;

test("a link tapped while the page still hydrates loads the next page from the server", async ({ page }) => {
  // The page's chunk is held back: its route waits for it while the router, hydrated
  // already, listens for clicks.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(chunkFiles, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await page.goto(APP_PAGE);
  await page.waitForFunction(() =>
    performance.getEntriesByType("resource").some((entry) => /\/pkg\/zero-distance\.[^/]*\.wasm$/.test(entry.name)),
  );
  // Time for the main module to start hydrating (on this machine it takes well under 0.1 s).
  await page.waitForTimeout(1_000);
  await expect(page.locator("body[data-hydrated]")).not.toBeAttached();
  const fromServer = page.waitForRequest(
    (request) => request.isNavigationRequest() && new URL(request.url()).pathname === "/",
  );
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "地图" }).click();
  await fromServer;
  release();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.getByRole("link", { name: XINHUI })).toBeVisible();
});

test.describe("when a page's code cannot be fetched", () => {
  // These requests fail as if offline.
  // The chunk loader wasm-split generates leaves a refused fetch's promise unhandled, and the
  // browser reports it; the app itself goes on (a panic still fails the test).
  test.use({ toleratedErrors: [/Failed to fetch/] });

  test("a page opened directly stays the server's page, and its links work", async ({ page }) => {
    let refused = 0;
    await page.route(chunkFiles, (route) => {
      refused += 1;
      return route.abort("internetdisconnected");
    });
    await page.goto(APP_PAGE);
    await expect(page.getByRole("main").getByRole("link", { name: "登录" })).toBeVisible();
    await expect.poll(() => refused, { message: "the page asked for its chunk" }).toBeGreaterThan(0);
    // Hydration waits for the chunk for ever; the page is the server's, and nothing crashed
    // (the guard in helpers.ts).
    await expect(page.locator("body[data-hydrated]")).not.toBeAttached();
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "地图" }).click();
    await expect(page).toHaveURL(/\/$/);
    await hydrated(page);
    await expect(page.getByRole("link", { name: XINHUI })).toBeVisible();
  });

  test("a navigation to it says so, and loads it again from the server", async ({ page }) => {
    await page.goto(APP_PAGE);
    await hydrated(page);
    await page.route(chunkFiles, (route) => route.abort("internetdisconnected"));
    // "我的": a page in the accounts' chunk.
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "这一页没能加载" });
    await expect(alert).toBeVisible();
    await expect(page).toHaveURL(/\/me$/);
    await page.unroute(chunkFiles);
    await alert.getByRole("link", { name: "重新加载" }).click();
    await expect(page.getByRole("main").getByRole("link", { name: "登录" })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "这一页没能加载" })).toHaveCount(0);
    await hydrated(page);
  });
});
