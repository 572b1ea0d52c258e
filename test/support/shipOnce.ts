import pg from 'pg';
import { shipPending } from '../../electron/services/headOffice/shipper';
import { openSqlite } from '../../electron/services/sqlite/openSqlite';

/**
 * A till process that ships its ledger and is killed with SIGKILL right after its first batch
 * commits, before it can do anything else: argv is the ledger, the head office URL, the batch size.
 */
const [ledgerPath, url, batchSize] = process.argv.slice(2) as [string, string, string];
const ledger = openSqlite(ledgerPath, { readonly: true, fileMustExist: true });
const pool = new pg.Pool({ connectionString: url });
const client = await pool.connect();
await shipPending(ledger, client, { tillId: 'till-1', batchSize: Number(batchSize), afterCommit: () => void process.kill(process.pid, 'SIGKILL') });
