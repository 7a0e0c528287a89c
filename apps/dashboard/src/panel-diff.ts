// What a new config list (after the exporter reloaded) changes on the page: panels to add, to drop, and
// to rebuild because their metric changed (help, labels, buckets). The others stay as they are, with their
// charts, menus and search boxes, so a reload elsewhere does not disturb what the user is looking at.
import type { Dashboard, Panel } from '@ebpf-exporter/dashboard-model';

export interface PanelDiff {
  added: Panel[];
  /** Ids of the panels no longer in any config. */
  removed: string[];
  /** Same id, different definition: rebuilt in place. */
  changed: Panel[];
  kept: string[];
}

export function diffPanels(current: ReadonlyMap<string, Panel>, next: readonly Dashboard[]): PanelDiff {
  const diff: PanelDiff = { added: [], removed: [], changed: [], kept: [] };
  const seen = new Set<string>();
  for (const panel of next.flatMap((dashboard) => dashboard.panels)) {
    seen.add(panel.id);
    const before = current.get(panel.id);
    if (!before) diff.added.push(panel);
    else if (JSON.stringify(before) !== JSON.stringify(panel)) diff.changed.push(panel);
    else diff.kept.push(panel.id);
  }
  for (const id of current.keys()) if (!seen.has(id)) diff.removed.push(id);
  return diff;
}

export function isEmptyDiff(diff: PanelDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
