// One CSV record as Go's encoding/csv reads it; pflag's stringSlice flags
// (e.g. `--subnet a,b`) split their values this way.

/**
 * Read one CSV record like Go's encoding/csv (pflag stringSlice). Errors use
 * Go's ParseError text with 1-based byte columns.
 */
export function readCsvRecord(s: string): string[] {
  if (s === "") return [];
  const line = s.split("\n")[0] ?? "";
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] !== '"') {
      const end = line.indexOf(",", i);
      const field = end < 0 ? line.slice(i) : line.slice(i, end);
      const q = field.indexOf('"');
      if (q >= 0) throw new Error(`parse error on line 1, column ${i + q + 1}: bare " in non-quoted-field`);
      fields.push(field.replace(/\r$/, ""));
      if (end < 0) return fields;
      i = end + 1;
      continue;
    }
    // Quoted field.
    let field = "";
    let j = i + 1;
    for (;;) {
      const q = line.indexOf('"', j);
      if (q < 0) throw new Error(`parse error on line 1, column ${line.length + 1}: extraneous or missing " in quoted-field`);
      field += line.slice(j, q);
      const next = line[q + 1];
      if (next === '"') {
        field += '"';
        j = q + 2;
        continue;
      }
      if (next === undefined) {
        fields.push(field);
        return fields;
      }
      if (next === ",") {
        fields.push(field);
        i = q + 2;
        break;
      }
      throw new Error(`parse error on line 1, column ${q + 1}: extraneous or missing " in quoted-field`);
    }
  }
}
