// podmon's web view in Debian's chromium (driven by playwright-core; no browser is downloaded).
// Run by web_view.sh, which starts podmon and kube-sim and records the crashes this test expects.
// Env: PODMON_UI_BASE (http://127.0.0.1:PORT), PODMON_UI_TOKEN, PODMON_UI_STORE, CHROMIUM,
// PODMON_UI_SCREENSHOTS (a directory: save docs/ui-*.png there).
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const { chromium } = require('playwright-core');

const base = process.env.PODMON_UI_BASE;
const token = process.env.PODMON_UI_TOKEN;
const store = process.env.PODMON_UI_STORE || '?';
const shots = process.env.PODMON_UI_SCREENSHOTS || '';
const pods = {
  checkout: 'checkout-7d9c8b6f5d-x2k4q',
  payments: 'payments-api-6f8b9c7d4-p9z7m',
  report: 'nightly-report-28931760-k8s2x',
  hostile: 'hostile-log-5c8d7f9b6-q1w2e',
};

function step(text) { console.log(`== [${store}] ${text}`); }

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `ui-${name}.png`), fullPage: true });
}

async function podsListed(page) {
  return page.locator('#crash-rows tr td:nth-child(4)').allTextContents();
}

// Waits until the list shows exactly `expected` (as a multiset of pod names).
async function expectListed(page, expected) {
  const want = [...expected].sort();
  for (let i = 0; i < 100; i++) {
    const got = (await podsListed(page)).sort();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual((await podsListed(page)).sort(), want);
}

async function withoutCookie() {
  step('data requests without the cookie or token get 401');
  for (const p of ['crashes', 'crashes/1', 'fingerprints', 'timeline', 'namespaces']) {
    const r = await fetch(`${base}/api/v1/${p}`);
    assert.equal(r.status, 401, `/api/v1/${p} without a cookie`);
  }
  const forged = await fetch(`${base}/api/v1/crashes`, { headers: { Cookie: 'podmon_session=' + 'a'.repeat(64) } });
  assert.equal(forged.status, 401, 'a made-up session id');
  const ui = await fetch(`${base}/ui/`);
  const csp = ui.headers.get('content-security-policy') || '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(ui.headers.get('x-content-type-options'), 'nosniff');
  const crossSite = await fetch(`${base}/ui/login`, {
    method: 'POST', redirect: 'manual', body: `token=${encodeURIComponent(token)}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
  });
  assert.equal(crossSite.status, 403, 'a login posted from another origin');
  assert.equal(crossSite.headers.get('set-cookie'), null);
}

async function login(page, context) {
  step('login refused with a wrong token');
  await page.goto(`${base}/ui/`);
  await page.locator('input[name="token"]').fill('wrong-' + token);
  const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log in' }).click()]);
  assert.equal(refused.status(), 401);
  await page.getByText('Wrong token.').waitFor();
  assert.equal((await context.cookies()).length, 0, 'no cookie after a wrong token');
  await shot(page, 'login');

  step('login accepted with the right token');
  await page.locator('input[name="token"]').fill(token);
  await Promise.all([page.waitForURL(`${base}/ui/`), page.getByRole('button', { name: 'Log in' }).click()]);
  const [cookie] = await context.cookies();
  assert.ok(cookie, 'a session cookie');
  assert.equal(cookie.name, 'podmon_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is not readable by script');
}

async function listFilterSearch(page) {
  step('the list shows every crash, newest first');
  await page.getByRole('button', { name: 'Crashes' }).click();
  await expectListed(page, [pods.checkout, pods.checkout, pods.payments, pods.report, pods.hostile]);
  const times = await page.locator('#crash-rows tr td:nth-child(1)').allTextContents();
  assert.deepEqual([...times].sort().reverse(), times, 'newest first');
  const first = await page.locator('#crash-rows tr').first().locator('td').allTextContents();
  assert.deepEqual(first.slice(1), ['browser', 'shop', pods.checkout, 'checkout', 'OOMKilled', '137', first[7]]);
  await shot(page, 'crashes');

  step('filter by namespace');
  await page.getByLabel('Namespace').selectOption('batch');
  await expectListed(page, [pods.report]);
  await page.getByLabel('Namespace').selectOption('');
  await expectListed(page, [pods.checkout, pods.checkout, pods.payments, pods.report, pods.hostile]);

  step('search over pod, container and reason');
  await page.getByLabel('Search').fill('PAYMENTS');
  await expectListed(page, [pods.payments]);
  await page.getByLabel('Search').fill('oomkilled');
  await expectListed(page, [pods.checkout, pods.checkout]);
  await page.getByLabel('Search').fill('report');
  await expectListed(page, [pods.report]);
  await page.getByLabel('Search').fill('');
  await expectListed(page, [pods.checkout, pods.checkout, pods.payments, pods.report, pods.hostile]);

  step('paging through the API with the cookie');
  const pages = await page.evaluate(async () => {
    const one = await (await fetch('/api/v1/crashes?limit=2')).json();
    const two = await (await fetch('/api/v1/crashes?limit=2&cursor=' + encodeURIComponent(one.nextCursor))).json();
    const three = await (await fetch('/api/v1/crashes?limit=2&cursor=' + encodeURIComponent(two.nextCursor))).json();
    return [one, two, three].map((p) => p.items.map((c) => c.id));
  });
  const ids = pages.flat();
  assert.equal(ids.length, 5, `three pages hold the five crashes: ${JSON.stringify(pages)}`);
  assert.equal(new Set(ids).size, 5, 'no crash on two pages');
}

async function detail(page) {
  step('a crash opens by clicking its row');
  await page.locator('#crash-rows tr', { hasText: pods.report }).locator('td').nth(5).click();
  await page.locator('#detail-title').getByText(`batch/${pods.report}`).waitFor();
  assert.match(await page.locator('#detail-log').textContent(), /report failed: no rows for 2026-12-04/);
  const fields = await page.locator('#detail-fields').textContent();
  for (const want of ['Job/nightly-report-28931760', 'ghcr.io/acme/report:1.0.0', 'Exit code42']) assert.ok(fields.includes(want), `detail shows ${want}: ${fields}`);
  assert.ok(await page.locator('#detail-message').isVisible());
  await page.getByRole('button', { name: 'Back to the list' }).click();

  step('and by clicking its pod name');
  await page.locator('#crash-rows a', { hasText: pods.payments }).click();
  await page.locator('#detail-title').getByText(`shop/${pods.payments}`).waitFor();
  const payFields = await page.locator('#detail-fields').textContent();
  assert.ok(payFields.includes('ip-10-0-2-33.ec2.internal'), `the node: ${payFields}`);
  assert.match(await page.locator('#detail-log').textContent(), /panic: payments ledger unreachable/);
  await shot(page, 'detail');
}

async function hostile(page, sideEffects) {
  step('a log of HTML and script payloads is shown as text and runs nothing');
  await page.goto(`${base}/ui/#/crashes`);
  const row = page.locator('#crash-rows tr', { hasText: pods.hostile });
  assert.equal(await row.locator('td').nth(5).textContent(), '<img src=x onerror=window.pwned=1>');
  await row.locator('a').click();
  await page.locator('#detail-title').getByText(`shop/${pods.hostile}`).waitFor();
  const log = await page.locator('#detail-log').textContent();
  for (const payload of ['<script>window.pwned = "script"</script>', `<img src=x onerror="window.pwned = 'img'">`,
    `<svg onload="window.pwned = 'svg'">`, '<iframe src=javascript:window.pwned=1></iframe>', '&amp;']) {
    assert.ok(log.includes(payload), `the log shows ${payload} as text`);
  }
  const made = '#view-detail :is(script, img, svg, iframe), #crash-rows :is(script, img, svg, iframe)';
  assert.equal(await page.locator(made).count(), 0, 'no element made from the payloads');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no payload ran');
  assert.deepEqual(sideEffects, [], 'no dialog, no CSP violation, no page error');
}

async function failures(page) {
  step('failures grouped by fingerprint');
  await page.getByRole('button', { name: 'Failures' }).click();
  const rows = page.locator('#failure-rows tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 4, 'four failures (the two checkout crashes are one)');
  const top = await rows.first().locator('td').allTextContents();
  assert.equal(top[1], 'OOMKilled');
  assert.equal(top[3], '2', 'the checkout failure counts two crashes');
  assert.equal(top[6], '1', 'in one pod');
  assert.equal(top[8], 'ghcr.io/acme/checkout:3.1.0');
  await shot(page, 'failures');
}

async function timeline(page) {
  step('the timeline charts crashes per hour by namespace');
  await page.getByRole('button', { name: 'Timeline' }).click();
  await page.locator('#chart svg rect').first().waitFor();
  const titles = await page.locator('#chart svg rect title').allTextContents();
  const count = (ns) => titles.filter((t) => t.endsWith(` in ${ns}`)).reduce((a, t) => a + Number(/: (\d+) in /.exec(t)[1]), 0);
  assert.equal(count('shop'), 4, `shop's crashes in the chart: ${titles}`);
  assert.equal(count('batch'), 1, `batch's crashes in the chart: ${titles}`);
  const legend = await page.locator('#legend').textContent();
  assert.ok(legend.includes('shop (4)') && legend.includes('batch (1)'), legend);
  await shot(page, 'timeline');
}

(async () => {
  await withoutCookie();
  // As root (CI containers, this test machine) chromium refuses to start without --no-sandbox:
  // its sandbox needs an unprivileged user. The page is our own on 127.0.0.1.
  const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const sideEffects = [];
    page.on('dialog', (d) => { sideEffects.push('dialog: ' + d.message()); d.dismiss(); });
    page.on('pageerror', (e) => sideEffects.push('page error: ' + e.message));
    // The refused login's 401 is logged as a failed resource load: not a side effect of a payload.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) sideEffects.push('console: ' + m.text());
    });
    await login(page, context);
    await listFilterSearch(page);
    await detail(page);
    await failures(page);
    await timeline(page);
    await hostile(page, sideEffects);
    console.log(`PASS [${store}]`);
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(`FAIL [${store}]:`, e && e.stack ? e.stack : e);
  process.exit(1);
});
