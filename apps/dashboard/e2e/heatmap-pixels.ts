// Reads a drawn heatmap back from its canvas: which pixels are cells (exactly a palette colour: the lines
// over the cells are antialiased in their own colours, axes and the marginal histogram are grey), where the
// plot rectangle is, and the runs of pixel columns holding cells, which are the heatmap's time columns.
import type { Page } from 'playwright-core';
import { cellColor, COLOR_STEPS } from '../src/heatmap-colors';

export interface HeatmapPixels {
  /** The plot rectangle in canvas pixels (uPlot's `.u-over`). */
  plot: { left: number; top: number; right: number; bottom: number };
  inside: number;
  /** Cell-coloured pixels outside the plot rectangle: none may be. */
  outside: number;
  /** Runs of adjacent pixel columns inside the plot that hold cell pixels, left to right. */
  columns: { left: number; width: number }[];
}

/** Every colour a cell can have, as `r,g,b`. */
const PALETTE = Array.from({ length: COLOR_STEPS }, (_, i) => cellColor((i / (COLOR_STEPS - 1)) ** 2).replace(/^rgb\(|\)$|\s/g, ''));

export async function heatmapPixels(page: Page, panelId: string): Promise<HeatmapPixels | undefined> {
  return page.evaluate(
    ([id, palette]) => {
      const chart = document.querySelector<HTMLElement>(`[data-panel-id="${id}"] .chart`);
      const canvas = chart?.querySelector('canvas');
      const over = chart?.querySelector<HTMLElement>('.u-over');
      const ctx = canvas?.getContext('2d');
      if (!canvas || !over || !ctx) return undefined;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const c = canvas.getBoundingClientRect();
      const o = over.getBoundingClientRect();
      const plot = {
        left: Math.round((o.left - c.left) * scale),
        top: Math.round((o.top - c.top) * scale),
        right: Math.round((o.right - c.left) * scale),
        bottom: Math.round((o.bottom - c.top) * scale),
      };
      const colours = new Set(palette);
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const cellColumn = new Array<boolean>(width).fill(false);
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          if ((data[i + 3] as number) !== 255 || !colours.has(`${data[i]},${data[i + 1]},${data[i + 2]}`)) continue;
          if (x >= plot.left && x < plot.right && y >= plot.top && y < plot.bottom) {
            inside++;
            cellColumn[x] = true;
          } else {
            outside++;
          }
        }
      }
      const columns: { left: number; width: number }[] = [];
      for (let x = plot.left; x < plot.right; x++) {
        if (!cellColumn[x]) continue;
        const last = columns[columns.length - 1];
        if (last && last.left + last.width === x) last.width++;
        else columns.push({ left: x, width: 1 });
      }
      return { plot, inside, outside, columns };
    },
    [panelId, PALETTE] as const,
  );
}
