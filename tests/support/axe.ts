/**
 * Accessibility check of what a page shows now, with axe-core (WCAG 2.0–2.2 A and AA rules, target size among them). The
 * script is evaluated through the DevTools protocol, which the page's CSP does not block.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async (selector) => {
    // Runs in the page: its globals are the browser's (this file is typed for Node).
    const page = globalThis as unknown as { axe: typeof axe; document: unknown };
    const result = await page.axe.run((selector ? { include: [selector] } : page.document) as never, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, include ?? null);
}
