// go-units size formatting, as the Docker CLI prints sizes.

const DECIMAL = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function scaled(n: number, base: number, units: readonly string[], precision: number): string {
  let i = 0;
  let v = n;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  // Go's %.Ng: N significant digits, trailing zeros dropped.
  return `${Number(v.toPrecision(precision))}${units[i]}`;
}

/** HumanSizeWithPrecision(n, precision): decimal units ("4.86MB"). HumanSize is precision 4. */
export const humanSize = (n: number, precision = 4) => scaled(n, 1000, DECIMAL, precision);

/** BytesSize: binary units ("1.5MiB"), as `docker stats` prints memory. */
export const bytesSize = (n: number) => scaled(n, 1024, BINARY, 4);
