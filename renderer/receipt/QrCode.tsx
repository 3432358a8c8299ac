import { useMemo } from 'react';
import { qrDrawingOf } from './qr-drawing.ts';

/** Draws a QR code as one SVG path: no canvas, no innerHTML, crisp when printed. */
export function QrCode({
  text,
  label,
  size = 132,
}: {
  text: string;
  label: string;
  size?: number;
}) {
  const { path, dimension } = useMemo(() => qrDrawingOf(text), [text]);
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${String(dimension)} ${String(dimension)}`}
      shapeRendering="crispEdges"
    >
      <rect width={dimension} height={dimension} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
