// cargo-leptos runs the tests as soon as it has started the server; the server still has to
// start its private PostgreSQL and load the demo data, so wait until it answers.
export default async function globalSetup() {
  const url = `http://${process.env.LEPTOS_SITE_ADDR ?? "127.0.0.1:3000"}/`;
  const deadline = Date.now() + 90_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer at ${url} within 90 s (${last})`);
}
