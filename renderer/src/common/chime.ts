/**
 * Short chimes made with Web Audio: no sound files to ship or fetch. A rising pair of tones when
 * a payment is confirmed; three falling ones for a late payment, which someone must act on.
 * Browsers let a page sound only after the user has touched it; a cashier has, by the time a
 * customer pays.
 */
let context: AudioContext | undefined;

const NOTES = {
  paid: [880, 1318.5],
  late: [1046.5, 784, 622.3],
} as const;

export function playChime(kind: keyof typeof NOTES): void {
  if (typeof window === 'undefined' || typeof window.AudioContext !== 'function') return;
  try {
    context ??= new window.AudioContext();
    void context.resume();
    const start = context.currentTime + 0.02;
    NOTES[kind].forEach((frequency, index) => {
      const at = start + index * 0.16;
      const oscillator = (context as AudioContext).createOscillator();
      const gain = (context as AudioContext).createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A soft attack and decay: a click-free "ding", not a beep.
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      oscillator.connect(gain).connect((context as AudioContext).destination);
      oscillator.start(at);
      oscillator.stop(at + 0.16);
    });
  } catch {
    // No sound is never a reason to fail a sale: the screen says it too.
  }
}
