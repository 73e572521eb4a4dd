import { useMemo } from 'react';
import { qrMatrix, qrPath } from './qr';

const QUIET = 4;

/** The QR code of `text` as an SVG (black on white, so authenticator cameras read it in dark theme too). */
export function QrCode({
  text,
  label,
  size = 220,
}: {
  text: string;
  label: string;
  size?: number;
}) {
  const { path, extent } = useMemo(() => {
    const matrix = qrMatrix(text);
    return { path: qrPath(matrix, QUIET), extent: matrix.length + 2 * QUIET };
  }, [text]);
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="qr-code"
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
