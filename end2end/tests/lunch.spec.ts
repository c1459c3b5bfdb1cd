import { type Browser, type Page } from "@playwright/test";
import { browserWithCamera, DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, following, hydrated, personAt, signIn, test, wasmFetched, writeCameraVideo } from "./helpers";
import AxeBuilder from "@axe-core/playwright";

const XINHUI = "新会片区党群服务站";

/** Goes through this week's days until 新会's menu takes orders, then (on a Friday evening
 * or a weekend, when this week's are closed) the next days by address; returns that day's
 * query. */
async function orderableDay(worker: Page): Promise<string> {
  const takesOrders = async () => {
    await expect(worker.getByTestId("meal").first().or(worker.getByText("这一天还没有菜单。"))).toBeVisible();
    const point = worker.getByRole("region", { name: XINHUI });
    return (await point.getByRole("button", { name: "下单" }).count()) > 0;
  };
  const days = worker.getByRole("navigation", { name: "选择日期" }).getByRole("link");
  for (let i = 0; i < (await days.count()); i++) {
    await days.nth(i).click();
    await expect(days.nth(i)).toHaveAttribute("aria-current", "page");
    if (await takesOrders()) return new URL(worker.url()).search;
  }
  for (let ahead = 1; ahead <= 7; ahead++) {
    const day = new Date(Date.now() + (8 * 60 + ahead * 24 * 60) * 60_000).toISOString().slice(0, 10);
    await worker.goto(`/lunch?day=${day}`);
    await hydrated(worker);
    if (await takesOrders()) return `?day=${day}`;
  }
  throw new Error("no day of the coming week takes orders at 新会");
}

test("a worker orders, sees the code, cancels and orders again, live at the station", async ({ browser }) => {
  test.setTimeout(120_000);
  const worker = await personAt(browser, DEMO.worker, "/lunch");
  await expect(worker.getByTestId("subsidy")).toContainText("您享受政府补贴");
  const day = await orderableDay(worker);

  // The station's console for that day is open before the order comes in.
  const station = await personAt(browser, DEMO.station, `/lunch/station${day}`);
  await expect(station.getByRole("heading", { name: "站点取餐台" })).toBeVisible();
  await following(station, "lunch:");
  const before = await station.getByTestId("station-orders").locator("tbody tr").count();

  const point = worker.getByRole("region", { name: XINHUI });
  const meal = point.getByTestId("meal").filter({ has: worker.getByRole("button", { name: "下单" }) }).first();
  await expect(meal.getByTestId("price-split")).toContainText("政府补贴 −¥5");
  await meal.getByRole("button", { name: "下单" }).click();
  await expect(worker).toHaveURL(/\/lunch\/orders$/);
  const card = worker.getByTestId("pickup-card").first();
  const code = (await card.getByTestId("pickup-code").textContent())!.trim();
  expect(code).toMatch(/^\d{4}$/);
  await expect(card.getByTestId("saved")).toContainText("政府补贴为您省了 ¥5");
  const qr = card.getByRole("img", { name: "取餐二维码" });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // It reaches the station without a reload.
  await expect(station.getByTestId("station-orders")).toContainText(code, { timeout: 5_000 });
  await expect(station.getByTestId("station-orders").locator("tbody tr")).toHaveCount(before + 1);

  // Cancelled before the cutoff: gone from the top, in the history as cancelled.
  await hydrated(worker);
  await card.getByRole("button", { name: "取消订单" }).click();
  await expect(worker.getByTestId("pickup-code").filter({ hasText: code })).toHaveCount(0);
  await expect(worker.getByText("已取消").first()).toBeVisible();

  // And ordered again, with a new code.
  await worker.goto(`/lunch${day}`);
  await hydrated(worker);
  await point.getByTestId("meal").filter({ has: worker.getByRole("button", { name: "下单" }) }).first()
    .getByRole("button", { name: "下单" }).click();
  await expect(worker).toHaveURL(/\/lunch\/orders$/);
  const again = worker.getByTestId("pickup-card").first();
  await expect(again.getByTestId("pickup-code")).toHaveText(/^\d{4}$/);
  expect(await again.getByTestId("pickup-code").textContent()).not.toBe(code);
  await expect(station.getByTestId("station-orders")).toContainText("已取消");

  // Leave the demo worker's day as it was (the subsidy free again), for the next run.
  await hydrated(worker);
  await again.getByRole("button", { name: "取消订单" }).click();
  await expect(worker.getByTestId("pickup-card")).toHaveCount(0);
});

