// The header row of a CSV file, read in the browser so the mapping step can ask the API how
// it maps the columns without sending a single row (RFC 4180: quoted names may hold commas,
// doubled quotes and line breaks).

/** The names in the file's first record; [] for an empty file. */
export function csvHeaderRow(text: string): string[] {
  const names: string[] = [];
  let name = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let at = 0; at < source.length; at += 1) {
    const char = source[at];
    if (quoted) {
      if (char === '"' && source[at + 1] === '"') {
        name += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else name += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      names.push(name.trim());
      name = '';
    } else if (char === '\n' || char === '\r') break;
    else name += char;
  }
  if (name.trim() !== '' || names.length > 0) names.push(name.trim());
  return names;
}
