import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderView, PosApi } from '../../../shared/ipc/contract';
import type { PaymentState } from '../../../shared/ledger/lifecycle';
import type { WalletId } from '../../../shared/wallets';

/** Orders asked for at a time: a little more than the table draws, so a scroll rarely waits. */
const PAGE = 50;

/**
 * The day's orders as the manager's table needs them: how many match the filters, and the pages
 * the table draws, asked for as it draws them. A new day, filter or `version` (after a change)
 * starts again; an answer for a day or filter no longer shown is dropped.
 */
export function useDayOrders(api: PosApi<'cashier'>, day: string, filters: { wallet: string; state: string }, version: number) {
  const [pages, setPages] = useState<ReadonlyMap<number, readonly OrderView[]>>(new Map());
  const [matching, setMatching] = useState(0);
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const { wallet, state } = filters;

  const load = useCallback(
    async (page: number, current: number) => {
      if (asked.current.has(page)) return;
      asked.current.add(page);
      const result = await api.commands.managerDayOrders({
        day,
        offset: page * PAGE,
        limit: PAGE,
        ...(wallet ? { wallet: wallet as WalletId } : {}),
        ...(state ? { state: state as PaymentState } : {}),
      });
      if (current !== generation.current) return;
      if (!result.ok) {
        asked.current.delete(page);
        return;
      }
      setMatching(result.value.matching);
      setPages((known) => new Map(known).set(page, result.value.rows));
    },
    [api, day, wallet, state],
  );

  useEffect(() => {
    generation.current += 1;
    asked.current = new Set();
    setPages(new Map());
    void load(0, generation.current);
  }, [load, version]);

  const orderAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE))?.[index % PAGE], [pages]);
  const onDrawn = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE); page * PAGE < last; page += 1) void load(page, generation.current);
    },
    [load],
  );
  return { matching, orderAt, onDrawn };
}