test("no WCAG A/AA violations on the lunch pages", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.station, DEMO_PASSWORD);
  for (const route of ["/lunch", "/lunch/orders", "/lunch/station", "/lunch/menus", "/places/1", "ADMIN", "/lunch/settlement", "/lunch/subsidy", "/lunch/surveys", "/lunch/survey"]) {
    if (route === "ADMIN") {
      await page.context().clearCookies();
      await signIn(page, DEMO.admin, DEMO_PASSWORD);
      continue;
    }
    await page.goto(route);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${route} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});

/** The admin's menu editor of one lunch point (each test keeps to its own point). */
async function menuEditor(browser: Browser, point: string): Promise<Page> {
  const admin = await personAt(browser, DEMO.admin, "/lunch/menus");
  const wasm = wasmFetched(admin);
  await admin.getByRole("link", { name: point }).click();
  await expect(admin.getByText(`${point} · 当前每份补贴`)).toBeVisible();
  await hydrated(admin);
  // A page of islands, in the station's bundle.
  expectIslandsOnly(wasm, "lunch-station");
  return admin;
}

/** Adds a meal on the station's menu editor, on the day shown; returns its name. */
async function addMeal(station: Page, fields: Record<string, string>): Promise<string> {
  const name = `测试套餐${Date.now() % 1_000_000}`;
  const form = station.getByTestId("meal-form-new");
  await form.getByLabel("套餐名称", { exact: true }).fill(name);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole("button", { name: "添加套餐" }).click();
  await expect(station.getByTestId("menu-meals")).toContainText(name);
  return name;
}

test("a meal added at the station appears on an open menu, sells out there live and comes back", async ({ browser }) => {
  test.setTimeout(120_000);
  const station = await menuEditor(browser, "长寿湾党群服务站");
  // Tomorrow takes orders all day today (ordering opens six days ahead).
  const tomorrow = station.getByRole("navigation", { name: "选择日期" }).getByRole("link", { name: "明天" });
  await tomorrow.click();
  await expect(tomorrow).toHaveAttribute("aria-current", "page");
  const day = new URL(station.url()).searchParams.get("day");
  await hydrated(station);

  // Someone is looking at tomorrow's menus, signed out, before the meal exists.
  const watcherContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 780 } });
  const watcher = await watcherContext.newPage();
  await watcher.goto(`/lunch?day=${day}`);
  await hydrated(watcher);
  await following(watcher, "lunch");

  const name = await addMeal(station, { "原价（元）": "20", "商户让利（元）": "2", "供应份数": "1" });
  const seen = watcher.getByTestId("meal").filter({ hasText: name });
  await expect(seen.getByTestId("portions-left")).toHaveText("剩 1 / 1 份", { timeout: 5_000 });

  // Another person orders the last portion: sold out on the open menu, without a reload.
  const buyer = await personAt(browser, DEMO.resident, `/lunch?day=${day}`);
  await buyer.getByTestId("meal").filter({ hasText: name }).getByRole("button", { name: "下单" }).click();
  await expect(buyer).toHaveURL(/\/lunch\/orders$/);
  await expect(seen.getByTestId("portions-left")).toHaveText("已售罄", { timeout: 5_000 });

  // Cancelled: the portion is back, live.
  await hydrated(buyer);
  const card = buyer.getByTestId("pickup-card").filter({ hasText: name });
  await card.getByRole("button", { name: "取消订单" }).click();
  await expect(seen.getByTestId("portions-left")).toHaveText("剩 1 / 1 份", { timeout: 5_000 });
});

