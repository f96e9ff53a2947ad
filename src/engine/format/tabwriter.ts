// Go's text/tabwriter (elastic tabstops), as forked by docker/cli
// (cli/command/formatter/tabwriter), which measures cells in terminal columns
// (go-runewidth) instead of runes. `docker ps` and every other table output
// goes through it with minwidth 10, tabwidth 1, padding 3, padchar ' ', no flags.
// Not supported: the Escape character and FilterHTML/StripEscape flags.

export interface TabwriterFlags {
  /** Right-align cell contents. */
  readonly alignRight?: boolean;
  /** Drop columns whose cells are all empty and soft-tab (\v) terminated. */
  readonly discardEmptyColumns?: boolean;
  /** Pad leading empty cells with tabs regardless of padchar. */
  readonly tabIndent?: boolean;
  /** Print '|' between columns. */
  readonly debug?: boolean;
}

export interface TabwriterOptions {
  /** Minimal cell width including padding. */
  readonly minwidth: number;
  /** Width of a tab character when padchar is '\t'. */
  readonly tabwidth: number;
  /** Added to a cell's width before computing the column width. */
  readonly padding: number;
  readonly padchar: string;
  readonly flags?: TabwriterFlags;
}

/** tabwriter.NewWriter(out, 10, 1, 3, ' ', 0), as docker/cli's formatter uses it. */
export const DOCKER_TABWRITER: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: " " };

interface Cell {
  /** Length of the cell's text in buf (UTF-16 units). */
  size: number;
  /** Display width in terminal columns. */
  width: number;
  /** Terminated by a horizontal tab. */
  htab: boolean;
}

// East Asian wide and fullwidth ranges (go-runewidth's doublewidth table, abridged).
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Terminal columns of one code point (go-runewidth's RuneWidth, non-East-Asian mode). */
export function runeWidth(r: number): number {
  if (r < 0x20 || (r >= 0x7f && r <= 0x9f) || r === 0xad) return 0;
  if (r < 0x300) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(r))) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid] ?? [0, 0];
    if (r < a) hi = mid - 1;
    else if (r > b) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** Terminal columns of a string. */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/**
 * A tabwriter.Writer: write() text with tab-terminated cells, then flush().
 * Output accumulates and is read with output().
 */
export class TabWriter {
  readonly #minwidth: number;
  readonly #tabwidth: number;
  readonly #padding: number;
  readonly #padchar: string;
  readonly #flags: TabwriterFlags;
  #out = "";
  #buf = "";
  #pos = 0;
  #cell: Cell = { size: 0, width: 0, htab: false };
  #lines: Cell[][] = [[]];
  #widths: number[] = [];

  constructor(options: TabwriterOptions = DOCKER_TABWRITER) {
    if (options.minwidth < 0 || options.tabwidth < 0 || options.padding < 0) {
      throw new Error("negative minwidth, tabwidth, or padding");
    }
    this.#minwidth = options.minwidth;
    this.#tabwidth = options.tabwidth;
    this.#padding = options.padding;
    this.#padchar = options.padchar;
    // Tab padding enforces left alignment.
    this.#flags = options.padchar === "\t" ? { ...options.flags, alignRight: false } : (options.flags ?? {});
  }

  /** Everything written out so far. */
  output(): string {
    return this.#out;
  }

  write(text: string): void {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\t" || ch === "\v" || ch === "\n" || ch === "\f") {
        this.#append(text.slice(n, i));
        this.#updateWidth();
        n = i + 1;
        const ncells = this.#terminateCell(ch === "\t");
        if (ch === "\n" || ch === "\f") {
          this.#lines.push([]);
          // A line of one cell does not affect later formatting, so flush early (as Go does).
          if (ch === "\f" || ncells === 1) {
            this.#flushNoReset();
            if (ch === "\f" && this.#flags.debug === true) this.#out += "---\n";
          }
        }
      }
    }
    this.#append(text.slice(n));
  }

  flush(): void {
    this.#flushNoReset();
  }

  #append(text: string): void {
    this.#buf += text;
    this.#cell.size += text.length;
  }

  #updateWidth(): void {
    this.#cell.width += stringWidth(this.#buf.slice(this.#pos));
    this.#pos = this.#buf.length;
  }

  #terminateCell(htab: boolean): number {
    this.#cell.htab = htab;
    const line = this.#lines[this.#lines.length - 1] ?? [];
    line.push(this.#cell);
    this.#cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  #flushNoReset(): void {
    if (this.#cell.size > 0) this.#terminateCell(false);
    this.#format(0, 0, this.#lines.length);
    // reset
    this.#buf = "";
    this.#pos = 0;
    this.#cell = { size: 0, width: 0, htab: false };
    this.#lines = [[]];
    this.#widths = [];
  }

  #writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.#padchar === "\t" || useTabs) {
      if (this.#tabwidth === 0) return; // tabs have no width: no padding possible
      const w = Math.ceil(cellw / this.#tabwidth) * this.#tabwidth;
      const n = w - textw;
      this.#out += "\t".repeat(Math.ceil(n / this.#tabwidth));
      return;
    }
    this.#out += this.#padchar.repeat(Math.max(0, cellw - textw));
  }

  #writeLines(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i] ?? [];
      let useTabs = this.#flags.tabIndent === true;
      line.forEach((c, j) => {
        if (j > 0 && this.#flags.debug === true) this.#out += "|";
        const w = this.#widths[j];
        if (c.size === 0) {
          if (w !== undefined) this.#writePadding(c.width, w, useTabs);
          return;
        }
        useTabs = false;
        const text = this.#buf.slice(pos, pos + c.size);
        pos += c.size;
        if (this.#flags.alignRight !== true) {
          this.#out += text;
          if (w !== undefined) this.#writePadding(c.width, w, false);
        } else {
          if (w !== undefined) this.#writePadding(c.width, w, false);
          this.#out += text;
        }
      });
      if (i + 1 === this.#lines.length) {
        // The last buffered line has no newline: write what is pending.
        this.#out += this.#buf.slice(pos, pos + this.#cell.size);
        pos += this.#cell.size;
      } else {
        this.#out += "\n";
      }
    }
    return pos;
  }

  // Format lines [line0, line1); pos is the buffer position of line0.
  #format(pos0: number, line0In: number, line1: number): number {
    let pos = pos0;
    let line0 = line0In;
    const column = this.#widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= (this.#lines[t]?.length ?? 0) - 1) continue;
      // This line has a cell in this column: print the lines before the block.
      pos = this.#writeLines(pos, line0, t);
      line0 = t;
      let width = this.#minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        const line = this.#lines[t] ?? [];
        if (column >= line.length - 1) break;
        const c = line[column];
        if (c === undefined) break;
        width = Math.max(width, c.width + this.#padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.#flags.discardEmptyColumns === true) width = 0;
      // Format the columns to the right, now that this column's width is known.
      this.#widths.push(width);
      pos = this.#format(pos, line0, t);
      this.#widths.pop();
      line0 = t;
    }
    return this.#writeLines(pos, line0, line1);
  }
}

/** Align tab-separated text in one go. */
export function tabwriterFormat(text: string, options: TabwriterOptions = DOCKER_TABWRITER): string {
  const w = new TabWriter(options);
  w.write(text);
  w.flush();
  return w.output();
}
