// Accessibility: axe finds no violation on the desktop and phone layouts in
// both languages, with a kept run listed under the cost chart, step-through
// walking an iteration, the weight editor and the Recent menu open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { useBrowser } from './harness.mjs';
import { openPlanar, setRange } from './persistence-helpers.mjs';
import { clickStep } from './page-helpers.mjs';

const shared = useBrowser();

const LAYOUTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
};

/** axe's violations as lines a person can act on. */
function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`).join('\n');
}

for (const language of ['en', 'ru']) {
  for (const [layout, { viewport, context = {} }] of Object.entries(LAYOUTS)) {
    test(`no axe violations: ${layout}, ${language}, a kept run, step-through, the weight editor and Recent open`, async () => {
      const { page, context: browserContext, problems } = await openPlanar(shared.browser, `${shared.server.url}?lang=${language}`, {
        viewport, context: { reducedMotion: 'reduce', ...context },
      });
      // Back 20 iterations and on with another α: the run left behind is kept and listed.
      await clickStep(page, 40);
      await setRange(page, 'scrubber', 20);
      await setRange(page, 'lr', -0.3);
      await page.waitForSelector('#branches:not([hidden]) button');
      await page.click('#step-through');
      await page.click('#next-stage');
      await page.click('#next-stage');
      await page.waitForFunction(() => document.querySelector('#stage-text').textContent !== '');
      await page.click('#recent-button');
      await page.waitForSelector('#recent .recent-title');
      // The weight editor, opened from a unit of the diagram with the keyboard.
      await page.focus('canvas.node-map[data-layer="1"][data-unit="0"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.param-editor:not([hidden])');
      const results = await new AxeBuilder({ page }).analyze();
      assert.equal(results.violations.length, 0, `axe found:\n${describe(results.violations)}`);
      // What axe could not decide must be only contrast it cannot measure
      // (text over a canvas or in the diagram's SVG, disabled buttons).
      const undecided = results.incomplete.filter((result) => result.id !== 'color-contrast');
      assert.equal(undecided.length, 0, `axe could not decide:\n${describe(undecided)}`);
      assert.ok(results.passes.length > 20, 'axe ran its checks');
      assert.deepEqual(problems, []);
      await browserContext.close();
    });
  }
}
