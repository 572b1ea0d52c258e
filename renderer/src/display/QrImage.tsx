import { toString as qrToSvg } from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * The gateway's `qrcode` string, encoded exactly as received (no trimming, no re-encoding), drawn
 * as an SVG image so it stays sharp at any size on the customer's screen.
 */
export function QrImage({ text, label }: { text: string; label: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void qrToSvg(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } }).then((svg) => {
      if (current) setSource(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      current = false;
    };
  }, [text]);
  return source ? <img className="qr" src={source} alt={label} data-testid="qr" /> : <div className="qr qr-placeholder" />;
}
