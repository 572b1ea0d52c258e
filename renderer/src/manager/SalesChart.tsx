import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SalesView } from '../../../shared/ipc/contract';
import { formatHKD, type DisplayLocale } from '../../../shared/money';

type Buckets = SalesView['buckets'];

// Drawn about as wide as its column at 1366 px (and 0.9 of that at 1024), so its 10-unit labels stay readable.
const WIDTH = 320;
const HEIGHT = 110;
const AXIS = 16; // room under the bars for the slot labels
const TOP = 13; // room above them for the largest amount

/**
 * Payments by hour (one day) or by day (a week, a month), as bars of their amount. Our own SVG:
 * a few dozen rectangles need no chart library. Each bar's words (its slot, count, amount) are its
 * title, read on hover and by a screen reader; the busiest slot is said in words under the chart.
 */
export function SalesChart({ buckets, language }: { buckets: Buckets; language: DisplayLocale }) {
  const { t } = useTranslation();
  const titleId = useId();
  const { unit, rows } = buckets;
  const most = Math.max(1, ...rows.map((row) => row.amount));
  const slot = WIDTH / Math.max(1, rows.length);
  const barWidth = Math.max(2, slot * 0.7);
  const label = (index: number) => (unit === 'hour' ? rows[index]!.label : rows[index]!.label.slice(8));
  // Enough labels to find one's way, never so many they overlap: every 3 hours, every day of a week, about 8 in a month.
  const labelEvery = unit === 'hour' ? 3 : Math.max(1, Math.ceil(rows.length / 8));
  const words = (index: number) => {
    const row = rows[index]!;
    const amount = formatHKD(row.amount, language);
    return unit === 'hour'
      ? t('sales.hourBar', { count: row.payments, label: row.label, next: String((Number(row.label) + 1) % 24).padStart(2, '0'), amount })
      : t('sales.dayBar', { count: row.payments, label: row.label, amount });
  };
  const busiest = rows.reduce<number | null>((best, row, index) => (row.amount > 0 && (best === null || row.amount > rows[best]!.amount) ? index : best), null);
  return (
    <figure className="sales-chart" data-testid="sales-chart" data-unit={unit}>
      <figcaption id={titleId}>{t(`sales.chartTitle.${unit}`)}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <line className="axis" x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} />
        {rows.map((row, index) => {
          const height = Math.round(((HEIGHT - AXIS - TOP) * row.amount) / most);
          const x = index * slot + (slot - barWidth) / 2;
          return (
            <g key={row.start} data-slot={row.label} data-amount={row.amount}>
              <rect className={index === busiest ? 'bar busiest' : 'bar'} x={x} y={HEIGHT - AXIS - height} width={barWidth} height={height}>
                <title>{words(index)}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text className="slot-label" x={index * slot + slot / 2} y={HEIGHT - 4} textAnchor="middle">
                  {label(index)}
                </text>
              )}
            </g>
          );
        })}
        <text className="most-label" x={2} y={10}>
          {formatHKD(most === 1 ? 0 : most, language)}
        </text>
      </svg>
      <p className="hint busiest-words" data-testid="sales-busiest">
        {busiest === null ? '' : t(`sales.busiest.${unit}`, { label: rows[busiest]!.label, next: String((Number(rows[busiest]!.label) + 1) % 24).padStart(2, '0'), amount: formatHKD(rows[busiest]!.amount, language) })}
      </p>
    </figure>
  );
}
