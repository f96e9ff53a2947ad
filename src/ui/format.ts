/** Megabytes with one decimal, for download progress ("9.4"). */
export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function percent(loaded: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
}
