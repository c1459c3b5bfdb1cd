import { DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, hydrated, personAt, signIn, test, wasmFetched } from "./helpers";

// An 8×8 PNG, as a phone's camera would hand over a (much larger) photo.
const PHOTO = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4ISeHFTEMLQkAkL9BAbKfPiIAAAAASUVORK5CYII=",
  "base64",
);

test("a worker's problem is routed, claimed, answered and confirmed, live for everyone watching", async ({ browser }) => {
  test.setTimeout(120_000);
  const title = `大堂门禁刷卡失灵 ${Date.now() % 100000}`;

  // The building manager has the inbox open before anything happens.
  const manager = await personAt(browser, DEMO.manager, "/inbox");
  await expect(manager.getByRole("heading", { name: "工作台" })).toBeVisible();

  // The worker raises it from a phone, with a photo.
  const worker = await personAt(browser, DEMO.resident, "/requests/new");
  await worker.getByLabel("问题类别").selectOption({ label: "政策咨询" });
  await expect(worker.getByLabel("所在楼宇")).toHaveValue(/\d+/);
  await worker.getByLabel("所在楼宇").selectOption({ label: "平高国际大厦" });
  await worker.getByLabel("标题").fill(title);
  await worker.getByLabel("问题描述").fill("早上进大楼时门禁刷卡没有反应，保安只能手动开门，排队很久。");
  await worker.getByLabel("照片").setInputFiles({ name: "door.png", mimeType: "image/png", buffer: PHOTO });
  await worker.getByRole("button", { name: "提交给楼长" }).click();
  await expect(worker).toHaveURL(/\/requests\/CS\d{4}-\d{6}$/);
  // The request and the inbox are pages of islands, each with its own bundle.
  await expect(worker.locator('meta[name="wasm-islands"]')).toHaveAttribute("content", /^\/islands\/request-page\./);
  await expect(manager.locator('meta[name="wasm-islands"]')).toHaveAttribute("content", /^\/islands\/requests\./);
  const number = (await worker.getByTestId("tracking-number").textContent())!.trim();
  await expect(worker.getByRole("heading", { name: title })).toBeVisible();
  await expect(worker.locator("img[src*='/requests/photos/']")).toHaveCount(1);
  await hydrated(worker);

  // It appears in the manager's open inbox without a reload.
  const item = manager.locator(`[data-number="${number}"]`);
  await expect(item).toBeVisible({ timeout: 5_000 });
  await item.getByRole("link", { name: title }).click();
  await expect(manager).toHaveURL(new RegExp(`/requests/${number}$`));
  await manager.getByRole("button", { name: "受理" }).click();
  await expect(manager.getByRole("button", { name: "派给所选部门" })).toBeVisible();
  const route = manager.locator("form[data-step=route]");
  // The best suggestion comes checked; this problem is for the business office alone.
  for (const box of await route.getByRole("checkbox").all()) await box.uncheck();
  await route.getByLabel("街道营商服务办公室").check();
  await route.getByRole("button", { name: "派给所选部门" }).click();
  await expect(manager.getByTestId("timeline")).toContainText("派单到部门");

  // The department claims and answers.
  const department = await personAt(browser, DEMO.department, `/requests/${number}`);
  await department.getByRole("button", { name: "认领" }).click();
  const answer = department.locator("form[data-step=answer]");
  await answer.getByLabel("答复内容").fill("已联系物业更换门禁读卡器，今天下午恢复正常。");
  await answer.getByRole("button", { name: "答复" }).click();
  await expect(department.getByTestId("timeline")).toContainText("部门答复");
  const resolve = department.locator("form[data-step=resolve]");
  await resolve.getByLabel("办结说明").fill("门禁读卡器已更换。");
  await resolve.getByRole("button", { name: "办结" }).click();

  // The worker, still on the page, sees the answer arrive, then confirms and rates it.
  await expect(worker.getByTestId("timeline")).toContainText("已联系物业更换门禁读卡器", { timeout: 5_000 });
  await expect(worker.getByText("门禁读卡器已更换。").first()).toBeVisible();
  const confirm = worker.locator("form[data-step=confirm]");
  await confirm.getByLabel("5 ★").check();
  await confirm.getByRole("button", { name: "确认解决并评价" }).click();
  await expect(worker.locator("[data-status=closed]")).toBeVisible();
  await expect(worker.getByTestId("timeline")).toContainText("提出人确认并评价");

  // The manager, who stayed on the request, saw every step live.
  await expect(manager.getByTestId("timeline")).toContainText("提出人确认并评价", { timeout: 5_000 });
});

test("my requests and messages show what concerns me", async ({ page }) => {
  await signIn(page, DEMO.resident, DEMO_PASSWORD);
  const wasm = wasmFetched(page);
  await page.goto("/requests");
  await hydrated(page);
  expectIslandsOnly(wasm, "requests");
  await expect(page.getByRole("heading", { name: "我的诉求" })).toBeVisible();
  await expect(page.getByTestId("request-list")).toContainText("电梯早高峰排队太久");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "消息" }).click();
  await expect(page.getByRole("heading", { name: "我的消息" })).toBeVisible();
});

