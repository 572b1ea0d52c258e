import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../../electron/simulator/server';
import { formatHongKongTimestamp } from '../../shared/hkTime';

/**
 * `node --import tsx test/support/closeWithNotificationsPending.ts RECEIVER_URL`: a simulator
 * with a notification waiting for its retry, one held back and one in flight, closed. It prints
 * the deliveries' states (after a line `pending`) and must then end by itself: a timer or socket close() left behind
 * would keep it running, which is what test/simulator/notifications.test.ts looks for.
 * The receiver answers 500 to its first request and never answers the next.
 */

const simulator = await startSimulator({ dbPath: ':memory:', rateLimitPerMinute: 0, notifyUrl: process.argv[2], notifyRetryDelaysMs: [600_000] });

let sequence = 0;
async function customerPays() {
  sequence += 1;
  const now = Date.now();
  const order = simulator.store.createPayment(
    { outTradeNo: `CLOSE-${sequence}`, payType: '800201', txamt: 100, txcurrcd: 'HKD', txdtm: formatHongKongTimestamp(now), expiresMs: now + 600_000 },
    now,
  );
  await fetch(`${simulator.url}/__sim__/orders/${order.outTradeNo}/pay`, { method: 'POST' });
}

const states = () => simulator.notifier.deliveries().map((delivery) => delivery.state);
await customerPays();
simulator.notifier.configure({ faults: [{ kind: 'out_of_order', maxHoldMs: 600_000 }] });
await customerPays();
simulator.notifier.configure({ faults: [], retryDelaysMs: [] });
await customerPays();
while (states().join() !== 'retrying,held,sending') await sleep(10);
// The test says on stdin when the receiver holds the third request: it is truly in flight then.
console.log('pending');
await once(process.stdin, 'data');
process.stdin.destroy();

await simulator.close();
console.log(JSON.stringify(states()));
// No process.exit(): ending by itself is the test.
