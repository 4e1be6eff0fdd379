// A QR code as an inline SVG, for the customer copy (phone and back office). Imported with import()
// only where it is shown, so neither this nor the QR encoder (uqr) is in any page's first load.
import { useMemo } from 'preact/hooks';
import { encode } from 'uqr';
import { qrPath } from '../domain/qr-path';

/** Error correction M (15 % of the code may be lost: a crease, a smudge), the standard's 4-module quiet zone. */
const QR_OPTIONS = { ecc: 'M', border: 4 } as const;

export function QrCode({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const qr = useMemo(() => encode(text, QR_OPTIONS), [text]);
  return (
    <svg
      class="qr-code"
      viewBox={`0 0 ${qr.size} ${qr.size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid={testId}
      data-qr-version={qr.version}
    >
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={qrPath(qr.data)} fill="#000" />
    </svg>
  );
}
