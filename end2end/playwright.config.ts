import { defineConfig } from "@playwright/test";

// cargo-leptos starts the server on LEPTOS_SITE_ADDR (./zd test picks a port of its own).
const baseURL = `http://${process.env.LEPTOS_SITE_ADDR ?? "127.0.0.1:3000"}`;

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    // A small phone, the first screen this app is designed for.
    viewport: { width: 360, height: 780 },
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      // Playwright cannot download browsers here; Debian's Chromium is used instead.
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
