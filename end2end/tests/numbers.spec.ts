import AxeBuilder from "@axe-core/playwright";
import { DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, hydrated, personAt, signIn, test, wasmFetched } from "./helpers";

test("the admin reaches the overview from 我的, then the numbers, whose charts come with their tables", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await personAt(browser, DEMO.admin, "/me");
  await admin.getByRole("link", { name: "街道总览" }).click();
  await expect(admin).toHaveURL(/\/numbers\/overview$/);
  const tables = admin.getByTestId("overview-table");
  await expect(tables).toHaveCount(3);
  await expect(tables.first()).toContainText("响应率");
  await expect(tables.nth(1)).toContainText("补贴支出");
  await expect(tables.nth(2)).toContainText("发放积分");

  await admin.getByRole("link", { name: "查看数据看板" }).click();
  await expect(admin).toHaveURL(/\/numbers$/);
  await hydrated(admin);
  // The trend: a plotters SVG with a line per rate, and the table of twelve months beside it.
  const trend = admin.getByTestId("trend-chart");
  await expect(trend.locator("svg polyline").first()).toBeAttached();
  await expect(trend.locator("tbody tr")).toHaveCount(12);
  // Departments, ranked, with the formula shown.
  const groups = admin.getByTestId("groups-chart");
  await expect(groups.getByTestId("formula")).toContainText("30% × 响应率");
  await expect(groups.locator("svg rect").first()).toBeAttached();
  await expect(groups.getByTestId("groups-table")).toContainText("街道营商服务办公室");
  // The year's history makes the rates real figures, not dashes.
  await expect(admin.getByTestId("totals")).toContainText(/响应率\s*\d+\.\d%/);
  // The chart fits a phone's width.
  const box = await trend.locator("svg").boundingBox();
  const viewport = admin.viewportSize()!;
  expect(box!.width).toBeLessThanOrEqual(viewport.width);

  // Grouped by building, for one month.
  await admin.getByLabel("分组").selectOption("building");
  const month = await admin.getByLabel("月份").locator("option").nth(2).getAttribute("value");
  await admin.getByLabel("月份").selectOption(month!);
  await admin.getByRole("button", { name: "查看" }).click();
  await expect(admin).toHaveURL(new RegExp(`by=building&month=${month}`));
  await expect(admin.getByTestId("groups-table")).toContainText("楼宇");
  await expect(admin.getByRole("link", { name: "导出本表（CSV）" })).toHaveAttribute("href", `/numbers.csv?by=building&month=${month}`);

  const results = await new AxeBuilder({ page: admin }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("the admin issues an Open311 key, shown once, and revokes it, on a page of the admin's islands", async ({ page }) => {
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  const wasm = wasmFetched(page);
  await page.goto("/admin/open311");
  await hydrated(page);
  expectIslandsOnly(wasm, "admin");
  await page.evaluate(() => ((window as any).zdMarker = "same page"));
  const label = `区级工单系统${Date.now() % 1_000_000}`;
  await page.getByLabel("用途").fill(label);
  await page.getByLabel("代表账号（手机号）").fill("1390000");
  await page.getByRole("button", { name: "签发密钥" }).click();
  // The mistake is named at its field, and no key is issued.
  await expect(page.getByText("请输入 11 位中国大陆手机号，例如 13812345678")).toBeVisible();
  await expect(page.getByTestId("keys").getByText(label)).toHaveCount(0);
  await page.getByLabel("代表账号（手机号）").fill(DEMO.manager);
  await page.getByRole("button", { name: "签发密钥" }).click();
  await expect(page.getByTestId("issued-key")).toHaveText(/^[0-9a-f]{48}$/);
  const row = page.getByTestId("keys").getByRole("listitem").filter({ hasText: label });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "吊销" }).click();
  await expect(page.getByTestId("keys").getByRole("listitem").filter({ hasText: label }).getByText("已吊销")).toBeVisible();
  expect(await page.evaluate(() => (window as any).zdMarker)).toBe("same page");
});
