import type { SqliteDatabase } from '../sqlite/openSqlite';
import { chainHeadAt, linkExistingHistory, LINK_TRIGGER } from './chain';

/**
 * Numbered migrations, applied in order inside one transaction each; `PRAGMA user_version` holds
 * the number of the last one applied. Never edit a migration that has shipped: add the next one.
 * A migration is SQL, or a function where it must compute (the chain's links are SHA-256).
 */
export type Migration = string | ((db: SqliteDatabase) => void);

/** Migration 5's sums of the open period from its history rows (part of a shipped migration: never edit). */
const OPEN_PERIOD_SUMMED = `INSERT INTO open_period_sums (environment, wallet, kind, day, count, amount)
  SELECT environment, wallet, kind, day, COUNT(*), SUM(amount) FROM (
    SELECT o.environment, o.wallet, 'payment' AS kind, date(t.at / 1000 + 28800, 'unixepoch') AS day, o.amount
      FROM transitions t JOIN orders o ON o.id = t.order_id
     WHERE t.id > (SELECT COALESCE(MAX(last_transition), 0) FROM z_periods)
       AND t.to_state IN ('paid', 'paid_late') AND (t.from_state IS NULL OR t.from_state NOT IN ('paid', 'paid_late'))
       AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = date(o.created_at / 1000 + 28800, 'unixepoch') AND t.at <= z.closed_at)
    UNION ALL
    SELECT o.environment, o.wallet, 'refund', date(t.at / 1000 + 28800, 'unixepoch'), r.amount
      FROM transitions t JOIN refunds r ON r.id = t.refund_id JOIN orders o ON o.id = r.order_id
     WHERE t.id > (SELECT COALESCE(MAX(last_transition), 0) FROM z_periods) AND t.to_state = 'succeeded'
       AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = date(r.created_at / 1000 + 28800, 'unixepoch') AND t.at <= z.closed_at)
    UNION ALL
    SELECT o.environment, o.wallet, 'not_paid', date(t.at / 1000 + 28800, 'unixepoch'), 0
      FROM transitions t JOIN orders o ON o.id = t.order_id
     WHERE t.id > (SELECT COALESCE(MAX(last_transition), 0) FROM z_periods)
       AND t.to_state IN ('failed', 'expired', 'cancelled') AND t.from_state IN ('created', 'waiting', 'unknown')
  ) GROUP BY environment, wallet, kind, day;`;

