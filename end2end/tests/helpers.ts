import { expect, type Browser, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Demo-2026";
export const DEMO = {
  resident: "13900000001",
  manager: "13900000002",
  department: "13900000003",
  station: "13900000004",
  admin: "13900000006",
  worker: "13900000007",
};

/** The app marks <body data-hydrated> once the WASM has taken over the page. */
export async function hydrated(page: Page) {
  // The browser tests run the debug build, whose WASM is large: allow it time to load.
  await expect(page.locator("body[data-hydrated]")).toBeAttached({ timeout: 30_000 });
}

/** Waits until the page's live channel follows a topic starting with `topic` (the app lists
 * the topics the server has confirmed in <body data-live>). */
export async function following(page: Page, topic: string) {
  await expect(page.locator(`body[data-live*="${topic}"]`)).toBeAttached({ timeout: 15_000 });
}

/** A mainland mobile number no earlier run has used. */
export function freshPhone(): string {
  const digits = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-8);
  return `137${digits}`;
}

export async function signIn(page: Page, phone: string, password: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
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
