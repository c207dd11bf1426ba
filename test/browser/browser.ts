import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export async function signIn(context: BrowserContext, base: string, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  return page;
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page (WCAG 2.1 A and AA). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const scope = globalThis as unknown as {
      document: unknown;
      axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
    };
    return scope.axe.run(scope.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Screenshots for the README, written when CARNET_SCREENSHOTS is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.CARNET_SCREENSHOTS) return;
  await page.screenshot({ path: path.resolve(__dirname, '../../docs/screenshots', `${name}.png`), fullPage: false });
}

/** Types part of a name in a combobox, waits for the option, and chooses it with the keyboard. */
export async function pick(page: Page, label: string, typed: string, option: string): Promise<void> {
  const field = page.getByRole('combobox', { name: label, exact: true });
  await field.click();
  await field.pressSequentially(typed, { delay: 30 });
  const listbox = page.locator(`#${await field.getAttribute('aria-controls')}`);
  await listbox.getByRole('option', { name: new RegExp(option) }).waitFor();
  expect(await field.getAttribute('aria-expanded')).toBe('true');
  // The first option is active at once; ↓ then ↑ walks the list and comes back to it.
  await field.press('ArrowDown');
  await field.press('ArrowUp');
  const active = await field.getAttribute('aria-activedescendant');
  expect(await page.locator(`#${active}`).innerText()).toContain(option);
  await field.press('Enter');
  expect(await field.getAttribute('aria-expanded')).toBe('false');
}

/** A date as a datetime-local input takes it, in the browser's (and the test's) time zone. */
export const localInput = (d: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Puts an in-process test app on a port a browser can reach; its base URL. */
export async function listenForBrowser(app: { listen(port: number, host: string): Promise<unknown>; getUrl(): Promise<string> }): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/**
 * Puts the caret at the end of an editor's block, as a user clicking after its last word does.
 * When its editor gains focus, ProseMirror may write its own selection back to the page 20 ms
 * later (a timer its focus handler starts), and on a loaded machine keys pressed right after the
 * click then land where that selection was (the document's start). So the first click focuses
 * the editor, a timer the page starts afterwards (which fires after ProseMirror's) lets it settle,
 * and a second click, in an editor already focused, places the caret.
 */
export async function clickAtEnd(block: Locator): Promise<void> {
  const box = (await block.boundingBox())!;
  const end = { position: { x: box.width - 2, y: box.height / 2 } };
  await block.click(end);
  await block.page().evaluate(() => new Promise((resolve) => setTimeout(resolve, 40)));
  await block.click(end);
  await block.page().keyboard.press('End');
}
