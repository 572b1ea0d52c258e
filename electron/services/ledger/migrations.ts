/**
 * Numbered migrations, applied in order inside one transaction each; `PRAGMA user_version` holds
 * the number of the last one applied. Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
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
];
