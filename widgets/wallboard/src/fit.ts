/**
 * Laying the agents grid out so every tile is on screen at once (a TV has no scroll bar): given
 * the grid's box and the number of tiles, the number of columns whose tiles can carry the
 * largest text. A tile holds two lines (name and time; state and handled today), about
 * TILE_EMS wide and TILE_LINES_EMS tall in its own font size.
 */

const TILE_EMS = 10;
const TILE_LINES_EMS = 3.2;
const MAX_FONT_PX = 22;

export interface GridFit {
  columns: number;
  /** Row height, px. */
  rowHeight: number;
  /** The tiles' font size, px. */
  fontSize: number;
}

export function fitGrid(width: number, height: number, count: number, gap: number): GridFit | null {
  if (count <= 0 || width <= 0 || height <= 0) return null;
  let best: GridFit | null = null;
  for (let columns = 1; columns <= count; columns += 1) {
    const rows = Math.ceil(count / columns);
    const tileWidth = (width - gap * (columns - 1)) / columns;
    const tileHeight = (height - gap * (rows - 1)) / rows;
    if (tileWidth <= 0) break;
    if (tileHeight <= 0) continue;
    const fontSize = Math.min(tileWidth / TILE_EMS, tileHeight / TILE_LINES_EMS, MAX_FONT_PX);
    // as many columns as keep the largest text: few agents sit side by side, not in one long column
    if (!best || fontSize >= best.fontSize - 0.01) best = { columns, rowHeight: Math.floor(Math.min(tileHeight, fontSize * TILE_LINES_EMS * 1.25)), fontSize: Math.floor(fontSize * 10) / 10 };
  }
  return best;
}