// Today's meal takes orders until 23:58 Shanghai time (a hand-over is always of today's
// orders), so this test cannot pass in the last two minutes of a Shanghai day.
test("the station hands a meal over by scanning the worker's QR code with the camera", async ({ browser }, info) => {
  test.setTimeout(120_000);
  const station = await menuEditor(browser, "苏河党群服务站");
  const name = await addMeal(station, {
    "原价（元）": "18",
    "供应份数": "5",
    "截单时间": "23:58",
    "取餐开始": "23:58",
    "取餐结束": "23:59",
  });
  const buyer = await personAt(browser, DEMO.resident, "/lunch");
  await buyer.getByTestId("meal").filter({ hasText: name }).getByRole("button", { name: "下单" }).click();
  await expect(buyer).toHaveURL(/\/lunch\/orders$/);
  const card = buyer.getByTestId("pickup-card").filter({ hasText: name });
  const code = (await card.getByTestId("pickup-code").textContent())!.trim();
  const src = (await card.getByRole("img", { name: "取餐二维码" }).getAttribute("src"))!;

  // The worker's QR code, as the tablet's camera sees it.
  const video = info.outputPath("qr.y4m");
  await writeCameraVideo(buyer, src, video);
  const tablet = await browserWithCamera(info, video);
  try {
    const context = await tablet.newContext({ baseURL: info.project.use.baseURL, locale: "zh-CN", permissions: ["camera"], viewport: { width: 800, height: 1280 } });
    const console = await context.newPage();
    await signIn(console, DEMO.admin, DEMO_PASSWORD);
    await console.goto("/lunch/station");
    await console.getByRole("link", { name: "苏河党群服务站" }).click();
    await hydrated(console);
    await console.getByRole("button", { name: "扫码" }).click();
    await expect(console.getByTestId("handed-over")).toContainText(name, { timeout: 20_000 });
    await expect(console.getByTestId("station-orders").locator("tr", { hasText: code })).toContainText("已取餐");
    await expect(console.getByRole("button", { name: "扫码" })).toHaveAttribute("aria-expanded", "false");

    // A second order, its code typed (the form is empty and ready for it).
    await buyer.goto("/lunch");
    await hydrated(buyer);
    await buyer.getByTestId("meal").filter({ hasText: name }).getByRole("button", { name: "下单" }).click();
    await expect(buyer).toHaveURL(/\/lunch\/orders$/);
    const typed = (await buyer.getByTestId("pickup-card").filter({ hasText: name }).getByTestId("pickup-code").textContent())!.trim();
    await expect(console.getByTestId("station-orders")).toContainText(typed, { timeout: 5_000 });
    await expect(console.getByTestId("code-input")).toHaveValue("");
    await console.getByTestId("code-input").fill(typed);
    await console.getByLabel("付款方式").selectOption({ label: "现金" });
    await console.getByRole("button", { name: "核销取餐" }).click();
    await expect(console.getByTestId("station-orders").locator("tr", { hasText: typed })).toContainText("已取餐");
  } finally {
    await tablet.close();
  }
  // The worker sees it picked up.
  await buyer.reload();
  await expect(buyer.getByTestId("pickup-card").filter({ hasText: name })).toHaveCount(0);
});

test("the admin publishes a survey, a worker answers it once, the results are a chart and its table", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await personAt(browser, DEMO.admin, "/lunch/surveys");
  const title = `午餐满意度${Date.now() % 1_000_000}`;
  await admin.getByLabel("调查标题").fill(title);
  const first = admin.getByRole("group", { name: "题目 1" });
  await first.getByLabel("题型").selectOption("single");
  await first.getByLabel("题目", { exact: true }).fill("今天的午餐满意吗？");
  await first.getByLabel("选项（每行一个）").fill("满意\n一般\n不满意");
  const second = admin.getByRole("group", { name: "题目 2" });
  await second.getByLabel("题型").selectOption("text");
  await second.getByLabel("题目", { exact: true }).fill("还想吃什么？");
  await admin.getByRole("button", { name: "发布调查" }).click();
  await expect(admin.getByText("调查已发布。")).toBeVisible();

  const worker = await personAt(browser, DEMO.manager, "/lunch");
  await worker.getByTestId("survey-invite").filter({ hasText: title }).click();
  await expect(worker.getByRole("heading", { name: title })).toBeVisible();
  // Opened directly, the survey is a page of islands, in the bundle of the worker's orders;
  // its form sends itself.
  const wasm = wasmFetched(worker);
  await worker.reload();
  await hydrated(worker);
  expectIslandsOnly(wasm, "lunch-orders");
  await worker.getByRole("radio", { name: "一般" }).check();
  await worker.getByLabel("2. 还想吃什么？").fill("多一些面食");
  await worker.getByRole("button", { name: "提交" }).click();
  await expect(worker.getByTestId("survey-thanks")).toBeVisible();
  await worker.reload();
  await expect(worker.getByTestId("survey-thanks")).toBeVisible();

  await admin.getByRole("link", { name: title }).click();
  await expect(admin.getByTestId("survey-responses")).toHaveText("1 人填写");
  const chart = admin.getByTestId("survey-chart");
  await expect(chart.locator("svg")).toBeVisible();
  await expect(chart.getByRole("row", { name: "一般" })).toContainText("100");
  await expect(admin.getByText("多一些面食")).toBeVisible();
});

test("the admin's subsidy rule names a bad amount at its field, then saves, on a page of islands", async ({ browser }) => {
  const admin = await personAt(browser, DEMO.admin, "/lunch/menus");
  const wasm = wasmFetched(admin);
  await admin.goto("/lunch/subsidy");
  await hydrated(admin);
  expectIslandsOnly(wasm, "lunch-admin");
  const perMeal = admin.getByLabel("每份补贴（元）");
  // Saved as it is, so that the other tests' prices stay.
  const now = await perMeal.inputValue();
  await perMeal.fill("五元");
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("请填写金额，如 25 或 25.50。")).toBeVisible();
  await expect(perMeal).toHaveAttribute("aria-invalid", "true");
  await perMeal.fill(now);
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText(/已保存，\d+ 个尚无订单的套餐已按新补贴计价。/)).toBeVisible();
});
