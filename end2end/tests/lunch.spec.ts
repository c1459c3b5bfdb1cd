import { expect, test, type Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, hydrated, personAt, signIn } from "./helpers";
import AxeBuilder from "@axe-core/playwright";

const XINHUI = "新会片区党群服务站";

/** Goes through this week's days until 新会's menu takes orders; returns that day's query. */
async function orderableDay(worker: Page): Promise<string> {
  const days = worker.getByRole("navigation", { name: "选择日期" }).getByRole("link");
  for (let i = 0; i < (await days.count()); i++) {
    await days.nth(i).click();
    await expect(days.nth(i)).toHaveAttribute("aria-current", "page");
    await expect(worker.getByTestId("meal").first().or(worker.getByText("这一天还没有菜单。"))).toBeVisible();
    const point = worker.getByRole("region", { name: XINHUI });
    if (await point.getByRole("button", { name: "下单" }).count()) return new URL(worker.url()).search;
  }
  throw new Error("no day this week takes orders at 新会");
}

test("a worker orders, sees the code, cancels and orders again, live at the station", async ({ browser }) => {
  test.setTimeout(120_000);
  const worker = await personAt(browser, DEMO.worker, "/lunch");
  await expect(worker.getByTestId("subsidy")).toContainText("您享受政府补贴");
  const day = await orderableDay(worker);

  // The station's console for that day is open before the order comes in.
  const station = await personAt(browser, DEMO.station, `/lunch/station${day}`);
  await expect(station.getByRole("heading", { name: "站点取餐台" })).toBeVisible();
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
  await signIn(page, DEMO.station, DEMO_PASSWORD);
  for (const path of ["/lunch", "/lunch/orders", "/lunch/station", "/places/1", "ADMIN", "/lunch/settlement"]) {
    if (path === "ADMIN") {
      await page.context().clearCookies();
      await signIn(page, DEMO.admin, DEMO_PASSWORD);
      continue;
    }
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});
