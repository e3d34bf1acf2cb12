/*
 * The default avatar: a 5×5 identicon drawn from a hash, mirrored left to right as GitHub's are, so
 * every author gets a recognisable, stable picture without any third party learning who reads or
 * writes. Drawn from the hash alone (GET /avatars/<hash>.svg needs no database), so the same hash is
 * always the same picture, on every API process, byte for byte.
 */

/** What an avatar hash looks like: 32 lower-case hex digits (128 bits of an HMAC). */
export const AVATAR_HASH = /^[0-9a-f]{32}$/;

/** The SVG for a hash (AVATAR_HASH), with no script, no link and nothing fetched: only rectangles. */
export function renderIdenticonSvg(hash: string): string {
  if (!AVATAR_HASH.test(hash)) throw new Error('not an avatar hash');
  const nibble = (i: number): number => parseInt(hash[i] as string, 16);
  // The colour from the last 3 digits: any hue, saturation and lightness kept where a face reads well
  // on white and on a dark theme alike.
  const hue = ((nibble(29) << 8) | (nibble(30) << 4) | nibble(31)) % 360;
  const saturation = 45 + (nibble(28) % 4) * 5;
  const lightness = 45 + (nibble(27) % 3) * 5;
  // 15 cells decide the picture: three columns (the middle one and the left two, mirrored to the right).
  const cells: string[] = [];
  for (let row = 0; row < 5; row += 1) {
    for (let col = 0; col < 3; col += 1) {
      if (nibble(row * 3 + col) % 2 === 0) continue;
      cells.push(`M${col} ${row}h1v1h-1z`);
      if (col < 2) cells.push(`M${4 - col} ${row}h1v1h-1z`);
    }
  }
  // An empty face is a blank square: the middle cell then stands for it.
  if (cells.length === 0) cells.push('M2 2h1v1h-1z');
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" width="64" height="64" shape-rendering="crispEdges">' +
    '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f0f0f0"/>' +
    `<path fill="hsl(${hue} ${saturation}% ${lightness}%)" d="${cells.join('')}"/></svg>`
  );
}
