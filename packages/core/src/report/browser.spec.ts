// Acceptance (issue 5): report.html of a real offline weather build opened in real headless Chromium
// (Debian's /usr/bin/chromium, which .ci/run installs). Fails on any page error, console error or
// network request other than the file itself, and on a chart that is missing, hidden, empty or
// does not draw what report.json holds. Saves a full-page screenshot to <repo>/dist for people.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildWeatherDataset, REPO, type WeatherBuild } from '../formats/weather-build';
import { CHART_IDS } from './html';
import type { ReportData } from './types';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = join(REPO, 'dist', 'report-screenshot.png');
/** DOM values inside page.evaluate (the workspace compiles without the DOM lib). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

let build: WeatherBuild;
let profile: string;
let context: BrowserContext;
let page: Page;
let data: ReportData;
const problems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: this test opens report.html in Debian's Chromium. Install it (apt-get install chromium; .ci/run installs it) and run the test again.`);
  }
  // A lower dedup threshold makes QC reject near-duplicates, so the rejections chart has bars.
  build = await buildWeatherDataset({ samples: 100, factor: 3, extra: ['dedup: { threshold: 0.6 }'], thresholds: 'scenarioTolerance: 0.05, duplicateRatio: 0.5' });
  data = JSON.parse(build.text('report.json'));
  profile = mkdtempSync(join(tmpdir(), 'forge-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('request', (req) => requests.push(req.url()));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  await page.goto(pathToFileURL(join(build.out, 'report.html')).href, { waitUntil: 'load' });
}, 90_000);

// An error at any point (also while a later test clicks, measures or screenshots) fails that test.
afterEach(() => expect(problems).toEqual([]));

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  build?.cleanup();
});

describe('report.html in headless Chromium', () => {
  it('loads with no page or console error and requests nothing but the file itself', async () => {
    expect(await page.title()).toBe('weather: mcp-forge report');
    expect(await page.locator('#offline-banner').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(build.out, 'report.html')).href]);
  });

  it.each([...CHART_IDS])('%s is present, visible and draws shapes', async (id) => {
    const chart = page.locator(`svg#${id}`);
    expect(await chart.count()).toBe(1);
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(50);
    const shapes = await chart.evaluate((svg: Dom) =>
      [...svg.querySelectorAll('rect, path, circle')].filter((el: Dom) => {
        const b = el.getBBox();
        return b.width > 0 && b.height > 0;
      }).length,
    );
    expect(shapes).toBeGreaterThan(0);
  });

  it('draws one bar per value report.json holds', async () => {
    // Data bars carry a <title> with their value; legend swatches and tracks do not.
    const bars = (id: string) => page.locator(`svg#${id}`).evaluate((svg: Dom) => [...svg.querySelectorAll('rect')].filter((r: Dom) => r.querySelector('title') && r.getBBox().width > 0 && r.getBBox().height > 0).length);
    expect(await bars('chart-scenario-mix')).toBe(data.scenarioMix.filter((m) => m.target > 0).length + data.scenarioMix.filter((m) => m.actual > 0).length);
    expect(await bars('chart-samples-per-tool')).toBe(data.samplesPerTool.length);
    expect(data.samplesPerTool.length).toBe(build.tools.length);
    expect(await bars('chart-rejections')).toBe(data.rejections.length);
    expect(data.rejections.length).toBeGreaterThan(0);
    // Tenths of 0..1 that hold a judge score (from qc.json, independently of the report's binning).
    const scores: number[] = JSON.parse(build.text('qc.json')).judgeScores;
    expect(scores.length).toBeGreaterThan(0);
    expect(await bars('chart-judge-scores')).toBe(new Set(scores.map((x) => Math.min(9, Math.floor(x * 10)))).size);
    const segments = data.usage.flatMap((u) => [u.promptTokens - u.cachedTokens, u.cachedTokens, u.completionTokens - u.reasoningTokens, u.reasoningTokens]).filter((v) => v > 0).length;
    expect(await bars('chart-usage')).toBe(segments);
  });

  it('keeps every chart label inside its chart and the page inside the window', async () => {
    for (const id of CHART_IDS) {
      const outside = await page.locator(`svg#${id}`).evaluate((svg: Dom) => {
        const vb = svg.viewBox.baseVal;
        return [...svg.querySelectorAll('text')]
          .filter((t: Dom) => {
            const b = t.getBBox();
            return b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5;
          })
          .map((t: Dom) => t.textContent);
      });
      expect({ id, outside }).toEqual({ id, outside: [] });
    }
    const overflow = await page.evaluate(() => {
      const root = (globalThis as Dom).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('reads well: round axis ticks, one quiet notes box, a row per stage in the usage chart', async () => {
    // Grid labels are the right-aligned grey texts of the vertical-axis charts.
    for (const id of ['chart-scenario-mix', 'chart-judge-scores']) {
      const ticks = await page.locator(`svg#${id} text[text-anchor="end"][fill="#556"]`).allTextContents();
      const values = ticks.map((t) => Number(t.replace('%', '')));
      expect(values.length).toBeGreaterThanOrEqual(3);
      const step = values[1] - values[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect({ id, ticks, round: [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9) }).toEqual({ id, ticks, round: true });
      values.forEach((v, i) => expect(v).toBeCloseTo(values[0] + i * step, 6));
    }
    expect(await page.locator('.banner').count()).toBe(1); // the offline banner only
    expect(data.warnings!.length).toBeGreaterThan(0);
    expect(await page.locator('#build-notes li').count()).toBe(data.warnings!.length);
    const stages = await page.locator('svg#chart-usage text[text-anchor="end"]').allTextContents();
    expect(stages).toEqual(data.usage.map((u) => u.stage));
  });

  it('saves a full-page screenshot under dist/', async () => {
    mkdirSync(join(REPO, 'dist'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
