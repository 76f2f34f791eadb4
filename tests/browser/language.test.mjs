// The page in two languages: ?lang=ru and ?lang=en open in that language,
// the browser's language is followed, the header's switch changes every text
// at once while training goes on, and the choice outlives a reload. A bad
// lang= is named in a message like any bad link value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { importFile, openPlanar, waitForMessage } from './persistence-helpers.mjs';

const shared = useBrowser();

/** What a reader sees first: the header, the controls, the readouts and the inspector. */
function screenTexts(page) {
  return page.evaluate(() => {
    const text = (selector) => document.querySelector(selector).textContent.trim();
    return {
      lang: document.documentElement.lang,
      title: document.title,
      lede: text('.lede'),
      training: text('#run-title'),
      play: text('#play'),
      step: text('#step'),
      rate: text('label[for="lr"]'),
      cost: text('.readouts div:nth-child(2) dt'),
      dataset: document.querySelector('#dataset').selectedOptions[0].textContent,
      inspector: text('.inspector .math-block[data-stage="cost"] h3'),
      layers: text('#layers-label'),
      plot: document.querySelector('#plot').getAttribute('aria-label'),
      undo: document.querySelector('#undo').title,
      gradCheck: text('#grad-check-title'),
      landscape: text('#landscape-draw'),
    };
  });
}

const RUSSIAN = {
  lang: 'ru', training: 'Обучение', step: 'Шаг', rate: 'Скорость обучения α', cost: 'Стоимость J',
  dataset: 'Цветок (из руководства)', inspector: 'Функция стоимости', layers: 'Скрытые слои', undo: 'Нечего отменять',
  gradCheck: 'Проверка градиента', landscape: 'Построить рельеф',
};
const ENGLISH = {
  lang: 'en', training: 'Training', step: 'Step', rate: 'Learning rate α', cost: 'Cost J',
  dataset: 'Flower (the tutorial\'s)', inspector: 'Cost', layers: 'Hidden layers', undo: 'Nothing to undo',
  gradCheck: 'Gradient check', landscape: 'Draw the landscape',
};

function assertScreen(texts, expected) {
  for (const [key, value] of Object.entries(expected)) if (value !== undefined) assert.equal(texts[key], value, key);
}

const reduced = { context: { reducedMotion: 'reduce' } };

