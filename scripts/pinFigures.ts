/**
 * What the manager PIN's guard gives an attacker, from the code's own constants and a measured
 * hash: `npx tsx scripts/pinFigures.ts`.
 *
 * - Online (the PIN screen, or the cashier's web link): guesses per day, found by running the real
 *   guard with a moved clock and a guesser who tries again the moment each lock ends.
 * - Offline (a copied settings.json): the time one core takes per scrypt hash at the till's cost,
 *   and so for every PIN of 4, 6 and 8 digits.
 */
import { hashPin, PIN_COST, pinMatches } from '../electron/services/settings/managerPin';
import { createPinGuard, FIRST_LOCK_MS, LONGEST_LOCK_MS, WRONG_TRIES_PER_LOCK } from '../electron/services/settings/pinGuard';

const DAY = 24 * 60 * 60_000;

async function guessesPerDay(days: number): Promise<number[]> {
  let now = 0;
  const guard = createPinGuard(() => now);
  // The cheapest hash the settings schema allows: the guard's counting does not depend on it.
  const stored = await hashPin('48219370', { N: 2 ** 10, r: 8, p: 1 });
  const perDay = Array.from({ length: days }, () => 0);
  // The guesser tries again the moment each lock ends, so every try is hashed: every try is a guess.
  while (now < days * DAY) {
    const answer = await guard.check('000000', stored);
    const day = Math.floor(now / DAY);
    perDay[day] = (perDay[day] ?? 0) + 1;
    if (answer.result === 'locked') now = answer.retryAt;
  }
  return perDay;
}

async function main() {
  const perDay = await guessesPerDay(30);
  const steady = perDay.at(-1) ?? 0;
  console.log(`lockout: ${WRONG_TRIES_PER_LOCK} wrong tries lock ${FIRST_LOCK_MS / 60_000} min, each further ${WRONG_TRIES_PER_LOCK} twice as long, at most ${LONGEST_LOCK_MS / 60_000} min; only a right PIN ends the streak`);
  console.log(`online guesses: day 1 ${perDay[0]}, day 2 ${perDay[1]}, day 3 ${perDay[2]}, then ${steady} a day (days 1-30: ${perDay.join(' ')})`);
  const firstYear = perDay.reduce((sum, count) => sum + count, 0) + (365 - perDay.length) * steady;
  for (const digits of [4, 6, 8]) {
    const pins = 10 ** digits;
    console.log(`  ${digits}-digit PIN: ${firstYear} guesses in the first year cover ${((100 * firstYear) / pins).toPrecision(2)}% of ${pins.toLocaleString('en')} PINs; all of them take ${Math.round(pins / steady / 365).toLocaleString('en')} years`);
  }
  console.log(`  (before: 5 tries per 5 min for ever, ${((24 * 60) / 5) * 5} guesses a day)`);

  // Offline: one core, one hash at a time, at the till's cost.
  const stored = await hashPin('48219370', PIN_COST);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const start = performance.now();
    await pinMatches('00000000', stored);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`scrypt N=2^${Math.log2(PIN_COST.N)} r=${PIN_COST.r} p=${PIN_COST.p} (${(128 * PIN_COST.N * PIN_COST.r) / 2 ** 20} MiB): ${median.toFixed(0)} ms per try on this machine (median of ${times.map((time) => time.toFixed(0)).join(', ')})`);
  for (const digits of [4, 6, 8]) {
    const seconds = (10 ** digits * median) / 1000;
    console.log(`  offline, one core, every ${digits}-digit PIN: ${describe(seconds)} (half that on average)`);
  }
}

function describe(seconds: number): string {
  if (seconds < 2 * 3600) return `${(seconds / 60).toFixed(0)} minutes`;
  if (seconds < 3 * 86400) return `${(seconds / 3600).toFixed(1)} hours`;
  if (seconds < 2 * 365 * 86400) return `${(seconds / 86400).toFixed(1)} days`;
  return `${(seconds / (365 * 86400)).toFixed(1)} years`;
}

await main();
