import { DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, freshPhone, hydrated, signIn, signUp, test, wasmFetched } from "./helpers";

test.describe("before any JavaScript runs", () => {
  test.use({ javaScriptEnabled: false });

  test("the page is complete in the server-rendered HTML", async ({ page }) => {
    await page.goto("/me");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { name: "您还没有登录" })).toBeVisible();
    await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
    const tabs = page.getByRole("navigation", { name: "主导航" });
    await expect(tabs.getByRole("link", { name: "地图" })).toBeVisible();
    await expect(tabs.getByRole("link", { name: "我的" })).toBeVisible();
  });
});

test("hydration takes over: a wrong password is answered in place, with a clear error", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.evaluate(() => ((window as any).zdMarker = "same page"));
  await page.getByLabel("手机号").fill(DEMO.resident);
  await page.getByLabel("密码").fill("not-the-password-1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("手机号或密码不正确");
  // The form was handled by the hydrated app, not by a full page load.
  expect(await page.evaluate(() => (window as any).zdMarker)).toBe("same page");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("sign-in loads its own bundle's WASM alone, and its island signs in", async ({ page }) => {
  const wasm = wasmFetched(page);
  await page.goto("/sign-in");
  await hydrated(page);
  expectIslandsOnly(wasm, "accounts");
  // The island signs in, and the redirect loads /me.
  await page.getByLabel("手机号").fill(DEMO.resident);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("display-name")).toBeVisible();
});

test("a bad mobile number is named next to its field", async ({ page }) => {
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("手机号").fill("12345");
  await page.getByLabel("昵称").fill("测试");
  await page.getByLabel("密码").fill("lunch-at-xinhui-7");
  await page.getByRole("button", { name: "注册" }).click();
  const phone = page.getByLabel("手机号");
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-phone-error")).toContainText("11 位中国大陆手机号");
});

test("the language switch persists across a reload", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Zero Distance" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in to Zero Distance" })).toBeVisible();
  await page.getByRole("link", { name: "切换到中文" }).click();
  await expect(page.getByRole("heading", { name: "登录零距离" })).toBeVisible();
});

test("sign up, sign out, sign in again", async ({ page }) => {
  const phone = freshPhone();
  await signUp(page, phone, "新来的白领", "lunch-at-xinhui-7");
  await expect(page.getByTestId("display-name")).toHaveText("新来的白领");
  await expect(page.getByTestId("roles")).toContainText("居民 / 白领");

  // Opened by the sign-up's redirect, /me is server HTML and one island, the button.
  await hydrated(page);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/me");
  await expect(page.getByRole("heading", { name: "您还没有登录" })).toBeVisible();

  await signIn(page, phone, "lunch-at-xinhui-7");
  await expect(page.getByTestId("display-name")).toHaveText("新来的白领");
});

test("a password is changed in place, the wrong current one named at its field", async ({ page }) => {
  const phone = freshPhone();
  await signUp(page, phone, "换密码的人", "lunch-at-xinhui-7");

  await page.goto("/me/password");
  await hydrated(page);
  await page.evaluate(() => ((window as any).zdMarker = "same page"));
  await page.getByLabel("当前密码").fill("not-my-password-1");
  await page.getByLabel("新密码").fill("dinner-at-suhe-8");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByLabel("当前密码")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("密码不正确").first()).toBeVisible();
  await page.getByLabel("当前密码").fill("lunch-at-xinhui-7");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");
  // Answered by the island, without a page load.
  expect(await page.evaluate(() => (window as any).zdMarker)).toBe("same page");

  await page.context().clearCookies();
  await signIn(page, phone, "dinner-at-suhe-8");
  await expect(page.getByTestId("display-name")).toHaveText("换密码的人");
});

test("a resident is refused the admin page; the admin sees it", async ({ page }) => {
  await signIn(page, DEMO.resident, DEMO_PASSWORD);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await expect(page.getByText("13900000002")).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  await page.getByRole("link", { name: "用户与身份管理" }).click();
  await expect(page.getByRole("heading", { name: "用户与身份管理" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "演示楼长 李楼长" })).toBeVisible();
});

test("an admin grants a role and the user sees it", async ({ browser }) => {
  const phone = freshPhone();
  const user = await browser.newPage();
  await signUp(user, phone, "未来的楼长", "lunch-at-xinhui-7");

  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin, DEMO_PASSWORD);
  const wasm = wasmFetched(admin);
  await admin.goto(`/admin/users?q=${phone}`);
  await hydrated(admin);
  expectIslandsOnly(wasm, "admin");
  await expect(admin.getByLabel("按手机号或昵称查找")).toHaveValue(phone);
  const card = admin.getByRole("listitem").filter({ has: admin.getByRole("heading", { name: "未来的楼长" }) });
  await card.getByLabel("身份").selectOption("building_manager");
  await card.getByLabel("负责范围").selectOption({ label: "平高国际大厦" });
  await card.getByRole("button", { name: "授予" }).click();
  await expect(admin.getByRole("status")).toHaveText("已授予身份。");
  await expect(card.getByText("楼长 · 平高国际大厦")).toBeVisible();

  await user.reload();
  await expect(user.getByTestId("roles")).toContainText("楼长 · 平高国际大厦");
});
