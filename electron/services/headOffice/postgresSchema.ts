import type { PoolClient } from 'pg';
import { legalEdges, PAYMENT_STATES, REFUND_STATES } from '../../../shared/ledger/lifecycle';

/**
 * The head office's copy of every till's books, in PostgreSQL. The till's SQLite ledger stays the
 * authority at the counter; this copy refuses what the ledger refuses, so that one till's bug
 * cannot write nonsense into the store's books:
 * - money as positive whole cents (> 0, no fraction, within QFPay's Int(11));
 * - states from the lifecycle, and transitions only along its legal edges, each continuing the
 *   one before it (filled from shared/ledger/lifecycle.ts on every connect, as the ledger does);
 * - an order or refund row whose state is not the last state its own history reached, checked at
 *   commit, so a copy can never disagree with the history shipped with it;
 * - history and closed reports append-only.
 * Numbered migrations, each in its own transaction; never edit one that has shipped.
 */
const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE legal_transitions (
    entity     text NOT NULL CHECK (entity IN ('payment', 'refund')),
    from_state text NOT NULL,
    to_state   text NOT NULL,
    PRIMARY KEY (entity, from_state, to_state)
  );

  -- Which ledger each till ships: one till id, one ledger, so two tills never mix their books.
  CREATE TABLE tills (
    till_id         text        PRIMARY KEY,
    ledger_id       text        NOT NULL,
    first_shipped   timestamptz NOT NULL DEFAULT now(),
    last_shipped    timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE orders (
    till_id      text   NOT NULL,
    out_trade_no text   NOT NULL,
    environment  text   NOT NULL,
    wallet       text   NOT NULL,
    -- numeric, not bigint: a bigint column would round 12.5 to 13 before any check could refuse it.
    amount       numeric NOT NULL CHECK (amount > 0 AND amount = trunc(amount) AND amount <= 2147483647),
    currency     text   NOT NULL,
    state        text   NOT NULL CHECK (state IN (${list(PAYMENT_STATES)})),
    created_at   bigint NOT NULL,
    updated_at   bigint NOT NULL,
    syssn        text,
    sysdtm       text,
    paydtm       text,
    respcd       text,
    version      bigint NOT NULL,
    PRIMARY KEY (till_id, out_trade_no)
  );

  CREATE TABLE refunds (
    till_id            text   NOT NULL,
    out_trade_no       text   NOT NULL,
    order_out_trade_no text   NOT NULL,
    amount             numeric NOT NULL CHECK (amount > 0 AND amount = trunc(amount) AND amount <= 2147483647),
    state              text   NOT NULL CHECK (state IN (${list(REFUND_STATES)})),
    created_at         bigint NOT NULL,
    updated_at         bigint NOT NULL,
    syssn              text,
    respcd             text,
    version            bigint NOT NULL,
    PRIMARY KEY (till_id, out_trade_no),
    FOREIGN KEY (till_id, order_out_trade_no) REFERENCES orders (till_id, out_trade_no)
  );

  CREATE TABLE transitions (
    till_id      text   NOT NULL,
    seq          bigint NOT NULL CHECK (seq > 0),
    entity       text   NOT NULL CHECK (entity IN ('payment', 'refund')),
    out_trade_no text   NOT NULL,
    from_state   text,
    to_state     text   NOT NULL,
    cause        text   NOT NULL,
    detail       text,
    at           bigint NOT NULL,
    PRIMARY KEY (till_id, seq)
  );
  CREATE INDEX transitions_item ON transitions (till_id, entity, out_trade_no, seq);

  -- Each till's Z reports (its closed periods), as the till's z_periods keeps them.
  CREATE TABLE z_reports (
    till_id          text    NOT NULL,
    number           integer NOT NULL CHECK (number > 0),
    opened_at        bigint  NOT NULL,
    closed_at        bigint  NOT NULL CHECK (closed_at >= opened_at),
    after_transition bigint  NOT NULL,
    last_transition  bigint  NOT NULL CHECK (last_transition >= after_transition),
    report           jsonb   NOT NULL,
    PRIMARY KEY (till_id, number)
  );

  -- A transition must be a legal edge that continues its item's history (the first one starts it).
  CREATE FUNCTION transition_is_legal() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE previous text;
  BEGIN
    SELECT to_state INTO previous FROM transitions
      WHERE till_id = NEW.till_id AND entity = NEW.entity AND out_trade_no = NEW.out_trade_no AND seq < NEW.seq
      ORDER BY seq DESC LIMIT 1;
    IF NEW.from_state IS DISTINCT FROM previous THEN
      RAISE EXCEPTION 'transition % of till % does not continue %''s history (% then % -> %)', NEW.seq, NEW.till_id, NEW.out_trade_no, previous, NEW.from_state, NEW.to_state;
    END IF;
    IF NEW.from_state IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM legal_transitions WHERE entity = NEW.entity AND from_state = NEW.from_state AND to_state = NEW.to_state) THEN
      RAISE EXCEPTION 'illegal % transition % -> %', NEW.entity, NEW.from_state, NEW.to_state;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER transitions_legal BEFORE INSERT ON transitions FOR EACH ROW EXECUTE FUNCTION transition_is_legal();

  CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
  CREATE TRIGGER transitions_append_only BEFORE UPDATE OR DELETE ON transitions FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER z_reports_append_only BEFORE UPDATE OR DELETE ON z_reports FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER orders_kept BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER refunds_kept BEFORE DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refuse_change();

  -- A copy of an order or refund says what its shipped history says, checked when the batch commits.
  CREATE FUNCTION item_agrees_with_history() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE last_state text;
  DECLARE last_seq bigint;
  BEGIN
    SELECT to_state, seq INTO last_state, last_seq FROM transitions
      WHERE till_id = NEW.till_id AND entity = TG_ARGV[0] AND out_trade_no = NEW.out_trade_no
      ORDER BY seq DESC LIMIT 1;
    IF last_state IS DISTINCT FROM NEW.state OR last_seq IS DISTINCT FROM NEW.version THEN
      RAISE EXCEPTION '% % of till % is %, but its history says % (at %)', TG_ARGV[0], NEW.out_trade_no, NEW.till_id, NEW.state, last_state, last_seq;
    END IF;
    RETURN NULL;
  END $$;
  CREATE CONSTRAINT TRIGGER orders_agree AFTER INSERT OR UPDATE ON orders DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION item_agrees_with_history('payment');
  CREATE CONSTRAINT TRIGGER refunds_agree AFTER INSERT OR UPDATE ON refunds DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION item_agrees_with_history('refund');
  `,
  `
  -- The merchant's call limit, shared by its tills: one token bucket per merchant (environment and
  -- app code), refilled by the server's clock so that the tills' clocks do not matter. A till takes
  -- a few calls at a time and gives back what it did not use; see sharedCallBudget.ts for the sums.
  CREATE TABLE call_budgets (
    merchant    text             PRIMARY KEY,
    tokens      double precision NOT NULL CHECK (tokens >= 0),
    refilled_at timestamptz      NOT NULL,
    per_second  double precision NOT NULL CHECK (per_second > 0),
    capacity    integer          NOT NULL CHECK (capacity > 0)
  );

  -- Who drew what, for the store's figures (calls a minute per till).
  CREATE TABLE call_budget_draws (
    merchant  text    NOT NULL,
    till_id   text    NOT NULL,
    granted   bigint  NOT NULL DEFAULT 0,
    returned  bigint  NOT NULL DEFAULT 0,
    last_draw timestamptz NOT NULL DEFAULT now(),
    -- Since when this till's live checks have been refused: the longest waiting are served first.
    waiting_since timestamptz,
    -- The calls this till holds unspent since its last draw: they count against the bucket.
    held      integer NOT NULL DEFAULT 0 CHECK (held >= 0),
    PRIMARY KEY (merchant, till_id)
  );

  -- Gives back what a till did not use, then grants up to p_wanted, by priority: 0 a cashier's
  -- action (or the one call an idle till holds for it), 1 the live QR's checks, 2 background
  -- checks. While the bucket is less than half full a live check gets one call a draw, and only
  -- after the tills that have waited longer (in the last 5 s) have theirs: scarce calls go round
  -- the busy counters in turn, not to whoever asks fastest. Background checks get the upper half.
  -- The calls the tills hold count against the bucket's capacity (until their lease has run out),
  -- so the bucket and all that is held never exceed it: any minute sees at most the capacity and
  -- a minute's refill, whatever is given back and drawn again.
  CREATE FUNCTION draw_calls(p_merchant text, p_till text, p_wanted integer, p_returned integer, p_held integer, p_priority integer, p_per_second double precision, p_capacity integer, p_lease_seconds double precision)
    RETURNS integer LANGUAGE plpgsql AS $$
  DECLARE
    bucket call_budgets;
    available double precision;
    granted integer;
    waited timestamptz;
    ahead integer;
    held_elsewhere integer;
  BEGIN
    IF p_wanted < 0 OR p_returned < 0 OR p_held < 0 OR p_priority NOT IN (0, 1, 2) THEN RAISE EXCEPTION 'a draw of % giving back % at priority % is not a draw', p_wanted, p_returned, p_priority; END IF;
    INSERT INTO call_budgets (merchant, tokens, refilled_at, per_second, capacity)
      VALUES (p_merchant, p_capacity, clock_timestamp(), p_per_second, p_capacity) ON CONFLICT (merchant) DO NOTHING;
    SELECT * INTO bucket FROM call_budgets WHERE merchant = p_merchant FOR UPDATE;
    SELECT COALESCE(SUM(held), 0) INTO held_elsewhere FROM call_budget_draws
      WHERE merchant = p_merchant AND till_id <> p_till AND last_draw > clock_timestamp() - make_interval(secs => p_lease_seconds);
    available := LEAST(bucket.capacity - held_elsewhere - p_held, bucket.tokens + p_returned
      -- (never less: a server clock stepped back refills nothing, and takes nothing away)
      + GREATEST(0, extract(epoch FROM clock_timestamp() - bucket.refilled_at)) * bucket.per_second);
    granted := GREATEST(0, LEAST(p_wanted, floor(available - CASE WHEN p_priority = 2 THEN bucket.capacity / 2.0 ELSE 0 END)::integer));
    IF p_priority = 1 AND available < bucket.capacity / 2.0 THEN
      SELECT waiting_since INTO waited FROM call_budget_draws WHERE merchant = p_merchant AND till_id = p_till;
      SELECT count(*) INTO ahead FROM call_budget_draws
        WHERE merchant = p_merchant AND till_id <> p_till AND waiting_since > clock_timestamp() - interval '5 seconds'
          AND waiting_since < COALESCE(waited, clock_timestamp());
      granted := CASE WHEN floor(available) > ahead THEN LEAST(granted, 1) ELSE 0 END;
    END IF;
    UPDATE call_budgets SET tokens = GREATEST(0, available - granted), refilled_at = clock_timestamp() WHERE merchant = p_merchant;
    INSERT INTO call_budget_draws AS d (merchant, till_id, granted, returned, last_draw, held, waiting_since)
      VALUES (p_merchant, p_till, granted, p_returned, clock_timestamp(), p_held + granted, CASE WHEN p_priority = 1 AND granted = 0 AND p_wanted > 0 THEN clock_timestamp() END)
      ON CONFLICT (merchant, till_id) DO UPDATE SET granted = d.granted + EXCLUDED.granted, returned = d.returned + EXCLUDED.returned, last_draw = EXCLUDED.last_draw, held = EXCLUDED.held,
        waiting_since = CASE WHEN EXCLUDED.waiting_since IS NULL THEN NULL
                             WHEN d.waiting_since > EXCLUDED.last_draw - interval '5 seconds' THEN d.waiting_since
                             ELSE EXCLUDED.waiting_since END;
    RETURN granted;
  END $$;
  `,
  `
  -- What the store's export needs beyond the books: the columns of the till's own day CSV.
  -- Rows shipped before this migration get them at their next change; until then they are empty.
  -- And for the store's reconciliation: which merchant (app code, mchid) made each order, and
  -- whether its till has put it before a manager (as of its last change).
  ALTER TABLE orders ADD COLUMN pay_type text, ADD COLUMN goods_name text, ADD COLUMN message text, ADD COLUMN pay_tag text,
    ADD COLUMN app_code text, ADD COLUMN mchid text, ADD COLUMN attention text;
  ALTER TABLE refunds ADD COLUMN sysdtm text, ADD COLUMN message text, ADD COLUMN attention text;
  CREATE INDEX orders_syssn ON orders (syssn);
  CREATE INDEX refunds_syssn ON refunds (syssn);
  CREATE INDEX orders_created ON orders (created_at);
  CREATE INDEX transitions_at ON transitions (at);
  `,
  `
  -- The books as a hash chain (shared/ledger/chain.ts): each transition carries its till's link,
  -- and each Z report the chain head it closed on, so that an edited, deleted or inserted row is
  -- found by recomputing. Rows shipped before this migration get their link once, from their
  -- till at its next shipment; after that nothing about a row changes.
  ALTER TABLE transitions ADD COLUMN chain_hash text CHECK (chain_hash IS NULL OR length(chain_hash) = 64);
  ALTER TABLE z_reports ADD COLUMN chain_head text CHECK (chain_head IS NULL OR length(chain_head) = 64);
  CREATE INDEX transitions_unlinked ON transitions (till_id, seq) WHERE chain_hash IS NULL;

  CREATE FUNCTION link_once() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.chain_hash IS NULL AND NEW.chain_hash IS NOT NULL
       AND (NEW.till_id, NEW.seq, NEW.entity, NEW.out_trade_no, NEW.from_state, NEW.to_state, NEW.cause, NEW.detail, NEW.at)
           IS NOT DISTINCT FROM (OLD.till_id, OLD.seq, OLD.entity, OLD.out_trade_no, OLD.from_state, OLD.to_state, OLD.cause, OLD.detail, OLD.at) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
  END $$;
  CREATE FUNCTION head_once() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.chain_head IS NULL AND NEW.chain_head IS NOT NULL
       AND (NEW.till_id, NEW.number, NEW.opened_at, NEW.closed_at, NEW.after_transition, NEW.last_transition, NEW.report)
           IS NOT DISTINCT FROM (OLD.till_id, OLD.number, OLD.opened_at, OLD.closed_at, OLD.after_transition, OLD.last_transition, OLD.report) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
  END $$;
  DROP TRIGGER transitions_append_only ON transitions;
  CREATE TRIGGER transitions_kept BEFORE DELETE ON transitions FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER transitions_link_once BEFORE UPDATE ON transitions FOR EACH ROW EXECUTE FUNCTION link_once();
  DROP TRIGGER z_reports_append_only ON z_reports;
  CREATE TRIGGER z_reports_kept BEFORE DELETE ON z_reports FOR EACH ROW EXECUTE FUNCTION refuse_change();
  CREATE TRIGGER z_reports_head_once BEFORE UPDATE ON z_reports FOR EACH ROW EXECUTE FUNCTION head_once();
  `,
  `
  -- QFPay's notifications as the relay (electron/relay) received them: one row per payment or
  -- refund and kind, a retried delivery counted in \`deliveries\` and never added, the body kept
  -- exactly as QFPay signed it. Tills hear of each row by NOTIFY and query QFPay for the order.
  CREATE TABLE qfpay_notifications (
    id              bigserial   PRIMARY KEY,
    app_code        text        NOT NULL,
    notify_type     text        NOT NULL,
    syssn           text        NOT NULL,
    out_trade_no    text        NOT NULL,
    body            text        NOT NULL,
    first_received  timestamptz NOT NULL DEFAULT now(),
    last_received   timestamptz NOT NULL DEFAULT now(),
    deliveries      integer     NOT NULL DEFAULT 1 CHECK (deliveries >= 1),
    UNIQUE (syssn, notify_type)
  );
  CREATE INDEX qfpay_notifications_number ON qfpay_notifications (app_code, out_trade_no);

  -- What QFPay sent is evidence: only the delivery count and time may change.
  CREATE FUNCTION notification_kept() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF (NEW.id, NEW.app_code, NEW.notify_type, NEW.syssn, NEW.out_trade_no, NEW.body, NEW.first_received)
       IS NOT DISTINCT FROM (OLD.id, OLD.app_code, OLD.notify_type, OLD.syssn, OLD.out_trade_no, OLD.body, OLD.first_received)
       AND NEW.deliveries >= OLD.deliveries THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION '% keeps what QFPay sent', TG_TABLE_NAME;
  END $$;
  CREATE TRIGGER qfpay_notifications_kept BEFORE UPDATE ON qfpay_notifications FOR EACH ROW EXECUTE FUNCTION notification_kept();
  CREATE TRIGGER qfpay_notifications_not_deleted BEFORE DELETE ON qfpay_notifications FOR EACH ROW EXECUTE FUNCTION refuse_change();

  -- Each relay's latest sign of life, by the server's clock: tills trust pushes only while one is fresh.
  CREATE TABLE qfpay_relays (
    relay_id   text        PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    last_beat  timestamptz NOT NULL DEFAULT now()
  );
  `,
];

/** The head office was migrated by a newer app: this till must be updated before it ships again. */
export class HeadOfficeTooNew extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeadOfficeTooNew';
  }
}

/** Applies what is missing, under an advisory lock so that tills connecting together take turns. */
export async function migrateHeadOffice(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock(7212026)');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
    const applied = rows[0]?.version ?? 0;
    if (applied > POSTGRES_MIGRATIONS.length) throw new HeadOfficeTooNew(`the head office's schema is version ${applied}, newer than this till knows (${POSTGRES_MIGRATIONS.length}): update this till`);
    for (let version = applied + 1; version <= POSTGRES_MIGRATIONS.length; version += 1) {
      await client.query('BEGIN');
      try {
        await client.query(POSTGRES_MIGRATIONS[version - 1] as string);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    // The legal edges, from the one table the till itself obeys.
    const edges = legalEdges();
    await client.query('BEGIN');
    await client.query('DELETE FROM legal_transitions');
    await client.query('INSERT INTO legal_transitions (entity, from_state, to_state) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [edges.map((edge) => edge[0]), edges.map((edge) => edge[1]), edges.map((edge) => edge[2])]);
    await client.query('COMMIT');
  } finally {
    await client.query('SELECT pg_advisory_unlock(7212026)');
  }
}
