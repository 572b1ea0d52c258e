/** What `npm run cli` exits with, so scripts can act on it. */
export const EXIT = {
  ok: 0,
  /** A bug or an unexpected failure (the ledger is left consistent: every write is a transaction). */
  internal: 1,
  /** A bad argument or configuration; nothing was changed. */
  usage: 2,
  /** Refused: QFPay or the till's rules said no (payment failed, refund over the limit, day not closable). */
  refused: 3,
  /** No definitive answer yet (gateway unreachable, outcome unknown): `reconcile` will resolve it. */
  unknown: 4,
  /** No such order. */
  notFound: 5,
  /** `reconcile --day`: the ledger and QFPay's records of the day differ (or QFPay holds records this ledger does not). */
  differs: 6,
  /**
   * The books do not verify against their hash chain: a history row (or the facts of its money)
   * was edited, deleted or inserted, in this ledger or in the head office's copy. The lines name
   * the till and the transition.
   */
  booksBroken: 7,
} as const;
