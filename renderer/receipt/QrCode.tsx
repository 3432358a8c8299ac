import { create } from 'qrcode';
import { useMemo } from 'react';

const QUIET_ZONE = 4;

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
  const { path, dimension } = useMemo(() => {
    const modules = create(text, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size; x++) {
        if (modules.get(x, y)) d += `M${String(x + QUIET_ZONE)} ${String(y + QUIET_ZONE)}h1v1h-1z`;
      }
    }
    return { path: d, dimension: modules.size + QUIET_ZONE * 2 };
  }, [text]);
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
