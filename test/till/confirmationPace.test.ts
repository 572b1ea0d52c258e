import { afterEach, describe, expect, it } from 'vitest';
import { confirmationMode, createConfirmationPace, HEARTBEAT_FRESH_MS, MISS_GRACE_MS, MISSES_BEFORE_POLLING, PUSH_SILENCE_MS, type ConfirmationMode } from '../../electron/services/till/confirmationPace';

const APP = 'MERCHANTAPP';
const signal = (outTradeNo: string, appCode = APP) => ({ app_code: appCode, notify_type: 'payment', syssn: '1', out_trade_no: outTradeNo });

describe('when a till trusts QFPay\'s pushes', () => {
  const now = 1_000_000;
  const proven = { listening: true, lastHeartbeatAt: now - 1_000, lastNotificationAt: now - 60_000, consecutiveMisses: 0, now };

  it('trusts them only while it listens, a relay beats, the merchant\'s pushes arrive and they are not missing for payments', () => {
    expect(confirmationMode(proven)).toEqual({ mode: 'pushed' });
    expect(confirmationMode({ ...proven, listening: false })).toEqual({ mode: 'polling', reason: 'not_listening' });
    expect(confirmationMode({ ...proven, lastHeartbeatAt: undefined })).toEqual({ mode: 'polling', reason: 'no_relay' });
    expect(confirmationMode({ ...proven, lastHeartbeatAt: now - HEARTBEAT_FRESH_MS - 1 })).toEqual({ mode: 'polling', reason: 'no_relay' });
    expect(confirmationMode({ ...proven, lastNotificationAt: undefined })).toEqual({ mode: 'polling', reason: 'no_notifications' });
    expect(confirmationMode({ ...proven, lastNotificationAt: now - PUSH_SILENCE_MS - 1 })).toEqual({ mode: 'polling', reason: 'no_notifications' });
    expect(confirmationMode({ ...proven, consecutiveMisses: MISSES_BEFORE_POLLING - 1 })).toEqual({ mode: 'pushed' });
    expect(confirmationMode({ ...proven, consecutiveMisses: MISSES_BEFORE_POLLING })).toEqual({ mode: 'polling', reason: 'notifications_missed' });
  });

  describe('as a till sees it', () => {
    let time = now;
    const changes: ConfirmationMode[] = [];
    const pace = createConfirmationPace({ appCode: APP, clock: () => time, onChange: (mode) => changes.push(mode), evaluateEveryMs: 60_000 });
    afterEach(() => pace.stop());

    it('says so when it changes; a lost payment here and there is what the safety net is for, a run of them is not', () => {
      expect(pace.mode()).toEqual({ mode: 'polling', reason: 'not_listening' });
      pace.listenerState({ listening: true, lastHeartbeatAt: time });
      expect(pace.mode()).toEqual({ mode: 'polling', reason: 'no_notifications' });
      expect(pace.notification(signal('X', 'ANOTHER'))).toBe(false);
      expect(pace.mode()).toEqual({ mode: 'polling', reason: 'no_notifications' });
      expect(pace.notification(signal('A'))).toBe(true);
      expect(pace.pushed()).toBe(true);

      // Confirmed before its push arrived: not a miss once the push comes.
      pace.paymentConfirmed('B');
      pace.notification(signal('B'));
      // Pushes lost for payments, one after another.
      for (const [index, number] of ['C', 'D', 'E'].entries()) {
        pace.paymentConfirmed(number);
        time += MISS_GRACE_MS;
        pace.listenerState({ listening: true, lastHeartbeatAt: time });
        expect(pace.pushed()).toBe(index < MISSES_BEFORE_POLLING - 1);
      }
      expect(pace.mode()).toEqual({ mode: 'polling', reason: 'notifications_missed' });
      // A push again: trusted again.
      pace.notification(signal('F'));
      expect(pace.pushed()).toBe(true);
      // Time alone: the relay's heartbeat goes stale.
      time += HEARTBEAT_FRESH_MS + 1;
      expect(pace.mode()).toEqual({ mode: 'polling', reason: 'no_relay' });
      expect(changes.map((mode) => (mode.mode === 'pushed' ? 'pushed' : mode.reason))).toEqual(['no_notifications', 'pushed', 'notifications_missed', 'pushed', 'no_relay']);
      expect(pace.status({ pollIntervalMs: 3_000, pushedCheckIntervalMs: 10_000 })).toEqual({ mode: 'polling', checkEveryMs: 3_000, reason: 'no_relay' });
    });
  });
});
