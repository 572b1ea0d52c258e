import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi, SlipView } from '../../../shared/ipc/contract';
import { hkTime } from '../../../shared/i18n/bookWords';

/**
 * A payment's or refund's slip: its preview (the same text the printer gets, drawn as SVG with
 * the computer's own fonts), whether it printed, and a button to print it (again). Printing never
 * changes money, and a printer that is off only leaves the slip "not printed".
 */
export function SlipPanel(props: {
  api: PosApi<'cashier'>;
  kind: 'payment' | 'refund';
  outTradeNo: string;
  language: 'en' | 'zh-HK';
  version?: string;
  /** Told when the slip's state changes (printed, not printed), so lists that mark it can follow. */
  onSlipChanged?: () => void;
}) {
  const { t } = useTranslation();
  const { api, kind, outTradeNo } = props;
  const [svg, setSvg] = useState<string | null>(null);
  const [slip, setSlip] = useState<SlipView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await api.commands.slipPreview({ kind, ref: outTradeNo });
    if (!result.ok) return setProblem(result.error.message[props.language]);
    setSvg(result.value.svg);
    setSlip(result.value.slip);
  }, [api, kind, outTradeNo, props.language]);

  // Told once per change of the slip's state, with the caller's latest callback: a new callback (a
  // render of the parent) is no change. As a dependency of the effect it was one: the cashier's
  // screen passes a new one each render, its call fetched today's orders, whose answer rendered the
  // screen, and so on, about ninety fetches a second for as long as a paid sale's slip was shown.
  const slipChanged = useEffectEvent(() => props.onSlipChanged?.());
  const state = slip?.state;
  useEffect(() => {
    if (state) slipChanged();
  }, [state]);

  // Again when the order changes (paid, refunded): the slip shows it as it stands.
  useEffect(() => {
    void load();
  }, [load, props.version]);

  // A slip on its way is looked at again shortly (printed, or not and why); one waiting for the
  // printer now and then, so the screen follows the retries.
  // (None yet: a slip printed on payment may be queued a moment after the screen hears of it, so it
  // is looked for once more; an answer that is still none changes nothing and ends the looking.)
  useEffect(() => {
    if (slip?.state === 'printed') return;
    const timer = setTimeout(() => void load(), slip === null ? 2_000 : slip.state === 'queued' ? 1_000 : 5_000);
    return () => clearTimeout(timer);
  }, [slip, load]);

  async function print() {
    setProblem(null);
    const result = await api.commands.printSlip({ kind, ref: outTradeNo });
    if (!result.ok) return setProblem(result.error.message[props.language]);
    setSlip(result.value.slip);
  }

  const status =
    slip === null
      ? t('slip.none')
      : slip.state === 'printed'
        ? t('slip.printed', { time: hkTime(slip.printedAt ?? 0) })
        : slip.state === 'queued'
          ? t('slip.queued')
          : t(`slip.notPrinted.${slip.errorCode ?? 'failed'}`);
  return (
    <section className="slip" aria-label={t('slip.title')} data-testid="slip" data-kind={kind} data-ref={outTradeNo}>
      <div className="slip-head">
        <span className={slip?.state === 'not_printed' ? 'slip-status notice warning' : 'slip-status'} data-testid="slip-status" role={slip?.state === 'not_printed' ? 'alert' : undefined}>
          {status}
        </span>
        <button type="button" onClick={() => void print()} data-testid="slip-print">
          {slip === null ? t('slip.print') : t('slip.reprint')}
        </button>
      </div>
      {problem && <p className="problem">{problem}</p>}
      {svg && <img className="slip-preview" alt={t('slip.previewOf', { number: outTradeNo })} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />}
    </section>
  );
}
