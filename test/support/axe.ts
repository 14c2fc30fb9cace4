// axe-core in the UI tests: `await assertAccessible(page, 'send, finished, dark')` after the screen has
// settled. @axe-core/playwright needs Node 22, so axe's source text is evaluated in the page directly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright';

/** WCAG 2.0/2.1/2.2 level A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Best-practice rules run on top of WCAG: every screen has exactly one level-one heading and one main
 * landmark, and no content sits outside a landmark.
 */
export const EXTRA_RULES = ['page-has-heading-one', 'landmark-one-main', 'landmark-no-duplicate-main', 'region'];

export interface AxeOptions {
  /** CSS selector of the part to check (default: the whole document). */
  include?: string;
  /** CSS selectors left out (for example a third-party widget). */
  exclude?: string[];
  /** Rule ids switched off for this call; say why in the test. */
  disableRules?: string[];
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

let axeSource: string | undefined;

function source(): string {
  // require.resolve finds the installed package; its axe.min.js defines window.axe when evaluated.
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/**
 * Injects axe-core into the page and runs it. The page's CSP (`script-src 'self'`, no eval) forbids a
 * script tag with inline text or eval inside the page; Playwright's evaluate of a string goes through the
 * DevTools protocol, which is not subject to the page's CSP, so the source text is evaluated that way.
 */
export async function runAxe(page: Page, opts: AxeOptions = {}): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(`${source()}\n;void 0;`);
  const rules: Record<string, { enabled: boolean }> = {};
  for (const id of EXTRA_RULES) rules[id] = { enabled: true };
  for (const id of opts.disableRules ?? []) rules[id] = { enabled: false };
  const context = { include: [opts.include ?? 'html'], exclude: opts.exclude ?? [] };
  return page.evaluate(
    async ({ context, tags, rules }) => {
      interface AxeNode { target: unknown[]; html: string; failureSummary?: string }
      interface AxeResult { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }
      const axe = (globalThis as unknown as {
        axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeResult[] }> };
      }).axe;
      const result = await axe.run(context, {
        runOnly: { type: 'tag', values: [...tags, 'best-practice'] },
        rules,
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String).join(' >>> '),
          html: n.html,
          summary: n.failureSummary ?? '',
        })),
      }));
    },
    { context, tags: WCAG_TAGS, rules },
  );
}

/** Best-practice rules outside EXTRA_RULES are reported by axe under the 'best-practice' tag: drop them. */
async function wcagAndExtra(page: Page, opts: AxeOptions): Promise<AxeViolation[]> {
  const all = await runAxe(page, opts);
  const tagsOf = await page.evaluate((ids: string[]) => {
    const axe = (globalThis as unknown as { axe: { getRules(): { ruleId: string; tags: string[] }[] } }).axe;
    const byId = new Map(axe.getRules().map((r) => [r.ruleId, r.tags]));
    return ids.map((id) => byId.get(id) ?? []);
  }, all.map((v) => v.id));
  return all.filter((v, i) => EXTRA_RULES.includes(v.id) || tagsOf[i].some((t) => WCAG_TAGS.includes(t)));
}

/** One readable block per violation: rule, impact, what to do, and each failing element with a snippet. */
export function formatViolations(label: string, violations: AxeViolation[]): string {
  const lines = [`axe found ${violations.length} accessibility violation(s) on "${label}":`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'no impact'}): ${v.help} <${v.helpUrl}>`);
    for (const n of v.nodes.slice(0, 8)) {
      const html = n.html.length > 160 ? `${n.html.slice(0, 160)}…` : n.html;
      lines.push(`    at ${n.target}`, `       ${html}`);
      const why = n.summary.split('\n').map((s) => s.trim()).filter(Boolean).slice(0, 3).join(' / ');
      if (why) lines.push(`       ${why}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

/**
 * Fails the test with a readable list when axe finds WCAG 2 A/AA violations (or breaks one of EXTRA_RULES)
 * on the page as it is now. Call it once the screen has settled (after waiting for the verdict, outcome…).
 */
export async function assertAccessible(page: Page, label: string, opts: AxeOptions = {}): Promise<void> {
  const violations = await wcagAndExtra(page, opts);
  assert.ok(violations.length === 0, formatViolations(label, violations));
}
