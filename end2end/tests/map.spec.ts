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

test("a page's WASM is fetched after its first paint: its own bundle's islands, nothing else", async ({ page }) => {
  const wasm = wasmFetched(page);
  // Today's lunch menus: an island, public.
  await page.goto("/lunch");
  await hydrated(page);
  expectIslandsOnly(wasm, "lunch");
  const seen = await page.evaluate(() => ({
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0,
    islands: performance
      .getEntriesByType("resource")
      .filter((entry) => new URL(entry.name).pathname.startsWith("/islands/"))
      .map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime })),
  }));
  expect(seen.paint, "the browser reports its first paint").toBeGreaterThan(0);
  expect(seen.islands.map((file) => file.path.split(".").pop()).sort(), "the bundle's JS and WASM").toEqual(["js", "wasm"]);
  for (const file of seen.islands) expect(file.start, file.path).toBeGreaterThan(seen.paint);
});
