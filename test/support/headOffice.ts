import { startPostgres, type TestPostgres } from './postgres';
import { startTestSimulator, type TestSimulator } from './simulator';

/**
 * What the head office tests run against: a PostgreSQL cluster of their own for the head office,
 * and a simulator for the tills that ship to it. Started together before a block's tests and
 * stopped together after them, into the block's own variables:
 *
 *   beforeAll(async () => {
 *     ({ postgres, simulator } = await startHeadOfficeServices());
 *   });
 *   afterAll(() => stopHeadOfficeServices({ postgres, simulator }));
 */
export interface HeadOfficeServices {
  readonly postgres: TestPostgres;
  readonly simulator: TestSimulator;
}

export async function startHeadOfficeServices(): Promise<HeadOfficeServices> {
  const postgres = await startPostgres();
  try {
    return { postgres, simulator: await startTestSimulator() };
  } catch (error) {
    // Nobody would stop a cluster whose block never got it.
    await postgres.remove();
    throw error;
  }
}

/** Stops what was started (a block whose start failed may hold neither). */
export async function stopHeadOfficeServices(services: { readonly postgres?: TestPostgres; readonly simulator?: TestSimulator }): Promise<void> {
  await services.simulator?.stop();
  await services.postgres?.remove();
}
