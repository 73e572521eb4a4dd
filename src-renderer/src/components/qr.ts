/**
 * A QR code drawn locally (no network, no image service): the module matrix of a text
 * from qrcode-generator, and one SVG path of its dark modules for the CSP-safe <svg>.
 */
import qrcode from 'qrcode-generator';

/** Dark modules, row by row; error correction M (readable from a laptop screen). */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) =>
    Array.from({ length: n }, (_, col) => qr.isDark(row, col)),
  );
}

/** One "M x y h1 v1 h-1 z" square per dark module, offset by the quiet zone. */
export function qrPath(matrix: boolean[][], quiet = 4): string {
  const parts: string[] = [];
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + quiet} ${y + quiet}h1v1h-1z`);
    }),
  );
  return parts.join('');
}
