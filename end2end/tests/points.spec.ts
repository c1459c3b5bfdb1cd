import { type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { browserWithCamera, DEMO, DEMO_PASSWORD, expect, expectIslandsOnly, following, freshPhone, hydrated, personAt, signIn, signUp, test, wasmFetched, writeCameraVideo } from "./helpers";

/** Shanghai's date and time now plus `minutes`, as the form wants them. */
function shanghai(minutes: number): { day: string; time: string } {
  const at = new Date(Date.now() + (8 * 60 + minutes) * 60_000).toISOString();
  return { day: at.slice(0, 10), time: at.slice(11, 16) };
}

/** A new volunteer, signed up on their own phone. */
async function newVolunteer(browser: Browser, options: BrowserContextOptions = {}, phone = freshPhone()): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true, locale: "zh-CN", ...options });
  const page = await context.newPage();
  await signUp(page, phone, "新志愿者", "volunteer-at-suhe-8");
  return page;
}

/** The organiser publishes an activity that has just begun (check-in is open) and ends in
 * an hour, worth 40 points; returns its title and the organiser's page. An activity keeps
 * to one day, so near midnight it starts at 00:00 or ends at 23:59 instead. */
async function publish(browser: Browser): Promise<{ title: string; organiser: Page }> {
  const organiser = await personAt(browser, DEMO.admin, "/volunteer/new");
  // A page of the organiser's islands: its form sends itself, photo and all.
  await expect(organiser.locator('meta[name="wasm-islands"]')).toHaveAttribute("content", /\/islands\/points-organiser\./);
  const title = `河畔清洁${Date.now() % 1_000_000}`;
  const today = shanghai(0).day;
  let start = shanghai(-5);
  if (start.day !== today) start = { day: today, time: "00:00" };
  let end = shanghai(55);
  if (end.day !== today) end = { day: today, time: "23:59" };
  await organiser.getByLabel("活动名称").fill(title);
  await organiser.getByLabel("活动地点").selectOption({ label: "苏河党群服务站" });
  await organiser.locator("#activity-day").fill(start.day);
  await organiser.locator("#activity-start").fill(start.time);
  await organiser.locator("#activity-end").fill(end.time);
  await organiser.locator("#activity-signup_day").fill(end.day);
  await organiser.locator("#activity-signup_time").fill(end.time);
  await organiser.getByLabel("积分规则").selectOption("fixed");
  await organiser.locator("#activity-points").fill("40");
  await organiser.getByRole("checkbox", { name: "环保" }).check();
  await organiser.getByRole("button", { name: "发布" }).click();
  await expect(organiser.getByText("活动已发布。")).toBeVisible();
  await organiser.getByRole("link", { name: "签到二维码" }).click();
  await expect(organiser.getByTestId("typed-code")).toHaveText(/^\d{6}$/);
  return { title, organiser };
}

/** Signs the volunteer up for the activity called `title`. */
async function signUpFor(volunteer: Page, title: string) {
  await volunteer.goto("/volunteer");
  await hydrated(volunteer);
  const card = volunteer.getByTestId("activity").filter({ hasText: title });
  await card.getByRole("button", { name: "报名" }).click();
  await expect(card.getByTestId("my-status")).toHaveText("已报名");
}

async function codeLink(organiser: Page): Promise<string> {
  return (await organiser.getByTestId("checkin-url").getAttribute("href"))!;
}