test('?lang=ru opens the page in Russian, ?lang=en in English; the link opens no work and leaves the address bar', async () => {
  const ru = await openPlanar(shared.browser, `${shared.server.url}?lang=ru`, reduced);
  const texts = await screenTexts(ru.page);
  assertScreen(texts, RUSSIAN);
  assert.match(texts.title, /нейронная сеть/);
  assert.match(texts.lede, /учится отличать оранжевые точки от синих/);
  assert.equal(texts.play, 'Пуск');
  assert.match(texts.plot, /^Плоскость от -5 до 5 по горизонтали/);
  assert.equal(new URL(ru.page.url()).search, '');
  assert.equal(await ru.page.textContent('#points'), '400', 'the tutorial\'s work, not a new one');
  // A message in Russian: a seed that is not a number.
  await ru.page.fill('#seed', 'abc');
  await ru.page.click('#reset');
  await waitForMessage(ru.page, /^Зерно — целое число от 0 до 4\s294\s967\s295/);
  // A file's problem, found in the import worker, is said in Russian too.
  await importFile(ru.page, 'bad.csv', 'x,y,label\n1,2,3\n');
  await waitForMessage(ru.page, /^Не удалось импортировать bad\.csv: строка 2: метка должна быть 0 или 1 \(или -1 и 1\), а не 3$/);
  assert.equal(await ru.page.textContent('#points'), '400', 'nothing changed');
  // The gradient check speaks Russian; its overall figure stays a plain number.
  await ru.page.click('#grad-check-run');
  await ru.page.waitForFunction(() => document.querySelector('#grad-check-verdict').dataset.verdict === 'correct', null, { timeout: 60_000 });
  assert.match(await ru.page.textContent('#grad-check-verdict'), /^меньше 2e-7: обратное распространение верно\.$/);
  assert.match(await ru.page.textContent('#grad-check-time'), /^17 элементов на итерации \d+, ε = 1e-7: \d+ мс вычислений/);
  const figure = await ru.page.textContent('#grad-check-difference');
  assert.ok(Number.parseFloat(figure) < 1e-7, figure);
  // Switching back rewrites the verdict and the table from the check already made.
  const milliseconds = await ru.page.$eval('#grad-check', (root) => root.dataset.milliseconds);
  await ru.page.click('button[data-language="en"]');
  assert.match(await ru.page.textContent('#grad-check-verdict'), /^below 2e-7: backpropagation is correct\.$/);
  assert.match(await ru.page.getAttribute('#grad-check-table td', 'title'), /^dW1\[1,1\]: backpropagation /);
  assert.equal(await ru.page.textContent('#grad-check-difference'), figure);
  assert.equal(await ru.page.$eval('#grad-check', (root) => root.dataset.milliseconds), milliseconds, 'not checked again');
  // The landscape's refusal of a path not yet taken, in Russian too.
  await ru.page.click('button[data-language="ru"]');
  await ru.page.selectOption('#landscape-directions', 'path');
  await ru.page.waitForFunction(() => /^Рельефа нет: путь пока не сдвинулся в двух направлениях/.test(document.querySelector('#landscape-status').textContent));
  assert.deepEqual(ru.problems, []);
  await ru.context.close();

  const en = await openPlanar(shared.browser, `${shared.server.url}?lang=en`, { context: { reducedMotion: 'reduce', locale: 'ru-RU' } });
  assertScreen(await screenTexts(en.page), ENGLISH);
  assert.deepEqual(en.problems, []);
  await en.context.close();
});

test('the browser\'s language is followed; a bad lang= is named and the page opens in it all the same', async () => {
  const ru = await openPlanar(shared.browser, shared.server.url, { context: { reducedMotion: 'reduce', locale: 'ru-RU' } });
  assertScreen(await screenTexts(ru.page), RUSSIAN);
  await ru.context.close();

  const bad = await openPlanar(shared.browser, `${shared.server.url}?lang=de`, { context: { reducedMotion: 'reduce', locale: 'ru-RU' } });
  await waitForMessage(bad.page, /^В ссылке были ошибки: lang="de" — не язык страницы \(один из: en, ru\)/);
  assertScreen(await screenTexts(bad.page), RUSSIAN);
  assert.equal(await bad.page.textContent('#points'), '400');
  await bad.context.close();
});

test('the switch changes every text at once while training goes on, and the choice outlives a reload', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url);
  assertScreen(await screenTexts(page), ENGLISH);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 5);
  assert.equal(await page.getAttribute('button[data-language="en"]', 'aria-pressed'), 'true');

  await page.click('button[data-language="ru"]');
  const before = Number(await page.textContent('#iteration'));
  await page.waitForFunction(() => document.querySelector('.inspector .math-block[data-stage="cost"] h3')?.textContent === 'Функция стоимости');
  assertScreen(await screenTexts(page), { ...RUSSIAN, undo: undefined });
  assert.equal(await page.textContent('#play'), 'Пауза', 'still training');
  assert.equal(await page.getAttribute('button[data-language="ru"]', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('button[data-language="en"]', 'aria-pressed'), 'false');
  // Training never stopped: the iterations go on from where they were.
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 20, before);
  assert.equal(await page.textContent('#points'), '400');

  await page.reload();
  await page.waitForFunction(() => document.querySelector('#run-title').textContent === 'Обучение');
  await page.click('button[data-language="en"]');
  assertScreen(await screenTexts(page), { ...ENGLISH, undo: undefined });
  assert.deepEqual(problems, []);
  await context.close();
});
