import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers.js';
import { decodePng } from './helpers.js';

// What the functions evaluated in the page use of its globals (the project compiles without the DOM library).
interface PageElement {
  id: string;
  hidden: boolean;
  classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}
declare const document: {
  body: PageElement;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & ArrayLike<PageElement>;
};
declare function getComputedStyle(element: PageElement): { opacity: string };

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`test/diagrams/browser.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium; CI installs it in .ci/run)`);
}

/**
 * The HTML page end to end in a real headless browser: Debian's chromium driven by
 * playwright-core, a fresh profile, nothing but file:// loaded.
 */
describe.skipIf(!hasChromium)(`the HTML page in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is absent)`}`, () => {
  let scratch = '';
  let page = '';
  let context: BrowserContext;
  let tab: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-browser-'));
    page = path.join(scratch, 'shop.html');
    const run = runCli(['graph', fixture('shop'), '--format', 'html', '--output', page]);
    expect(run.status).toBe(0);
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    tab = context.pages()[0] ?? (await context.newPage());
    tab.on('request', (request) => requests.push(request.url()));
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await tab.goto(pathToFileURL(page).href);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const classesOf = (ids: string[]) => tab.evaluate((list) => list.map((id) => document.getElementById(id)?.getAttribute('class') ?? '(missing)'), ids);
  const cycleNodes = ['e_shop_inventory_reservation_failed', 'e_shop_order_placed', 'e_shop_payment_completed', 's_inventory_service', 's_order_service', 's_payment_service'];
  const cycleEdges = [
    's_inventory_service--e_shop_inventory_reservation_failed',
    'e_shop_inventory_reservation_failed--s_order_service',
    's_order_service--e_shop_order_placed',
    'e_shop_order_placed--s_payment_service',
    's_payment_service--e_shop_payment_completed',
    'e_shop_payment_completed--s_inventory_service',
  ];

  it('loads nothing but the file itself, without errors', () => {
    expect(requests).toEqual([pathToFileURL(page).href]);
    expect(errors).toEqual([]);
  });

  it('clicking the event-cycle finding highlights the cycle’s nodes and edges, and only them', async () => {
    await tab.click('.finding:has(.rule:text-is("event-cycle"))');
    expect(await tab.evaluate(() => document.body.classList.contains('highlighting'))).toBe(true);
    for (const classes of await classesOf([...cycleNodes, ...cycleEdges])) expect(classes.split(' ')).toContain('hl');
    for (const classes of await classesOf(['e_shop_order_confirmed', 'e_shop_inventory_reserved', 's_payment_service--e_shop_payment_refunded'])) expect(classes.split(' ')).not.toContain('hl');
    expect(await tab.locator('.finding.active .rule').textContent()).toBe('event-cycle');
  });

  it('clicking a node highlights its neighbourhood', async () => {
    await tab.click('#e_shop_order_confirmed');
    const highlighted = await tab.evaluate(() => [...document.querySelectorAll('#graph .hl')].map((element) => element.id).sort());
    expect(highlighted).toEqual(['e_shop_order_confirmed', 's_order_service', 's_order_service--e_shop_order_confirmed']);
    expect(await tab.locator('#status').textContent()).toBe('shop.order.confirmed: 1 connected');
  });

  it('typing in the search box filters events and services, and the findings', async () => {
    await tab.fill('#search', 'payment');
    const state = await tab.evaluate(() => {
      const nodes = [...document.querySelectorAll('#graph g.node:not(.legend-entry)')];
      return {
        matched: nodes.filter((node) => node.classList.contains('match')).map((node) => node.id).sort(),
        filtered: nodes.filter((node) => node.classList.contains('filtered')).length,
        visibleFindings: [...document.querySelectorAll('.finding')].filter((item) => !item.hidden).length,
        highlighting: document.body.classList.contains('highlighting'),
      };
    });
    expect(state.matched).toEqual(['e_shop_payment_completed', 'e_shop_payment_failed', 'e_shop_payment_refunded', 's_payment_service']);
    expect(state.filtered).toBe(7);
    expect(state.visibleFindings).toBeLessThan(8);
    expect(state.highlighting).toBe(false);
    expect(await tab.locator('#status').textContent()).toBe('4 of 11 match');
    expect(await tab.evaluate(() => getComputedStyle(document.getElementById('e_shop_order_placed')!).opacity)).toBe('0.1');

    await tab.keyboard.press('Escape');
    expect(await tab.evaluate(() => document.querySelectorAll('#graph .filtered, #graph .match, #graph .hl').length)).toBe(0);
  });

  it('draws something: the screenshot is not blank', async () => {
    const png = await tab.screenshot();
    const { width, height, rgba } = decodePng(png);
    expect(width).toBe(1400);
    const colours = new Set<number>();
    let ink = 0;
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (r < 200 || g < 200 || b < 200) ink++;
    }
    expect(colours.size).toBeGreaterThan(100);
    expect(ink / (width * height)).toBeGreaterThan(0.01);
    // The cycle's red is on screen.
    let red = 0;
    for (let i = 0; i < width * height; i++) if (rgba[i * 4]! > 180 && rgba[i * 4 + 1]! < 80 && rgba[i * 4 + 2]! < 80) red++;
    expect(red).toBeGreaterThan(200);
  });
});
