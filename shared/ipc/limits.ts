/** The most rows one page of the day's orders or refunds carries: a screen asks only for what it draws. */
export const MAX_DAY_ROWS = 200;
