import AxeBuilder from "@axe-core/playwright";
import { DEMO, DEMO_PASSWORD, expect, hydrated, signIn, test } from "./helpers";

// axe-core checks labels, names, contrast (WCAG 2 AA) and structure on the main pages.
const PAGES = ["/", "/?view=map&kind=service_station", "/places/1", "/sign-in", "/sign-up", "/me", "/no-such-page"];

for (const path of PAGES) {
  test(`no WCAG A/AA violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      // Leaflet's own controls are outside our markup.
      .exclude(".leaflet-control-container")
      .analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(summary).toEqual([]);
  });
}

test("no WCAG A/AA violations on the admin pages", async ({ page }) => {
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  for (const path of ["/admin/users?q=139", "/admin/places", "/admin/places/1"]) {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}`)).toEqual([]);
  }
});

test("no WCAG A/AA violations on the requests pages", async ({ page }) => {
  await signIn(page, DEMO.resident, DEMO_PASSWORD);
  for (const path of ["/requests", "/requests/new", "/requests/CS2026-000051", "/messages"]) {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
  await page.context().clearCookies();
  await signIn(page, DEMO.manager, DEMO_PASSWORD);
  for (const path of ["/inbox", "/requests/CS2026-000051"]) {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});

test("at 200% zoom (180 CSS px wide) nothing needs sideways scrolling", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 180, height: 390 } });
  for (const path of ["/", "/places/1", "/sign-in", "/me", "/requests/new"]) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
