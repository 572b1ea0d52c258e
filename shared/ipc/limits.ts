/** The most rows one page of the day's orders or refunds carries: a screen asks only for what it draws. */
export const MAX_DAY_ROWS = 200;

/** The most Hong Kong business days one range of the manager's screen (list, totals, export) covers, both ends included: a month. */
export const MAX_RANGE_DAYS = 31;