export const MIGRATIONS: readonly Migration[] = [
  // 1: orders, refunds, their append-only history, every gateway exchange, closed days.
  `
  CREATE TABLE trade_numbers (
    out_trade_no TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('payment', 'refund'))
  ) WITHOUT ROWID;

  CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    out_trade_no     TEXT NOT NULL UNIQUE REFERENCES trade_numbers(out_trade_no),
    till_id          TEXT NOT NULL,
    environment      TEXT NOT NULL,
    wallet           TEXT NOT NULL,
    pay_type         TEXT NOT NULL,
    amount           INTEGER NOT NULL CHECK (amount > 0 AND amount = CAST(amount AS INTEGER)),
    currency         TEXT NOT NULL,
    goods_name       TEXT,
    request_fields   TEXT NOT NULL,
    state            TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    qr_deadline      INTEGER NOT NULL,
    gateway_deadline INTEGER NOT NULL,
    syssn            TEXT,
    qrcode           TEXT,
    sysdtm           TEXT,
    paydtm           TEXT,
    respcd           TEXT,
    message          TEXT,
    cancel_requested_at INTEGER,
    gateway_settled  INTEGER NOT NULL DEFAULT 0 CHECK (gateway_settled IN (0, 1)),
    last_checked_at  INTEGER
  );
  CREATE INDEX orders_state ON orders(state);
  CREATE INDEX orders_created ON orders(created_at);

  CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(id),
    out_trade_no   TEXT NOT NULL UNIQUE REFERENCES trade_numbers(out_trade_no),
    till_id        TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0 AND amount = CAST(amount AS INTEGER)),
    request_fields TEXT NOT NULL,
    state          TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    syssn          TEXT,
    sysdtm         TEXT,
    respcd         TEXT,
    message        TEXT
  );
  CREATE INDEX refunds_order ON refunds(order_id);
  CREATE INDEX refunds_created ON refunds(created_at);
  CREATE INDEX refunds_state ON refunds(state);

  CREATE TABLE transitions (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER REFERENCES orders(id),
    refund_id  INTEGER REFERENCES refunds(id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    cause      TEXT NOT NULL,
    detail     TEXT,
    at         INTEGER NOT NULL,
    CHECK ((order_id IS NULL) <> (refund_id IS NULL))
  );
  CREATE INDEX transitions_order ON transitions(order_id);
  CREATE INDEX transitions_refund ON transitions(refund_id);
  CREATE TRIGGER transitions_no_update BEFORE UPDATE ON transitions
    BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;
  CREATE TRIGGER transitions_no_delete BEFORE DELETE ON transitions
    BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;

  CREATE TABLE gateway_calls (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER REFERENCES orders(id),
    refund_id      INTEGER REFERENCES refunds(id),
    endpoint       TEXT NOT NULL,
    request_fields TEXT NOT NULL,
    result_kind    TEXT NOT NULL,
    respcd         TEXT,
    detail         TEXT,
    http_status    INTEGER,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER NOT NULL
  );
  CREATE INDEX gateway_calls_order ON gateway_calls(order_id);

  CREATE TABLE z_reports (
    number    INTEGER PRIMARY KEY,
    day       TEXT NOT NULL UNIQUE,
    till_id   TEXT NOT NULL,
    closed_at INTEGER NOT NULL,
    report    TEXT NOT NULL
  );
  CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
    BEGIN SELECT RAISE(ABORT, 'a closed day never changes'); END;
  CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
    BEGIN SELECT RAISE(ABORT, 'a closed day never changes'); END;

  -- Which state changes are legal, filled from shared/ledger/lifecycle.ts each time the ledger
  -- opens, and enforced below: no code path can write an illegal transition.
  CREATE TABLE legal_transitions (
    entity     TEXT NOT NULL CHECK (entity IN ('payment', 'refund')),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    PRIMARY KEY (entity, from_state, to_state)
  ) WITHOUT ROWID;
  CREATE TRIGGER orders_legal_state BEFORE UPDATE OF state ON orders
    WHEN NEW.state <> OLD.state AND NOT EXISTS (
      SELECT 1 FROM legal_transitions WHERE entity = 'payment' AND from_state = OLD.state AND to_state = NEW.state)
    BEGIN SELECT RAISE(ABORT, 'illegal payment transition'); END;
  CREATE TRIGGER refunds_legal_state BEFORE UPDATE OF state ON refunds
    WHEN NEW.state <> OLD.state AND NOT EXISTS (
      SELECT 1 FROM legal_transitions WHERE entity = 'refund' AND from_state = OLD.state AND to_state = NEW.state)
    BEGIN SELECT RAISE(ABORT, 'illegal refund transition'); END;
  CREATE TRIGGER orders_insert_created BEFORE INSERT ON orders WHEN NEW.state <> 'created'
    BEGIN SELECT RAISE(ABORT, 'an order starts as created'); END;
  CREATE TRIGGER refunds_insert_created BEFORE INSERT ON refunds WHEN NEW.state <> 'created'
    BEGIN SELECT RAISE(ABORT, 'a refund starts as created'); END;
  `,

  // 2: the books agree with QFPay. Where each order was made (so it is only ever asked about,
  // closed or refunded through the same gateway), items put before a manager and the manager's
  // recorded decisions, Z reports as periods, day reconciliations, and the ledger's own identity.
  `
  -- Orders written before this migration have NULL here: they are matched by environment alone.
  ALTER TABLE orders ADD COLUMN gateway_url TEXT;
  ALTER TABLE orders ADD COLUMN app_code TEXT;
  ALTER TABLE orders ADD COLUMN mchid TEXT;
  ALTER TABLE orders ADD COLUMN attention TEXT CHECK (attention IN ('no_final_answer', 'close_not_confirmed', 'contradiction'));
  ALTER TABLE orders ADD COLUMN attention_since INTEGER CHECK ((attention IS NULL) = (attention_since IS NULL));
  ALTER TABLE refunds ADD COLUMN attention TEXT CHECK (attention IN ('refund_not_confirmed', 'contradiction'));
  ALTER TABLE refunds ADD COLUMN attention_since INTEGER CHECK ((attention IS NULL) = (attention_since IS NULL));
  CREATE INDEX orders_attention ON orders(attention) WHERE attention IS NOT NULL;
  CREATE INDEX orders_unsettled ON orders(state) WHERE gateway_settled = 0;
  CREATE INDEX transitions_at ON transitions(at);
  CREATE INDEX orders_syssn ON orders(syssn) WHERE syssn IS NOT NULL;
  CREATE INDEX refunds_syssn ON refunds(syssn) WHERE syssn IS NOT NULL;

  -- Who this ledger is: made once, never changed. The settings remember it, so a ledger that was
  -- emptied or replaced is refused instead of silently starting again.
  CREATE TABLE ledger_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO ledger_meta (key, value) VALUES ('ledger_id', lower(hex(randomblob(16))));
  CREATE TRIGGER ledger_meta_id_fixed BEFORE UPDATE ON ledger_meta WHEN OLD.key = 'ledger_id'
    BEGIN SELECT RAISE(ABORT, 'a ledger keeps its identity'); END;
  CREATE TRIGGER ledger_meta_id_kept BEFORE DELETE ON ledger_meta WHEN OLD.key = 'ledger_id'
    BEGIN SELECT RAISE(ABORT, 'a ledger keeps its identity'); END;

  -- A manager's decision about an item QFPay gave no definitive answer about, with the reason.
  CREATE TABLE manager_decisions (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER REFERENCES orders(id),
    refund_id INTEGER REFERENCES refunds(id),
    decision  TEXT NOT NULL CHECK (decision IN ('paid', 'not_paid', 'succeeded', 'failed')),
    reason    TEXT NOT NULL CHECK (length(trim(reason)) >= 3),
    attention TEXT,
    at        INTEGER NOT NULL,
    CHECK ((order_id IS NULL) <> (refund_id IS NULL))
  );
  CREATE TRIGGER manager_decisions_no_update BEFORE UPDATE ON manager_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
  CREATE TRIGGER manager_decisions_no_delete BEFORE DELETE ON manager_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

  -- Z reports as periods: everything that became final after the previous close's last
  -- transition, up to this close's. Numbered after any day report of schema 1.
  CREATE TABLE z_periods (
    number           INTEGER PRIMARY KEY,
    till_id          TEXT NOT NULL,
    opened_at        INTEGER NOT NULL,
    closed_at        INTEGER NOT NULL CHECK (closed_at >= opened_at),
    after_transition INTEGER NOT NULL,
    last_transition  INTEGER NOT NULL CHECK (last_transition >= after_transition),
    report           TEXT NOT NULL
  );
  CREATE TRIGGER z_periods_no_update BEFORE UPDATE ON z_periods
    BEGIN SELECT RAISE(ABORT, 'a closed period never changes'); END;
  CREATE TRIGGER z_periods_no_delete BEFORE DELETE ON z_periods
    BEGIN SELECT RAISE(ABORT, 'a closed period never changes'); END;

  -- The ledger's backups, one taken at each close.
  CREATE TABLE backups (
    id       INTEGER PRIMARY KEY,
    z_number INTEGER,
    file     TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    error    TEXT
  );

  -- Each comparison of a business day with QFPay's own records, as it came out.
  CREATE TABLE reconciliations (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    environment TEXT NOT NULL,
    checked_at  INTEGER NOT NULL,
    agrees      INTEGER NOT NULL CHECK (agrees IN (0, 1)),
    result      TEXT NOT NULL
  );
  CREATE INDEX reconciliations_day ON reconciliations(day, checked_at);

  -- Schema 1 believed an empty answer: it wrote off as "never reached QFPay" orders and refunds it
  -- had no record of. Those proved nothing. The orders are watched again, and both are put before
  -- a manager, who asks QFPay again or decides from what its merchant portal shows.
  UPDATE orders SET gateway_settled = 0, attention = 'no_final_answer',
    attention_since = (SELECT MAX(t.at) FROM transitions t WHERE t.order_id = orders.id AND t.cause = 'never_reached_gateway')
  WHERE id IN (SELECT order_id FROM transitions WHERE cause = 'never_reached_gateway' AND order_id IS NOT NULL);
  UPDATE refunds SET attention = 'refund_not_confirmed',
    attention_since = (SELECT MAX(t.at) FROM transitions t WHERE t.refund_id = refunds.id AND t.cause = 'never_reached_gateway')
  WHERE state = 'failed' AND id IN (SELECT refund_id FROM transitions WHERE cause = 'never_reached_gateway' AND refund_id IS NOT NULL);
  `,
  `
  -- Slips for the receipt printer, queued here so that a printer that is off never loses one: each
  -- is tried again until it prints. Apart from the money: nothing here touches an order or refund.
  CREATE TABLE slips (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'period')),
    -- The order's or refund's out_trade_no, or the Z number ('X' for the open period).
    ref         TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'printed', 'not_printed')),
    reason      TEXT NOT NULL CHECK (reason IN ('paid', 'requested')),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error  TEXT,
    -- The last failure in a word the screens can say in either language.
    error_code  TEXT CHECK (error_code IN ('off', 'no_answer', 'failed')),
    created_at  INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    printed_at  INTEGER,
    CHECK ((state = 'printed') = (printed_at IS NOT NULL))
  );
  CREATE INDEX slips_due ON slips(state, next_try_at);
  CREATE INDEX slips_ref ON slips(kind, ref);
  `,
  // 4: the books as a hash chain (shared/ledger/chain.ts): every history row linked to the one
  // before it, the history so far linked once here, and each Z report carrying its chain head.
  (db) => {
    db.exec(`
    CREATE TABLE transition_links (
      transition_id INTEGER PRIMARY KEY REFERENCES transitions(id),
      hash          TEXT NOT NULL CHECK (length(hash) = 64)
    );
    CREATE TRIGGER transition_links_no_update BEFORE UPDATE ON transition_links
      BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
    CREATE TRIGGER transition_links_no_delete BEFORE DELETE ON transition_links
      BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
    ALTER TABLE z_periods ADD COLUMN chain_head TEXT CHECK (chain_head IS NULL OR length(chain_head) = 64);
    `);
    const ledgerId = (db.prepare("SELECT value FROM ledger_meta WHERE key = 'ledger_id'").get() as { value: string }).value;
    linkExistingHistory(db, ledgerId);
    db.exec(LINK_TRIGGER);
    // The closed periods get their heads once; they never change again.
    db.exec('DROP TRIGGER z_periods_no_update');
    const setHead = db.prepare('UPDATE z_periods SET chain_head = ? WHERE number = ?');
    for (const z of db.prepare('SELECT number, last_transition FROM z_periods').all() as { number: number; last_transition: number }[]) {
      setHead.run(chainHeadAt(db, ledgerId, z.last_transition) ?? null, z.number);
    }
    db.exec(`CREATE TRIGGER z_periods_no_update BEFORE UPDATE ON z_periods
      BEGIN SELECT RAISE(ABORT, 'a closed period never changes'); END;`);
  },
  // 5: reports whose cost is the rows of their day or period, never the history. The open
  // period's money is summed as it is written (by these triggers, in the history row's own
  // transaction), so an X report reads a few sums however long since the last close. The sums
  // follow the report's rule exactly (reports/periodSums.ts holds the rule as a query, the
  // authority the Z report is made from, and a test holds the two together). A Hong Kong day is
  // a fixed range since 1980 (shared/hkTime.ts): at / 1000 + 28800 seconds, read in UTC.
  `
  CREATE TABLE open_period_sums (
    environment TEXT NOT NULL,
    wallet      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'not_paid')),
    day         TEXT NOT NULL,
    count       INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    PRIMARY KEY (environment, wallet, kind, day)
  ) WITHOUT ROWID;

  CREATE TRIGGER transitions_sum_payment AFTER INSERT ON transitions
    WHEN NEW.order_id IS NOT NULL AND NEW.to_state IN ('paid', 'paid_late') AND (NEW.from_state IS NULL OR NEW.from_state NOT IN ('paid', 'paid_late'))
  BEGIN
    INSERT INTO open_period_sums (environment, wallet, kind, day, count, amount)
    SELECT o.environment, o.wallet, 'payment', date(NEW.at / 1000 + 28800, 'unixepoch'), 1, o.amount FROM orders o
     WHERE o.id = NEW.order_id
       AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = date(o.created_at / 1000 + 28800, 'unixepoch') AND NEW.at <= z.closed_at)
    ON CONFLICT (environment, wallet, kind, day) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
  END;
  CREATE TRIGGER transitions_sum_refund AFTER INSERT ON transitions
    WHEN NEW.refund_id IS NOT NULL AND NEW.to_state = 'succeeded'
  BEGIN
    INSERT INTO open_period_sums (environment, wallet, kind, day, count, amount)
    SELECT o.environment, o.wallet, 'refund', date(NEW.at / 1000 + 28800, 'unixepoch'), 1, r.amount FROM refunds r JOIN orders o ON o.id = r.order_id
     WHERE r.id = NEW.refund_id
       AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = date(r.created_at / 1000 + 28800, 'unixepoch') AND NEW.at <= z.closed_at)
    ON CONFLICT (environment, wallet, kind, day) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
  END;
  -- An order leaves the active states once: counting the rows counts the orders.
  CREATE TRIGGER transitions_sum_not_paid AFTER INSERT ON transitions
    WHEN NEW.order_id IS NOT NULL AND NEW.to_state IN ('failed', 'expired', 'cancelled') AND NEW.from_state IN ('created', 'waiting', 'unknown')
  BEGIN
    INSERT INTO open_period_sums (environment, wallet, kind, day, count, amount)
    SELECT o.environment, o.wallet, 'not_paid', date(NEW.at / 1000 + 28800, 'unixepoch'), 1, 0 FROM orders o WHERE o.id = NEW.order_id
    ON CONFLICT (environment, wallet, kind, day) DO UPDATE SET count = count + 1;
  END;

  -- The open period as it stands: the history after the last close.
  ${OPEN_PERIOD_SUMMED}
  -- A day report of schema 1 takes its money out of every period: summed again (never written since).
  CREATE TRIGGER z_reports_summed_again AFTER INSERT ON z_reports BEGIN
    DELETE FROM open_period_sums;
    ${OPEN_PERIOD_SUMMED}
  END;

  -- Closed periods found by where they end, in history rows and in time, not by reading them all.
  CREATE INDEX z_periods_last_transition ON z_periods(last_transition);
  CREATE INDEX z_periods_opened ON z_periods(opened_at);
  CREATE INDEX z_periods_closed ON z_periods(closed_at);
  -- The refunds before a manager, as orders_attention finds the orders.
  CREATE INDEX refunds_attention ON refunds(attention) WHERE attention IS NOT NULL;
  `,
  // 6: an X report that reads the same few rows however many days the open period spans, and a
  // day's money rows found without the rest of the day's history. The X report's
  // totals per environment, wallet and kind are kept from migration 5's per-day sums by these
  // triggers (so they cannot disagree with them), and the sums are found by day, so the report
  // lists its latest days and the day a screen asks about without reading the others.
  `
  CREATE TABLE open_period_totals (
    environment TEXT NOT NULL,
    wallet      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    count       INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    PRIMARY KEY (environment, wallet, kind)
  ) WITHOUT ROWID;
  INSERT INTO open_period_totals (environment, wallet, kind, count, amount)
    SELECT environment, wallet, kind, SUM(count), SUM(amount) FROM open_period_sums GROUP BY environment, wallet, kind;

  CREATE TRIGGER open_period_sums_added AFTER INSERT ON open_period_sums BEGIN
    INSERT INTO open_period_totals (environment, wallet, kind, count, amount) VALUES (NEW.environment, NEW.wallet, NEW.kind, NEW.count, NEW.amount)
    ON CONFLICT (environment, wallet, kind) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
  END;
  CREATE TRIGGER open_period_sums_changed AFTER UPDATE ON open_period_sums BEGIN
    UPDATE open_period_totals SET count = count - OLD.count, amount = amount - OLD.amount
     WHERE environment = OLD.environment AND wallet = OLD.wallet AND kind = OLD.kind;
    INSERT INTO open_period_totals (environment, wallet, kind, count, amount) VALUES (NEW.environment, NEW.wallet, NEW.kind, NEW.count, NEW.amount)
    ON CONFLICT (environment, wallet, kind) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
    DELETE FROM open_period_totals WHERE environment = OLD.environment AND wallet = OLD.wallet AND kind = OLD.kind AND count = 0;
  END;
  -- A close empties the sums: the totals empty with them, row by row.
  CREATE TRIGGER open_period_sums_removed AFTER DELETE ON open_period_sums BEGIN
    UPDATE open_period_totals SET count = count - OLD.count, amount = amount - OLD.amount
     WHERE environment = OLD.environment AND wallet = OLD.wallet AND kind = OLD.kind;
    DELETE FROM open_period_totals WHERE environment = OLD.environment AND wallet = OLD.wallet AND kind = OLD.kind AND count = 0;
  END;

  CREATE INDEX open_period_sums_day ON open_period_sums(day);

  -- A day's history rows by time now hold what an export and a day's sums ask of them (the state
  -- reached, the order or refund), so the rows themselves stay unread. Time comes first, as
  -- before: an index led by the state was taken by SQLite for lookups of one refund's history and
  -- read every refund ever made for each one.
  DROP INDEX transitions_at;
  CREATE INDEX transitions_at ON transitions(at, to_state, order_id, refund_id);
  `,
  // 7: payments with the customer's own code (CPM). Who showed the code, and the only trace of
  // the code the ledger keeps: its mask (shared/qfpay/authCode.ts). The code itself is a one-time
  // bearer credential and is never written here. Older orders are all merchant-presented QRs.
  `
  ALTER TABLE orders ADD COLUMN mode TEXT NOT NULL DEFAULT 'mpm' CHECK (mode IN ('mpm', 'cpm'));
  ALTER TABLE orders ADD COLUMN auth_code_masked TEXT CHECK ((mode = 'cpm') = (auth_code_masked IS NOT NULL));
  `,
];