/** The organiser's QR code now, as an image URL. */
async function codeImage(organiser: Page): Promise<string> {
  const svg = await organiser.getByRole("img", { name: "签到二维码" }).innerHTML();
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

test("a volunteer signs up, checks in and out by the code's link, earns points and a badge, redeems, and the partner verifies once", async ({ browser }) => {
  test.setTimeout(120_000);
  const { title, organiser } = await publish(browser);
  const volunteer = await newVolunteer(browser);
  // The activities and the organiser's screen are pages of islands, each with its bundle.
  await expect(organiser.locator('meta[name="wasm-islands"]')).toHaveAttribute("content", /^\/islands\/points-organiser\./);
  const wasm = wasmFetched(volunteer);
  await signUpFor(volunteer, title);
  expectIslandsOnly(wasm, "volunteer");
  // The organiser's roster follows along live.
  const roster = organiser.getByTestId("roster");
  await expect(roster).toContainText("新志愿者");
  await expect(roster).toContainText("已报名");

  // The phone's camera opens the link in the QR code; the page confirms by itself.
  await volunteer.goto(await codeLink(organiser));
  await expect(volunteer.getByTestId("checked")).toContainText("签到成功");
  expectIslandsOnly(wasm, "volunteer");
  await expect(roster).toContainText("已签到");

  await organiser.getByRole("link", { name: "签退" }).click();
  await expect(organiser.getByTestId("checkin-url")).toHaveAttribute("href", /\.out\./);
  await volunteer.goto(await codeLink(organiser));
  const done = volunteer.getByTestId("checked");
  await expect(done).toContainText("签退成功");
  await expect(done).toContainText("获得 40 积分");
  await expect(volunteer.getByTestId("new-badges")).toContainText("初次服务");

  await volunteer.getByRole("link", { name: "我的积分" }).click();
  await expect(volunteer.getByTestId("balance")).toHaveText("40");
  await expect(volunteer.getByTestId("badges")).toContainText("初次服务");
  await hydrated(volunteer);
  await volunteer.getByTestId("reward").filter({ hasText: "现磨咖啡一杯" }).getByRole("button", { name: "兑换" }).click();
  const code = (await volunteer.getByTestId("redeemed").locator("span").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);
  await expect(volunteer.getByTestId("balance")).toHaveText("10");
  await expect(volunteer.getByTestId("redemption-qr")).toBeVisible();

  // 盒马's staff verify it once; a second time is refused.
  const partner = await personAt(browser, "13900000005", "/points/verify");
  await partner.getByTestId("redemption-code").fill(code);
  await partner.getByRole("button", { name: "核销" }).click();
  await expect(partner.getByTestId("verified")).toContainText("现磨咖啡一杯");
  await partner.getByRole("button", { name: "核销" }).click();
  await expect(partner.getByRole("alert")).toContainText("已经核销过");
});

test("with no network at the venue the check-in is kept on the phone and sent when it is back", async ({ browser }) => {
  test.setTimeout(120_000);
  const { title, organiser } = await publish(browser);
  const volunteer = await newVolunteer(browser);
  await signUpFor(volunteer, title);
  // The app's service worker is in place from the first visit.
  await volunteer.evaluate(async () => { await navigator.serviceWorker.ready; });
  const link = await codeLink(organiser);

  await volunteer.context().setOffline(true);
  await volunteer.goto(link);
  await expect(volunteer.getByTestId("offline-recorded")).toHaveText("已记录，联网后同步");

  await volunteer.context().setOffline(false);
  await volunteer.goto("/volunteer");
  await expect(volunteer.getByTestId("checkin-synced")).toBeVisible({ timeout: 15_000 });
  await volunteer.reload();
  await expect(volunteer.getByTestId("activity").filter({ hasText: title }).getByTestId("my-status")).toHaveText("已签到");
});

test("the app's own scanner works at a venue with no network, and the scan is sent when it is back", async ({ browser }, info) => {
  test.setTimeout(150_000);
  const { title, organiser } = await publish(browser);
  // The volunteer's phone, its camera pointed at the organiser's screen.
  const video = info.outputPath("checkin-qr.y4m");
  await writeCameraVideo(organiser, await codeImage(organiser), video);
  const phone = await browserWithCamera(info, video);
  try {
    const volunteer = await newVolunteer(phone, { baseURL: info.project.use.baseURL, permissions: ["camera"] });
    await signUpFor(volunteer, title);
    // Having seen the scanner online, the phone keeps it (and its decoder) for offline use.
    await expect.poll(() => volunteer.evaluate(async () => !!(await caches.match("/vendor/barcode-detector/zxing_reader.wasm"))),
      { timeout: 20_000 }).toBe(true);

    await volunteer.context().setOffline(true);
    await volunteer.goto("/volunteer");
    await expect(volunteer.getByText("现在没有网络")).toBeVisible();
    // The code changes every 30 s: the camera sees the one on the screen now.
    await writeCameraVideo(organiser, await codeImage(organiser), video);
    await volunteer.getByRole("button", { name: "扫码签到 / 签退" }).click();
    await expect(volunteer.getByTestId("offline-recorded")).toHaveText("已记录，联网后同步", { timeout: 20_000 });

    await volunteer.context().setOffline(false);
    await volunteer.goto("/volunteer");
    await expect(volunteer.getByTestId("checkin-synced")).toBeVisible({ timeout: 15_000 });
    await volunteer.reload();
    await expect(volunteer.getByTestId("activity").filter({ hasText: title }).getByTestId("my-status")).toHaveText("已签到");
  } finally {
    await phone.close();
  }
});

test("a partner unit offers a reward, adds stock, and sees it redeemed", async ({ browser }) => {
  test.setTimeout(90_000);
  const partner = await personAt(browser, "13900000005", "/points/offer");
  const title = `环保袋${Date.now() % 1_000_000}`;
  await partner.getByLabel("奖品名称").fill(title);
  await partner.getByLabel("所需积分").fill("0");
  await partner.getByLabel("库存", { exact: true }).fill("2");
  await partner.getByLabel("兑换截止日期").fill("2099-12-31");
  await partner.getByLabel("领取地点").fill("服务台");
  await partner.getByRole("button", { name: "上架" }).click();
  // A mistake is named with its fix, and nothing is offered.
  await expect(partner.getByText("请填写 1 到 100000 之间的整数。")).toBeVisible();
  await expect(partner.getByTestId("offered-reward").filter({ hasText: title })).toHaveCount(0);
  await partner.getByLabel("所需积分").fill("5");
  await partner.getByRole("button", { name: "上架" }).click();
  await expect(partner.getByText("奖品已上架。")).toBeVisible();
  const card = partner.getByTestId("offered-reward").filter({ hasText: title });
  await expect(card.getByTestId("offered-counts")).toContainText("剩余 2 · 已兑换 0");
  await card.getByLabel("补充库存").fill("3");
  await card.getByRole("button", { name: "补充库存" }).click();
  await expect(card.getByTestId("offered-counts")).toContainText("剩余 5 · 已兑换 0");

  // The admin gives a volunteer points; the volunteer redeems the new reward.
  const phone = freshPhone();
  const volunteer = await newVolunteer(browser, {}, phone);
  const admin = await personAt(browser, DEMO.admin, "/points/adjust");
  await admin.getByLabel("手机号").fill(phone);
  await admin.getByLabel("积分", { exact: true }).fill("+10");
  await admin.getByLabel("原因").fill("测试奖品兑换");
  await admin.getByRole("button", { name: "调整" }).click();
  await expect(admin.getByText("已调整，当前余额 10 积分。")).toBeVisible();
  await volunteer.goto("/points");
  await hydrated(volunteer);
  await volunteer.getByTestId("reward").filter({ hasText: title }).getByRole("button", { name: "兑换" }).click();
  await expect(volunteer.getByTestId("redeemed")).toBeVisible();
  await partner.reload();
  await expect(partner.getByTestId("offered-reward").filter({ hasText: title }).getByTestId("offered-counts")).toContainText("剩余 4 · 已兑换 1 · 已领取 0");
});

test("an organiser cancels an activity with a reason and the volunteer signed up is told", async ({ browser }) => {
  test.setTimeout(90_000);
  const { title, organiser } = await publish(browser);
  const volunteer = await newVolunteer(browser);
  await signUpFor(volunteer, title);
  // The volunteer waits on the messages page, a page of islands following the live channel.
  const wasm = wasmFetched(volunteer);
  await volunteer.goto("/messages");
  await hydrated(volunteer);
  expectIslandsOnly(wasm, "messages");
  await following(volunteer, "user:");
  await hydrated(organiser);
  await organiser.getByText("取消活动", { exact: true }).click();
  // A reason is needed (the browser asks for it before anything is sent); then it is done.
  await organiser.getByRole("button", { name: "确认取消活动" }).click();
  expect(await organiser.getByLabel("取消原因").evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
  await organiser.getByLabel("取消原因").fill("暴雨预警");
  await organiser.getByRole("button", { name: "确认取消活动" }).click();
  await expect(organiser.getByText("活动已取消，已通知报名的志愿者。")).toBeVisible();
  // The message came in live, unread; "mark all read" marks it read in place.
  const message = volunteer.getByTestId("messages").getByRole("listitem").filter({ hasText: "活动已取消" }).first();
  await expect(message).toHaveAttribute("data-unread", "true");
  await volunteer.getByRole("button", { name: "全部标为已读" }).click();
  await expect(message).toHaveAttribute("data-unread", "false");
  // The screen no longer shows a code.
  await organiser.reload();
  await expect(organiser.getByText("这个活动已取消。")).toBeVisible();
  await expect(organiser.getByTestId("checkin-url")).toHaveCount(0);

  await volunteer.goto("/volunteer");
  await expect(volunteer.getByTestId("activity").filter({ hasText: title }).getByTestId("cancelled")).toHaveText("这个活动已取消。");
});

test("the points pages opened directly load the points islands: the leaderboard is joined in place, the record printed", async ({ browser }) => {
  const volunteer = await newVolunteer(browser);
  const wasm = wasmFetched(volunteer);
  await volunteer.goto("/points/leaderboard");
  await hydrated(volunteer);
  expectIslandsOnly(wasm, "points");
  await volunteer.evaluate(() => ((window as any).zdMarker = "same page"));
  await volunteer.getByRole("button", { name: "我要上榜" }).click();
  // The island loads the board again: the reader is on it now, and may leave it.
  await volunteer.getByRole("button", { name: "不再上榜" }).click();
  await expect(volunteer.getByRole("button", { name: "我要上榜" })).toBeVisible();
  expect(await volunteer.evaluate(() => (window as any).zdMarker)).toBe("same page");

  await volunteer.goto("/points/record");
  await hydrated(volunteer);
  await expect(volunteer.getByTestId("total-hours")).toHaveText("0.00");
  await volunteer.evaluate(() => (window.print = () => ((window as any).zdPrinted = true)));
  await volunteer.getByRole("button", { name: "打印" }).click();
  await expect.poll(() => volunteer.evaluate(() => (window as any).zdPrinted)).toBe(true);
  expectIslandsOnly(wasm, "points");
});

test("no WCAG A/AA violations on the volunteer pages", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  for (const route of ["/volunteer", "/volunteer/new", "/volunteer/1/code", "/points", "/points/verify", "/points/offer", "/points/record", "/points/leaderboard", "/points/adjust"]) {
    await page.goto(route);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${route} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});
