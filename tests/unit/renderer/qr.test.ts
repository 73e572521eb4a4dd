/**
 * The TOTP enrolment QR code is a real, scannable code: the matrix is drawn into pixels the
 * way the SVG draws it (quiet zone, black on white) and an independent decoder (jsQR)
 * reads back the exact otpauth URI.
 */
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrPath } from '../../../src-renderer/src/components/qr';

function pixels(matrix: boolean[][], quiet: number, scale: number) {
  const side = (matrix.length + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy += 1)
        for (let dx = 0; dx < scale; dx += 1) {
          const i = (((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
    }),
  );
  return { data, side };
}

const uri =
  'otpauth://totp/VulnZero:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=VulnZero&algorithm=SHA1&digits=6&period=30';

describe('QR code of the TOTP secret', () => {
  it('decodes back to the otpauth URI', () => {
    const matrix = qrMatrix(uri);
    expect(matrix.length).toBeGreaterThanOrEqual(21);
    expect(matrix.every((row) => row.length === matrix.length)).toBe(true);
    const { data, side } = pixels(matrix, 4, 4);
    expect(jsQR(data, side, side)?.data).toBe(uri);
  });

  it('draws one unit square per dark module, inside the quiet zone', () => {
    const matrix = qrMatrix('VZ');
    const dark = matrix.flat().filter(Boolean).length;
    const path = qrPath(matrix, 4);
    expect(path.match(/M/g)).toHaveLength(dark);
    // The top-left finder pattern starts at the first module after the quiet zone.
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true);
    expect(qrMatrix('other')).not.toEqual(matrix);
  });
});
