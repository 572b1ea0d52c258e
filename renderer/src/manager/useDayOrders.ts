import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OrderView, PosApi } from '../../../shared/ipc/contract';
import type { PaymentState } from '../../../shared/ledger/lifecycle';
import type { WalletId } from '../../../shared/wallets';

/** Orders asked for at a time: a little more than the table draws, so a scroll rarely waits. */
const PAGE = 50;

/**
 * The range's orders as the manager's table needs them: how many match the filters and search, and the pages
 * the table draws, asked for as it draws them. A new day or filter starts again from nothing; an
 * answer for a day or filter no longer shown is dropped.
 *
 * A new `version` (the day changed: a sale, a refund, a decision) asks again for the pages drawn
 * and keeps showing the rows it has until their new page comes. Cleared at once, every row would
 * blank for a moment at each change, and an Enter or Space on a row in that moment would open
 * nothing (a placeholder row has no order to open).
 */
export function useDayOrders(api: PosApi<'cashier'>, range: { from: string; to: string }, filters: { wallet: string; state: string; search: string }, version: number) {
  const [pages, setPages] = useState<ReadonlyMap<number, readonly OrderView[]>>(new Map());
  const [matching, setMatching] = useState(0);
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const drawn = useRef({ first: 0, last: 0 });
  const { wallet, state, search } = filters;
  const { from, to } = range;

  const load = useCallback(
    async (page: number, current: number) => {
      if (asked.current.has(page)) return;
      asked.current.add(page);
      const result = await api.commands.managerDayOrders({
        day: from,
        ...(to !== from ? { to } : {}),
        ...(search ? { search } : {}),
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
    [api, from, to, wallet, state, search],
  );

  /** The pages of the rows drawn; at least the first on a new start, when the count is not known yet. */
  const loadDrawn = useCallback(
    (current: number, atLeastFirst: boolean) => {
      const { first, last } = drawn.current;
      for (let page = Math.floor(first / PAGE); page * PAGE < (atLeastFirst ? Math.max(last, 1) : last); page += 1) void load(page, current);
    },
    [load],
  );

  // `load` is new when the day or a filter is: what is shown belongs to the old one. The rows drawn
  // stay where they are (they are the table's, not the filter's), so their new pages are asked for.
  const shownFor = useRef(load);
  useEffect(() => {
    generation.current += 1;
    asked.current = new Set();
    if (shownFor.current !== load) {
      shownFor.current = load;
      setPages(new Map());
    }
    loadDrawn(generation.current, true);
  }, [load, loadDrawn, version]);

  // The table's effect that reports what it draws runs before this hook's: kept the same function
  // across days and filters, it does not report again (and ask with the old filter) at each change.
  const latestLoadDrawn = useRef(loadDrawn);
  useLayoutEffect(() => {
    latestLoadDrawn.current = loadDrawn;
  });
  const orderAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE))?.[index % PAGE], [pages]);
  const onDrawn = useCallback((first: number, last: number) => {
    drawn.current = { first, last };
    latestLoadDrawn.current(generation.current, false);
  }, []);
  return { matching, orderAt, onDrawn };
}