test("a bad submission names the field and keeps what was typed", async ({ page }) => {
  await signIn(page, DEMO.resident, DEMO_PASSWORD);
  const wasm = wasmFetched(page);
  await page.goto("/requests/new");
  await hydrated(page);
  expectIslandsOnly(wasm, "request-form");
  await page.getByLabel("问题类别").selectOption({ label: "其他" });
  await page.getByLabel("标题").fill("一份合同扫描件");
  await page.getByLabel("问题描述").fill("附件是合同。");
  await page.getByLabel("照片").setInputFiles({ name: "contract.jpg", mimeType: "image/jpeg", buffer: Buffer.from("%PDF-1.7 not a photo") });
  await page.getByRole("button", { name: "提交给楼长" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "JPEG、PNG 或 WebP" })).toBeVisible();
  await expect(page.getByLabel("标题")).toHaveValue("一份合同扫描件");
  await expect(page).toHaveURL(/\/requests\/new$/);
});

test("the company field suggests the companies of the chosen building", async ({ page }) => {
  await signIn(page, DEMO.resident, DEMO_PASSWORD);
  await page.goto("/requests/new");
  await hydrated(page);
  const suggestions = page.locator("#company-list option");
  await expect(suggestions.first()).toBeAttached();
  const first = await suggestions.evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).join("|"));
  const building = page.getByLabel("所在楼宇");
  const other = await building.locator("option").nth(1).getAttribute("value");
  const chosen = await building.inputValue();
  await building.selectOption(other === chosen ? (await building.locator("option").nth(0).getAttribute("value"))! : other!);
  await expect
    .poll(() => suggestions.evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).join("|")))
    .not.toBe(first);
  await expect(suggestions.first()).toBeAttached();
});

test("the inbox's filters are a plain form, and a company a worker typed in waits there for the manager", async ({ browser }) => {
  const suffix = Date.now() % 100000;
  const company = `测试科技有限公司${suffix}`;
  const title = `会议室投影仪无法连接 ${suffix}`;
  const worker = await personAt(browser, DEMO.resident, "/requests/new");
  await worker.getByLabel("问题类别").selectOption({ label: "其他" });
  await worker.getByLabel("所在楼宇").selectOption({ label: "平高国际大厦" });
  await worker.getByLabel("所在企业").fill(company);
  await worker.getByLabel("标题").fill(title);
  await worker.getByLabel("问题描述").fill("三楼会议室的投影仪连不上笔记本电脑。");
  await worker.getByRole("button", { name: "提交给楼长" }).click();
  await expect(worker).toHaveURL(/\/requests\/CS\d{4}-\d{6}$/);

  const manager = await personAt(browser, DEMO.manager, "/inbox");
  const pending = manager.getByTestId("pending-companies").getByRole("listitem").filter({ hasText: company });
  await pending.getByRole("button", { name: "确认" }).click();
  await expect(pending).toHaveCount(0);

  // Filtering loads the inbox anew, with the filters in its address and its export link.
  const building = manager.getByLabel("所在楼宇");
  await building.selectOption({ label: "平高国际大厦" });
  const id = await building.inputValue();
  await manager.getByRole("button", { name: "筛选" }).click();
  await expect(manager).toHaveURL(new RegExp(`/inbox\\?status=&due=&building=${id}&`));
  await hydrated(manager);
  await expect(manager.getByLabel("所在楼宇")).toHaveValue(id);
  await expect(manager.getByRole("link", { name: /导出/ })).toHaveAttribute("href", `/requests.csv?building=${id}`);
  await expect(manager.getByTestId("inbox").getByRole("link", { name: title })).toBeVisible();
  // The new request is open: returned ones are others.
  await manager.getByLabel("状态").selectOption({ label: "已退回" });
  await manager.getByRole("button", { name: "筛选" }).click();
  await expect(manager).toHaveURL(/\/inbox\?status=returned&/);
  await expect(manager.getByLabel("状态")).toHaveValue("returned");
  await expect(manager.getByRole("link", { name: title })).toHaveCount(0);
});

test("the admin marks a make-up working day in the calendar, then sets it back, on a page of the admin's islands", async ({ page }) => {
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  const wasm = wasmFetched(page);
  // A year no other test uses, so that the days listed are this test's.
  await page.goto("/admin/calendar?year=2031");
  await hydrated(page);
  expectIslandsOnly(wasm, "admin");
  const day = `2031-03-${10 + (Date.now() % 15)}`;
  const listed = page.getByTestId("calendar").getByRole("listitem").filter({ hasText: day });
  await page.getByLabel("日期").fill(day);
  await page.getByLabel("这一天").selectOption("work");
  await page.getByLabel("说明").fill("测试调休");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(listed).toContainText("调休上班 测试调休");
  await page.getByLabel("这一天").selectOption("default");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(listed).toHaveCount(0);
});
