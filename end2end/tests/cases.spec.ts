import AxeBuilder from "@axe-core/playwright";
import { DEMO, expect, expectIslandsOnly, hydrated, personAt, test, wasmFetched } from "./helpers";

test("a worker finds a solved case by part of a word and says it answered the question", async ({ browser }) => {
  const worker = await personAt(browser, DEMO.worker, "/requests");
  await worker.getByRole("link", { name: "案例查询" }).click();
  await expect(worker).toHaveURL(/\/cases$/);
  await hydrated(worker);
  // 制冷, part of 不制冷, with no spaces around it.
  await worker.getByRole("searchbox", { name: "搜索" }).fill("制冷");
  await worker.getByRole("button", { name: "搜索" }).click();
  await expect(worker).toHaveURL(/q=%E5%88%B6%E5%86%B7/);
  const found = worker.getByTestId("case");
  await expect(found.first()).toContainText("空调不制冷");
  await found.first().getByRole("link").click();
  await expect(worker.getByTestId("case-solution")).toContainText("压缩机");
  await hydrated(worker);
  await worker.getByRole("button", { name: "解决了我的问题，不用再提诉求" }).click();
  await expect(worker.getByText("谢谢您的反馈。")).toBeVisible();
  await expect(worker.getByTestId("helpful-count")).toContainText(/^[1-9]\d* 人觉得有帮助/);

  // Nothing found: the way to ask instead.
  await worker.goto("/cases?q=%E7%81%AB%E6%98%9F%E6%8E%A2%E6%B5%8B");
  await expect(worker.getByTestId("no-cases").getByRole("link", { name: "向楼长提诉求" })).toBeVisible();
});

test("an admin publishes a resolved request as a case, checking the masked text first", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await personAt(browser, DEMO.admin, "/cases");
  // The first demo request no earlier run has published.
  let number = "";
  for (let n = 1; n <= 30 && !number; n++) {
    const candidate = `CS2026-${String(n).padStart(6, "0")}`;
    await admin.goto(`/cases/publish?request=${candidate}`);
    const ready = admin.getByTestId("original");
    await expect(ready.or(admin.getByText("已经发布过案例了"))).toBeVisible();
    if (await ready.isVisible()) number = candidate;
  }
  expect(number, "a demo request not yet published").not.toBe("");
  await hydrated(admin);
  // A page of the knowledge staff's islands: the preview loads the draft again in place.
  await expect(admin.locator('meta[name="wasm-islands"]')).toHaveAttribute("content", /\/islands\/knowledge-staff\./);
  const title = (await admin.getByLabel("标题").inputValue()).trim();
  const word = title.slice(0, 2);
  await admin.getByLabel("还要隐去的词（每行一个）").fill(word);
  await admin.getByRole("button", { name: "预览" }).click();
  await expect(admin.getByLabel("标题")).toHaveValue(new RegExp(`^\\[已隐去\\]`));
  await expect(admin.getByTestId("hidden-kinds")).toContainText("[已隐去]");
  await admin.getByRole("button", { name: "发布", exact: true }).click();
  await expect(admin.getByTestId("case-published")).toBeVisible();
  await admin.getByRole("link", { name: "查看案例" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("[已隐去]");
  await expect(admin.getByRole("heading", { level: 1 })).not.toContainText(word);
});

test("no WCAG A/AA violations on the case pages", async ({ browser }) => {
  const admin = await personAt(browser, DEMO.admin, "/cases");
  for (const route of ["/cases", "/cases?q=%E7%94%B5%E6%A2%AF", "/cases/1", "/qa", "/cases/publish?request=CS2026-000030", "/guides", "/guides/1", "/guides/1/edit"]) {
    await admin.goto(route);
    await hydrated(admin);
    const results = await new AxeBuilder({ page: admin }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${route} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});

test("a worker asking a question sees published cases and answers like it before raising it", async ({ browser }) => {
  const worker = await personAt(browser, DEMO.worker, "/qa");
  await expect(worker.getByTestId("case").first()).toBeVisible();
  await worker.getByRole("link", { name: "我要提问" }).first().click();
  await expect(worker).toHaveURL(/\/requests\/new\?ask=1$/);
  await hydrated(worker);
  await expect(worker.locator("#field-category option:checked")).toHaveText("咨询");
  await worker.getByLabel("标题").fill("空调");
  const panel = worker.getByTestId("matching-cases");
  await expect(panel).toContainText("空调开放时间是几点到几点？");
  await expect(panel).toContainText("办公室空调不制冷");
  await expect(panel.getByText("问答")).toHaveCount(1);
});

test("a worker reads a guide of the service hall, goes to its place, and the place links back", async ({ browser }) => {
  const worker = await personAt(browser, DEMO.worker, "/requests");
  await worker.getByRole("link", { name: "办事大厅" }).click();
  await worker.getByTestId("guide").filter({ hasText: "企业注册地址变更" }).getByRole("link").click();
  await expect(worker.getByTestId("steps").locator("li")).toHaveCount(3);
  await expect(worker.getByTestId("materials")).toContainText("新地址租赁合同");
  await worker.getByTestId("guide-place").click();
  await expect(worker.getByRole("heading", { level: 1 })).toHaveText("苏河党群服务站");
  await expect(worker.getByTestId("place-guides")).toContainText("企业注册地址变更");
});

test("the case library opened directly fetches no WASM, and its search is a plain form", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path);
  });
  for (const library of ["/qa", "/cases"]) {
    await page.goto(library);
    await hydrated(page);
  }
  await page.getByRole("searchbox", { name: "搜索" }).fill("制冷");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/q=%E5%88%B6%E5%86%B7/);
  const found = page.getByTestId("case").filter({ hasText: "空调不制冷" }).first();
  await expect(found).toBeVisible();
  await hydrated(page);
  expect(wasm, "WASM fetched by /qa and /cases").toEqual([]);
  // A case page answers its vote in place, with the knowledge islands' WASM alone: here,
  // to a visitor who has not signed in, with the way to sign in.
  await found.getByRole("link").click();
  await expect(page.getByTestId("case-solution")).toContainText("压缩机");
  await hydrated(page);
  expectIslandsOnly(wasm, "knowledge");
  await page.getByRole("button", { name: "有帮助", exact: true }).click();
  await expect(page.getByRole("status").getByRole("link", { name: "登录后可以评价。" })).toHaveAttribute("href", "/sign-in");
});

test("the admin's guide editor names a missing title at its field, then saves, on a page of islands", async ({ browser }) => {
  const admin = await personAt(browser, DEMO.admin, "/guides");
  const wasm = wasmFetched(admin);
  await admin.goto("/guides/1/edit");
  await hydrated(admin);
  expectIslandsOnly(wasm, "knowledge-staff");
  const title = admin.getByLabel("标题");
  const before = await title.inputValue();
  await title.fill("");
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("请填写此项")).toBeVisible();
  await title.fill(before);
  await admin.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByTestId("guide-saved")).toContainText("已保存。");
  await admin.getByTestId("guide-saved").getByRole("link").click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(before);
});
